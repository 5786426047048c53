package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// health is what one /healthz poll of one instance said.
type health struct {
	at       time.Time
	code     int    // 0: no answer
	overall  string // ok, degraded, unhealthy, or the transport error's class
	database string
	redis    string
	mp       string
	ical     string
}

// healthOK says whether the part a fault touches is fine again.
type healthOK func(h health) bool

func up(h health) bool      { return h.code == http.StatusOK }
func dbOK(h health) bool    { return h.code == http.StatusOK && h.database == "ok" }
func redisOK(h health) bool { return h.code == http.StatusOK && h.redis == "ok" }
func mpOK(h health) bool    { return h.code == http.StatusOK && h.mp == "ok" }
func icalOK(h health) bool  { return h.code == http.StatusOK && h.ical == "ok" }

// poller samples /healthz of every instance twice a second.
type poller struct {
	mu      sync.Mutex
	samples [][]health // per instance
	last    []string
	client  *http.Client
	start   time.Time
}

func newPoller(n int, start time.Time) *poller {
	return &poller{samples: make([][]health, n), last: make([]string, n), start: start,
		client: &http.Client{Timeout: 3 * time.Second}}
}

func (p *poller) poll(ctx context.Context, insts []*instance) {
	var wg sync.WaitGroup
	for i, in := range insts {
		wg.Go(func() {
			for ctx.Err() == nil {
				h := p.probe(ctx, in.BaseURL)
				p.mu.Lock()
				p.samples[i] = append(p.samples[i], h)
				state := fmt.Sprintf("%d %s (database %s, redis %s, mercadopago %s)", h.code, h.overall, h.database, h.redis, h.mp)
				if h.code == 0 {
					state = "no answer: " + h.overall
				}
				if state != p.last[i] && p.last[i] != "" {
					say(p.start, "health %s: %s", in.Name, state)
				}
				p.last[i] = state
				p.mu.Unlock()
				sleepCtx(ctx, 500*time.Millisecond)
			}
		})
	}
	wg.Wait()
}

func (p *poller) probe(ctx context.Context, base string) health {
	h := health{at: time.Now()}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	resp, err := p.client.Do(req)
	if err != nil {
		h.overall = errClass(err)
		return h
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	h.code = resp.StatusCode
	var v struct {
		Status string                     `json:"status"`
		Checks map[string]json.RawMessage `json:"checks"`
	}
	if json.Unmarshal(body, &v) != nil {
		h.overall = "unreadable"
		return h
	}
	h.overall = v.Status
	st := func(name string) string {
		var c struct {
			Status string `json:"status"`
		}
		_ = json.Unmarshal(v.Checks[name], &c)
		return c.Status
	}
	h.database, h.redis, h.mp, h.ical = st("database"), st("redis"), st("mercadopago"), st("ical")
	return h
}

// firstBad is when instance i first failed ok at or after from; zero if never.
func (p *poller) firstBad(i int, from time.Time, ok healthOK) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, h := range p.samples[i] {
		if !h.at.Before(from) && !ok(h) {
			return h.at
		}
	}
	return time.Time{}
}

// recovered is the first sample at or after from from which every instance
// is ok; zero if not yet.
func (p *poller) recovered(from time.Time, ok healthOK) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	var worst time.Time
	for i := range p.samples {
		var good time.Time
		for _, h := range p.samples[i] {
			if h.at.Before(from) {
				continue
			}
			if ok(h) {
				if good.IsZero() {
					good = h.at
				}
			} else {
				good = time.Time{}
			}
		}
		if good.IsZero() {
			return time.Time{}
		}
		if good.After(worst) {
			worst = good
		}
	}
	return worst
}

// faultResult is one fault's figures, printed at the end.
type faultResult struct {
	name     string
	injected time.Time
	restored time.Time // when the fault was taken away (restart, mode back to ok)
	degraded string    // what health (or the feed's record) said during the fault
	recovery time.Duration
	ok       bool
	note     string
}

