package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"alojamientos/internal/mercadopago"
)

// benchMPSecret is the webhook secret of the server the bench starts. Its
// Mercado Pago access token stays unset and its API base URL points at a
// closed loopback port, so processing records "unconfigured" and nothing
// leaves the machine.
const benchMPSecret = "bench-webhook-secret"

// webhookSecret is the secret to sign with: ours for a managed server,
// BENCH_MP_SECRET for one started by the caller ("" skips the phase).
func webhookSecret(managed bool) string {
	if managed {
		return benchMPSecret
	}
	return os.Getenv("BENCH_MP_SECRET")
}

// webhooks posts signed Mercado Pago notifications for distinct payment ids
// from `workers` clients for d: what is measured is the signature check and
// the inbox insert (with its job) that end in a 200.
func webhooks(ctx context.Context, baseURL, secret string, d time.Duration) phaseResult {
	url := baseURL + "/webhooks/mercadopago"
	return postLoop(ctx, d, func(n int64) (*http.Request, error) {
		id := strconv.FormatInt(n, 10)
		reqID := fmt.Sprintf("bench-%s", id)
		ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
		body := []byte(`{"action":"payment.updated","api_version":"v1","data":{"id":"` + id + `"},"type":"payment"}`)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"?data.id="+id+"&type=payment", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("x-request-id", reqID)
		req.Header.Set("x-signature", "ts="+ts+",v1="+mercadopago.Sign(secret, id, reqID, ts))
		return req, nil
	})
}

// postLoop sends the requests build makes (each with its own sequence
// number) from `workers` clients for d, and counts the 200s.
func postLoop(ctx context.Context, d time.Duration, build func(n int64) (*http.Request, error)) phaseResult {
	client := &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}
	var seq atomic.Int64
	seq.Store(time.Now().UnixNano() % 1e10)
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		res = phaseResult{failures: map[string]int{}, samples: map[string]string{}}
	)
	deadline := time.Now().Add(d)
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			mine := phaseResult{failures: map[string]int{}, samples: map[string]string{}}
			for time.Now().Before(deadline) && ctx.Err() == nil {
				req, err := build(seq.Add(1))
				if err != nil {
					mine.fail("request error", err.Error())
					continue
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						mine.fail("transport error", err.Error())
					}
					continue
				}
				data, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
				resp.Body.Close()
				mine.lat = append(mine.lat, time.Since(t0))
				if resp.StatusCode == http.StatusOK {
					mine.ok++
					continue
				}
				mine.fail(strconv.Itoa(resp.StatusCode), string(data))
			}
			mu.Lock()
			res.add(mine)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}
