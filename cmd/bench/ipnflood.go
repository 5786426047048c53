package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"alojamientos/internal/mercadopago"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/money"
)

// The IPN flood phase (issue #11): how long a signed Mercado Pago webhook
// takes from its POST to the payment being fetched and applied, with and
// without a flood of unsigned legacy IPN for made-up payment ids, in one run.
//
// It runs its own server on its own database, with an access token and the
// fake Mercado Pago of internal/mercadopago/mptest in this process (payment
// lookups take mpLatency, like a call across the internet), IPN accepted
// (MERCADOPAGO_ACCEPT_IPN=1) and loopback as a trusted proxy: the flood comes
// from ipnFloodSize distinct client addresses (X-Forwarded-For), the worst
// case for the per-network limit, so the inbox's own bounds and the separate
// job queue are what is measured. Nothing leaves the machine.

const (
	ipnFloodSize    = 20_000
	ipnFloodClients = 16
	ipnFloodMax     = 2 * time.Minute // the flood stops here even if not all were sent
	signedSamples   = 100
	signedEvery     = 50 * time.Millisecond
	mpLatency       = 30 * time.Millisecond
	signedDeadline  = time.Minute // to be processed, after the last one is sent
)

// ipnFloodResult is what the phase measured.
type ipnFloodResult struct {
	noFlood, flood []time.Duration // signed webhook POST → processed
	floodSent      int
	floodTook      time.Duration
	floodAnswers   map[string]int // status code → count
}

func (r ipnFloodResult) print(w io.Writer) {
	fig := func(name, value, unit string) { fmt.Fprintf(w, "BENCH %s %s %s\n", name, value, unit) }
	base, under := percentile(r.noFlood, 0.99), percentile(r.flood, 0.99)
	fig("signed_webhook_p99_no_flood", fmt.Sprintf("%.0f", ms(base)), "ms")
	fig("signed_webhook_p99_under_ipn_flood", fmt.Sprintf("%.0f", ms(under)), "ms")
	if base > 0 {
		fig("signed_webhook_p99_under_ipn_flood_vs_no_flood", fmt.Sprintf("%.2f", float64(under)/float64(base)), "ratio")
	}
	// The median tells queueing behind junk (it would move) from the flood's
	// CPU on this 2-core machine, which the tail feels most.
	base50, under50 := percentile(r.noFlood, 0.5), percentile(r.flood, 0.5)
	fig("signed_webhook_p50_no_flood", fmt.Sprintf("%.0f", ms(base50)), "ms")
	fig("signed_webhook_p50_under_ipn_flood", fmt.Sprintf("%.0f", ms(under50)), "ms")
	if base50 > 0 {
		fig("signed_webhook_p50_under_ipn_flood_vs_no_flood", fmt.Sprintf("%.2f", float64(under50)/float64(base50)), "ratio")
	}
	codes := make([]string, 0, len(r.floodAnswers))
	for c, n := range r.floodAnswers {
		codes = append(codes, fmt.Sprintf("%s × %d", c, n))
	}
	logf("ipn flood: %d unsigned notifications in %s (%s); signed webhooks p50 %.0f ms without, %.0f ms under the flood (%d and %d samples)",
		r.floodSent, r.floodTook.Round(time.Millisecond), strings.Join(codes, ", "),
		ms(percentile(r.noFlood, 0.5)), ms(percentile(r.flood, 0.5)), len(r.noFlood), len(r.flood))
}

// ipnFloodBench creates the phase's database and server, measures, and
// removes both.
func ipnFloodBench(ctx context.Context) (res ipnFloodResult, err error) {
	adminURL := os.Getenv("BENCH_PG_URL")
	if adminURL == "" {
		adminURL = defaultPGURL
	}
	name := fmt.Sprintf("alojamientos_bench_ipn_%d", os.Getpid())
	dbURL, err := createDatabase(ctx, adminURL, name)
	if err != nil {
		return res, err
	}
	defer func() {
		if derr := dropDatabase(adminURL, name); derr != nil {
			fmt.Fprintln(os.Stderr, "bench:", derr)
		}
	}()
	tmp, err := os.MkdirTemp("", "alojamientos-bench-ipn-")
	if err != nil {
		return res, fmt.Errorf("bench: temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	fake := mptest.New(mpLatency)
	defer fake.Close()

	srv, err := buildServer(ctx, tmp, dbURL)
	if err != nil {
		return res, err
	}
	srv.Env = withEnv(srv.Env, map[string]string{"MERCADOPAGO_ACCESS_TOKEN": mptest.Token,
		"MERCADOPAGO_API_BASE_URL": fake.URL, "MERCADOPAGO_ACCEPT_IPN": "1", "TRUSTED_PROXIES": "127.0.0.1/32"})
	if err := srv.migrate(ctx); err != nil {
		srv.printLog()
		return res, err
	}
	if err := srv.start(ctx); err != nil {
		srv.printLog()
		return res, err
	}
	defer func() {
		if serr := srv.stop(); serr != nil && err == nil {
			err = serr
		}
		if err != nil {
			srv.printLog()
		}
	}()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return res, fmt.Errorf("bench: connect: %w", err)
	}
	defer pool.Close()

	sg := &signedHooks{url: srv.BaseURL + "/webhooks/mercadopago", fake: fake, pool: pool,
		client: &http.Client{Timeout: 30 * time.Second}}
	// One uncounted round opens the connections and warms the server.
	if _, err := sg.run(ctx, 10, nil); err != nil {
		return res, err
	}
	if res.noFlood, err = sg.run(ctx, signedSamples, nil); err != nil {
		return res, err
	}
	logf("signed webhooks without a flood: %d processed", len(res.noFlood))

	floodDone := make(chan struct{})
	go func() {
		defer close(floodDone)
		res.floodSent, res.floodTook, res.floodAnswers = ipnFlood(ctx, srv.BaseURL+"/webhooks/mercadopago")
	}()
	if res.flood, err = sg.run(ctx, 0, floodDone); err != nil {
		<-floodDone
		return res, err
	}
	<-floodDone
	if res.floodAnswers["transport error"] > 0 || len(res.flood) == 0 {
		return res, fmt.Errorf("bench: ipn flood: %d transport errors, %d signed webhooks measured under it",
			res.floodAnswers["transport error"], len(res.flood))
	}
	return res, nil
}

// withEnv is env with the variables of set replaced.
func withEnv(env []string, set map[string]string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if _, ours := set[k]; !ours {
			out = append(out, kv)
		}
	}
	for k, v := range set {
		out = append(out, k+"="+v)
	}
	return out
}