func say(start time.Time, format string, args ...any) {
	fmt.Printf("[%6.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
}

// faultScript injects the faults at fixed shares of the load's duration d
// and measures each recovery; it returns when every fault is over and its
// recovery measured (or given up on). The script is the list below: when
// each fault starts, and the step that injects it, takes it away and
// measures. Faults overlap; the results come in the order they end.
func (s *soak) faultScript(ctx, loadCtx context.Context, e *env, p *poller, start time.Time, d time.Duration) []faultResult {
	f := &faultRun{s: s, ctx: ctx, e: e, p: p, start: start}
	script := []struct {
		share float64 // of d, from the start of the load
		step  func(*faultRun) faultResult
	}{
		{0.06, (*faultRun).redisKilled},
		{0.27, (*faultRun).instanceKilled},
		{0.45, (*faultRun).postgresRestarted},
		{0.12, (*faultRun).feedSlowThenFailing},
		{0.55, (*faultRun).mercadoPagoSlowThenFailing},
	}
	var (
		mu  sync.Mutex
		out []faultResult
		wg  sync.WaitGroup
	)
	for _, sc := range script {
		wg.Go(func() {
			if !sleepCtx(ctx, time.Until(s.st.start.Add(time.Duration(sc.share*float64(d))))) {
				return
			}
			r := sc.step(f)
			mu.Lock()
			out = append(out, r)
			mu.Unlock()
		})
	}
	_ = loadCtx
	wg.Wait()
	return out
}

// faultRun is what the fault steps share: the soak, what it started, and
// the health samples recoveries are measured on.
type faultRun struct {
	s     *soak
	ctx   context.Context
	e     *env
	p     *poller
	start time.Time
}

// recoverWithin is how long after a fault ends health may take to be ok again.
const recoverWithin = 90 * time.Second

// measure is a health-measured recovery: every instance ok again (ok) after
// r.restored; shows is what this fault looks like in health (other faults
// may overlap).
func (f *faultRun) measure(r *faultResult, ok, shows healthOK) {
	var bad []string
	for i, in := range f.e.insts {
		if t := f.p.firstBad(i, r.injected, shows); !t.IsZero() && t.Before(r.restored.Add(time.Second)) {
			bad = append(bad, fmt.Sprintf("%s showed it after %.1f s", in.Name, t.Sub(r.injected).Seconds()))
		}
	}
	if len(bad) == 0 {
		r.degraded = "health never showed it"
	} else {
		r.degraded = "health: " + joinComma(bad)
	}
	deadline := time.Now().Add(recoverWithin)
	for {
		if t := f.p.recovered(r.restored, ok); !t.IsZero() {
			r.ok, r.recovery = true, max(t.Sub(r.restored), 0)
			return
		}
		if time.Now().After(deadline) || !sleepCtx(f.ctx, 250*time.Millisecond) {
			r.recovery = time.Since(r.restored)
			return
		}
	}
}

// redisKilled kills Redis and restarts it 15 s later.
func (f *faultRun) redisKilled() faultResult {
	r := faultResult{name: "Redis killed (SIGKILL), restarted after 15 s", injected: time.Now()}
	say(f.start, "FAULT redis-server killed")
	f.e.redis.kill()
	sleepCtx(f.ctx, 15*time.Second)
	if err := f.e.redis.start(f.ctx); err != nil {
		r.note = err.Error()
	}
	r.restored = time.Now()
	say(f.start, "FAULT redis-server restarted (empty: no persistence)")
	f.measure(&r, redisOK, func(h health) bool { return h.code == 0 || h.redis == "ok" })
	return r
}

// instanceKilled kills instance B with SIGKILL and restarts it 3 s later.
// It has recovered when it answers again and the jobs it had taken are
// handed back.
func (f *faultRun) instanceKilled() faultResult {
	b := f.e.insts[1]
	r := faultResult{name: "instance B killed (SIGKILL), restarted", injected: time.Now()}
	say(f.start, "FAULT %s killed", b.Name)
	b.kill()
	sleepCtx(f.ctx, 3*time.Second)
	r.restored = time.Now()
	if err := b.start(f.ctx); err != nil {
		r.note = err.Error()
	}
	say(f.start, "FAULT %s restarted and ready after %.1f s", b.Name, time.Since(r.restored).Seconds())
	f.measure(&r, up, up)
	// The jobs the dead process had taken stay "running" until the
	// leader hands them back: that is when nothing of it is lost any more.
	if ok, n, after := f.s.waitJobsBack(f.ctx, r.injected, 240*time.Second); n > 0 {
		r.note = fmt.Sprintf("%d jobs it had taken handed back %.1f s after the kill", n, after.Seconds())
		if !ok {
			r.ok = false
			r.note = fmt.Sprintf("%d jobs it had taken still running %.0f s after the kill", n, after.Seconds())
		}
		if r.ok && after-r.restored.Sub(r.injected) > r.recovery {
			r.recovery = after - r.restored.Sub(r.injected)
		}
	}
	return r
}

// postgresRestarted restarts PostgreSQL fast (connections cut), unless this
// cluster cannot be restarted (noRestart says why).
func (f *faultRun) postgresRestarted() faultResult {
	r := faultResult{name: "PostgreSQL restarted (pg_ctl restart -m fast)", injected: time.Now()}
	if f.e.pg.noRestart != "" {
		r.restored, r.ok, r.note = time.Now(), true, f.e.pg.noRestart
		say(f.start, "FAULT PostgreSQL restart %s", f.e.pg.noRestart)
		return r
	}
	say(f.start, "FAULT PostgreSQL restarting")
	if err := f.e.pg.restart(f.ctx); err != nil {
		r.note = err.Error()
	}
	r.restored = time.Now()
	say(f.start, "FAULT PostgreSQL restarted in %.1f s", r.restored.Sub(r.injected).Seconds())
	f.measure(&r, dbOK, func(h health) bool { return h.code == 0 || h.database == "ok" })
	return r
}

// feedSlowThenFailing makes the channel feed slow (beyond the importer's
// timeout) for 40 s, then failing for 30 s. It has recovered when every feed
// synced again.
func (f *faultRun) feedSlowThenFailing() faultResult {
	s := f.s
	r := faultResult{name: "channel feed slow 40 s, then 500 for 30 s", injected: time.Now()}
	say(f.start, "FAULT channel feed slow (%s per answer)", s.feed.slowFor)
	s.feed.mode.Store(modeSlow)
	watch, stopWatch := context.WithCancel(f.ctx)
	seen := make(chan string, 1)
	go func() { seen <- s.watchFeedErrors(watch) }()
	sleepCtx(f.ctx, 40*time.Second)
	say(f.start, "FAULT channel feed failing (500)")
	s.feed.mode.Store(modeFail)
	sleepCtx(f.ctx, 30*time.Second)
	s.feed.mode.Store(modeOK)
	r.restored = time.Now()
	say(f.start, "FAULT channel feed answering again")
	stopWatch()
	errs := <-seen
	f.measure(&r, icalOK, func(h health) bool { return h.code != http.StatusOK || h.ical == "ok" })
	health := r.degraded
	s.measureFeeds(f.ctx, &r, 150*time.Second)
	r.degraded = fmt.Sprintf("%s; fetches during it: %d slow, %d failing; feed errors recorded: %s", health,
		s.feed.hits[modeSlow].Load(), s.feed.hits[modeFail].Load(), errs)
	return r
}

// mercadoPagoSlowThenFailing makes Mercado Pago slow (beyond the client's
// timeout) for 20 s, then answer 503 for 20 s. It has recovered when the
// notifications that arrived meanwhile are processed.
func (f *faultRun) mercadoPagoSlowThenFailing() faultResult {
	s := f.s
	r := faultResult{name: "Mercado Pago slow 20 s, then 503 for 20 s", injected: time.Now()}
	say(f.start, "FAULT Mercado Pago slow (%s per answer)", s.mp.slowFor)
	s.mp.mode.Store(modeSlow)
	sleepCtx(f.ctx, 20*time.Second)
	say(f.start, "FAULT Mercado Pago failing (503)")
	s.mp.mode.Store(modeFail)
	sleepCtx(f.ctx, 20*time.Second)
	s.mp.mode.Store(modeOK)
	r.restored = time.Now()
	say(f.start, "FAULT Mercado Pago answering again")
	f.measure(&r, mpOK, func(h health) bool { return h.code != http.StatusOK || h.mp == "ok" })
	// Notifications that arrived during the fault wait for their jobs:
	// recovered when the last of them is processed.
	if ok, n, after := s.waitInboxBack(f.ctx, r.restored, 240*time.Second); n > 0 {
		r.note = fmt.Sprintf("%d notifications left unprocessed by the fault, the last processed %.1f s after it ended", n, after.Seconds())
		if !ok {
			r.ok = false
			r.note = fmt.Sprintf("%d notifications left unprocessed by the fault, some still waiting %.0f s after it ended", n, after.Seconds())
		}
		if r.ok && after > r.recovery {
			r.recovery = after
		}
	}
	return r
}

// watchFeedErrors polls the feeds' records until ctx ends and says which
// errors were recorded on them meanwhile.
func (s *soak) watchFeedErrors(ctx context.Context) string {
	seen := map[string]bool{}
	for ctx.Err() == nil {
		rows, err := s.pool.Query(ctx, `SELECT DISTINCT coalesce(last_status::text, '-') || ' ' || last_error FROM channel_feeds WHERE last_error <> ''`)
		if err == nil {
			for rows.Next() {
				var e string
				if rows.Scan(&e) == nil {
					seen[truncate(e, 80)] = true
				}
			}
			rows.Close()
		}
		sleepCtx(ctx, time.Second)
	}
	if len(seen) == 0 {
		return "none"
	}
	var out []string
	for e := range seen {
		out = append(out, strconv.Quote(e))
	}
	slices.Sort(out)
	return joinComma(out)
}

// measureFeeds: every feed synced successfully after the fault ended.
func (s *soak) measureFeeds(ctx context.Context, r *faultResult, within time.Duration) {
	deadline := time.Now().Add(within)
	for {
		var feeds, okAfter int
		var lastOK time.Time
		err := s.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE last_success_at > $1 AND last_error = ''),
			coalesce(max(last_success_at), now()) FROM channel_feeds`, r.restored).Scan(&feeds, &okAfter, &lastOK)
		if err == nil && feeds > 0 && okAfter == feeds {
			if rec := lastOK.Sub(r.restored); rec > r.recovery || !r.ok {
				r.recovery = rec
			}
			r.note = fmt.Sprintf("all %d feeds synced again %.1f s after it ended", feeds, lastOK.Sub(r.restored).Seconds())
			return
		}
		if time.Now().After(deadline) || !sleepCtx(ctx, time.Second) {
			r.ok, r.recovery = false, time.Since(r.restored)
			r.note = fmt.Sprintf("%d of %d feeds synced again", okAfter, feeds)
			if err != nil {
				r.note = err.Error()
			}
			return
		}
	}
}

func joinComma(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += ", "
		}
		out += p
	}
	return out
}

// waitJobsBack waits until no job taken before since is still running; it
// returns whether that happened, how many there were and when (after since).
func (s *soak) waitJobsBack(ctx context.Context, since time.Time, within time.Duration) (bool, int, time.Duration) {
	var first int
	_ = s.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state = 'running' AND attempted_at < $1`, since).Scan(&first)
	if first == 0 {
		return true, 0, 0
	}
	deadline := since.Add(within)
	for {
		var n int
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state = 'running' AND attempted_at < $1`, since).
			Scan(&n); err == nil && n == 0 {
			return true, first, time.Since(since)
		}
		if time.Now().After(deadline) || !sleepCtx(ctx, 500*time.Millisecond) {
			return false, first, time.Since(since)
		}
	}
}

// waitInboxBack waits until every Mercado Pago notification received before
// until is processed; it returns whether that happened, how many were
// waiting at until and when (after until).
func (s *soak) waitInboxBack(ctx context.Context, until time.Time, within time.Duration) (bool, int, time.Duration) {
	const q = `SELECT count(*) FROM webhook_inbox WHERE provider = 'mercadopago' AND processed_at IS NULL AND received_at < $1`
	var first int
	_ = s.pool.QueryRow(ctx, q, until).Scan(&first)
	if first == 0 {
		return true, 0, 0
	}
	deadline := until.Add(within)
	for {
		var n int
		if err := s.pool.QueryRow(ctx, q, until).Scan(&n); err == nil && n == 0 {
			return true, first, time.Since(until)
		}
		if time.Now().After(deadline) || !sleepCtx(ctx, 500*time.Millisecond) {
			return false, first, time.Since(until)
		}
	}
}
