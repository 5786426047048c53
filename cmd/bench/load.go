package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// load drives the public API the way guests do, only many at once.
type load struct {
	url     string
	client  *http.Client
	props   []int64
	walkers []*walker
	today   time.Time

	exhausted atomic.Int64 // clients that ran out of free nights
}

func newLoad(baseURL string, props []int64, today time.Time) *load {
	l := &load{
		url:    baseURL + "/api/v1/reservations/pre-reserve",
		client: newClient(100),
		props:  props,
		today:  today,
	}
	for _, owned := range ownership(props) {
		l.walkers = append(l.walkers, newWalker(owned, today.AddDate(0, 0, 30), today.AddDate(3, 0, 0)))
	}
	return l
}

// newClient keeps up to idle connections open to the server, so the figures
// measure requests and not TCP handshakes (Go's default keeps only 2).
func newClient(idle int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil, // loopback: an exported HTTP_PROXY must not get in the way
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        idle,
			MaxIdleConnsPerHost: idle,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
}

// walker hands one client stays that nobody else asks for: its own
// properties, in turn, each walked forward night after night, 1 to 3 nights
// a stay. Back-to-back stays are fine since nights are half-open ranges.
type walker struct {
	props []int64
	next  []time.Time // per property: the first night not yet asked for
	limit time.Time   // no check-out after this day
	k     int
}

func newWalker(props []int64, first, limit time.Time) *walker {
	w := &walker{props: props, next: make([]time.Time, len(props)), limit: limit}
	for i := range w.next {
		w.next[i] = first
	}
	return w
}

func (w *walker) stay() (prop int64, checkIn, checkOut time.Time, ok bool) {
	for range w.props {
		i := w.k % len(w.props)
		nights := 1 + (w.k/len(w.props))%3
		w.k++
		in, out := w.next[i], w.next[i].AddDate(0, 0, nights)
		if out.After(w.limit) {
			continue
		}
		w.next[i] = out
		return w.props[i], in, out, true
	}
	return 0, time.Time{}, time.Time{}, false
}

type prereserveBody struct {
	PropertyID int64  `json:"property_id"`
	CheckIn    string `json:"check_in"`
	CheckOut   string `json:"check_out"`
	Guests     int    `json:"guests"`
	GuestName  string `json:"guest_name"`
	GuestPhone string `json:"guest_phone"`
	GuestEmail string `json:"guest_email"`
	Channel    string `json:"channel"`
}

func requestBody(prop int64, in, out time.Time) []byte {
	b, _ := json.Marshal(prereserveBody{
		PropertyID: prop, CheckIn: dateOnly(in), CheckOut: dateOnly(out), Guests: 2,
		GuestName: "Bench Guest", GuestPhone: "+5491155550000", GuestEmail: "bench@example.com", Channel: "direct",
	})
	return b
}

// outcome classifies one answer: "201" and "409" are the contract's success
// and "taken"; anything else is a key naming what went wrong.
type outcome struct {
	class  string
	detail string // the body or the error, for the warning
	lat    time.Duration
}

func (l *load) post(ctx context.Context, client *http.Client, body []byte) outcome {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.url, bytes.NewReader(body))
	if err != nil {
		return outcome{class: "request error", detail: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return outcome{class: "transport error", detail: err.Error(), lat: time.Since(t0)}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	// Drained to the end so the connection goes back to the pool.
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	o := outcome{lat: time.Since(t0), detail: string(data)}
	switch {
	case err != nil:
		o.class, o.detail = "read error", err.Error()
	case resp.StatusCode == http.StatusCreated && bytes.Contains(data, []byte(`"pre_reserved"`)):
		o.class = "201"
	case resp.StatusCode == http.StatusCreated:
		o.class = "201 without status pre_reserved"
	case resp.StatusCode == http.StatusConflict &&
		(bytes.Contains(data, []byte(`"date_overlap"`)) || bytes.Contains(data, []byte(`"processing_or_unavailable"`))):
		o.class = "409"
	default:
		o.class = strconv.Itoa(resp.StatusCode)
	}
	return o
}

// prereserve runs the throughput phase: every client walks its own nights,
// so every request should be a 201.
func (l *load) prereserve(ctx context.Context, d time.Duration) phaseResult {
	deadline := time.Now().Add(d)
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		res = phaseResult{failures: map[string]int{}, samples: map[string]string{}}
	)
	start := time.Now()
	for _, w := range l.walkers {
		wg.Go(func() {
			mine := phaseResult{failures: map[string]int{}, samples: map[string]string{}}
			for time.Now().Before(deadline) && ctx.Err() == nil {
				prop, in, out, ok := w.stay()
				if !ok {
					l.exhausted.Add(1)
					break
				}
				o := l.post(ctx, l.client, requestBody(prop, in, out))
				if ctx.Err() != nil {
					break
				}
				mine.lat = append(mine.lat, o.lat)
				if o.class == "201" {
					mine.ok++
					continue
				}
				mine.fail(o.class, fmt.Sprintf("property %d %s..%s: %s", prop, dateOnly(in), dateOnly(out), o.detail))
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

// stormResult is what the storm rounds saw.
type stormResult struct {
	rounds, roundsOK int
	violations       int
	lat              []time.Duration
	details          []string
}

// storm releases stormSize requests for the same nights at once, round after
// round on a fresh property: exactly one may win, every other must be a 409.
// It has its own client with room for every request's connection, and a
// first, uncounted round on another property opens those connections, so
// the rounds time the server and not the dialling.
func (l *load) storm(ctx context.Context) stormResult {
	client := newClient(stormSize)
	in := l.today.AddDate(0, 0, 60)
	out := in.AddDate(0, 0, 3)
	l.stormRound(ctx, client, l.props[stormWarmup], in, out)

	var res stormResult
	for round := range stormRounds {
		if ctx.Err() != nil {
			break
		}
		prop := l.props[stormFirst+round]
		outcomes := l.stormRound(ctx, client, prop, in, out)
		counts := map[string]int{}
		for _, o := range outcomes {
			counts[o.class]++
			res.lat = append(res.lat, o.lat)
		}
		bad := abs(counts["201"]-1) + len(outcomes) - counts["201"] - counts["409"]
		res.rounds++
		if bad == 0 {
			res.roundsOK++
			continue
		}
		res.violations += bad
		res.details = append(res.details, fmt.Sprintf("round %d (property %d): %v", round+1, prop, counts))
		for _, o := range outcomes {
			if o.class != "201" && o.class != "409" {
				res.details = append(res.details, fmt.Sprintf("  %s: %s", o.class, truncate(o.detail, 300)))
				break
			}
		}
	}
	return res
}

func (l *load) stormRound(ctx context.Context, client *http.Client, prop int64, in, out time.Time) []outcome {
	body := requestBody(prop, in, out)
	outcomes := make([]outcome, stormSize)
	gate := make(chan struct{})
	var ready, done sync.WaitGroup
	for i := range stormSize {
		ready.Add(1)
		done.Go(func() {
			ready.Done()
			<-gate
			outcomes[i] = l.post(ctx, client, body)
		})
	}
	ready.Wait()
	close(gate)
	done.Wait()
	return outcomes
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