// signedHooks sends signed notifications of approved payments one every
// signedEvery and measures each from its POST to its inbox row's
// processed_at (the server's clock: the same machine's).
type signedHooks struct {
	url    string
	fake   *mptest.Server
	pool   *pgxpool.Pool
	client *http.Client
	seq    atomic.Int64
}

// run sends n notifications (n = 0: until stop is closed, at least 20) and
// waits for all of them to be processed.
func (sg *signedHooks) run(ctx context.Context, n int, stop <-chan struct{}) ([]time.Duration, error) {
	sent := map[string]time.Time{}
	tick := time.NewTicker(signedEvery)
	defer tick.Stop()
	for i := 0; ; i++ {
		if (n > 0 && i >= n) || (n == 0 && i >= 20 && closed(stop)) {
			break
		}
		id := strconv.FormatInt(90_000_000_000+sg.seq.Add(1), 10)
		sg.fake.SetPayment(mptest.Payment{ID: id, Status: "approved", StatusDetail: "accredited",
			Reference: "BENCH" + id, Amount: money.FromUnits(6000)})
		reqID := "bench-signed-" + id
		ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
		body := []byte(`{"action":"payment.updated","api_version":"v1","data":{"id":"` + id + `"},"type":"payment"}`)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, sg.url+"?data.id="+id+"&type=payment", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("x-request-id", reqID)
		req.Header.Set("x-signature", "ts="+ts+",v1="+mercadopago.Sign(benchMPSecret, id, reqID, ts))
		t0 := time.Now()
		resp, err := sg.client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("bench: signed webhook: %w", err)
		}
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("bench: signed webhook answered %d: %s", resp.StatusCode, truncate(string(data), 200))
		}
		sent[id] = t0
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
	return sg.wait(ctx, sent)
}

func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// wait polls the inbox until every notification sent is processed.
func (sg *signedHooks) wait(ctx context.Context, sent map[string]time.Time) ([]time.Duration, error) {
	ids := make([]string, 0, len(sent))
	for id := range sent {
		ids = append(ids, id)
	}
	deadline := time.Now().Add(signedDeadline)
	for {
		var lat []time.Duration
		rows, err := sg.pool.Query(ctx, `SELECT resource_id, processed_at FROM webhook_inbox
			WHERE resource_id = ANY($1) AND processed_at IS NOT NULL AND NOT unsigned`, ids)
		if err != nil {
			return nil, fmt.Errorf("bench: signed webhooks: %w", err)
		}
		for rows.Next() {
			var id string
			var at time.Time
			if err := rows.Scan(&id, &at); err != nil {
				rows.Close()
				return nil, err
			}
			lat = append(lat, max(at.Sub(sent[id]), 0))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(lat) == len(ids) {
			return lat, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("bench: %d of %d signed webhooks not processed %s after the last was sent",
				len(ids)-len(lat), len(ids), signedDeadline)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// ipnFlood posts ipnFloodSize legacy IPN for distinct made-up payment ids,
// each from its own client address, from ipnFloodClients clients, for at
// most ipnFloodMax; it counts the answers by status code.
func ipnFlood(ctx context.Context, url string) (sent int, took time.Duration, answers map[string]int) {
	client := &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: ipnFloodClients, MaxConnsPerHost: ipnFloodClients}}
	var next atomic.Int64
	var mu sync.Mutex
	answers = map[string]int{}
	deadline := time.Now().Add(ipnFloodMax)
	start := time.Now()
	var wg sync.WaitGroup
	for range ipnFloodClients {
		wg.Go(func() {
			mine := map[string]int{}
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := next.Add(1) - 1
				if i >= ipnFloodSize {
					break
				}
				req, err := http.NewRequestWithContext(ctx, http.MethodPost,
					url+"?topic=payment&id="+strconv.FormatInt(80_000_000_000+i, 10), nil)
				if err != nil {
					mine["request error"]++
					continue
				}
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
				resp, err := client.Do(req)
				if err != nil {
					if !errors.Is(ctx.Err(), context.Canceled) {
						mine["transport error"]++
					}
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine[strconv.Itoa(resp.StatusCode)]++
			}
			mu.Lock()
			for k, n := range mine {
				answers[k] += n
				sent += n
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return sent, time.Since(start), answers
}
