// Command bench is the load generator behind `make bench`: it starts the
// server on loopback against a fresh database, measures pre-reservations
// against a raw-insert baseline taken in the same run, storms single
// properties to check that exactly one request wins, reads the owner's
// three-month calendar of 20 properties against a same-size static file
// (calendar.go), quotes a dollar property against an identical peso one
// (quote.go), times the WhatsApp webhook and assistant (whatsapp.go) and
// signed Mercado Pago webhooks with and without a flood of unsigned IPN
// (ipnflood.go), and prints one line per figure: `BENCH <name> <value> <unit>`.
//
// Environment: BENCH_PG_URL (server to create the database on),
// BENCH_DURATION (total time per throughput measurement, default 15s),
// BENCH_ADDR and BENCH_DATABASE_URL (use a running server instead; with it,
// BENCH_DATA_DIR is that server's DATA_DIR, for the same-size file, and
// BENCH_MP_SECRET / BENCH_WA_SECRET its webhook secrets), BENCH_ONLY=ipn_flood
// or BENCH_ONLY=quote (run only that phase).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

const (
	defaultPGURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	numProps     = 200
	workers      = 50
	// rawClients is the headline baseline's concurrency (see raw.go).
	rawClients = 8
	// Properties below ownedProps belong to the throughput workers; the
	// storm rounds and the warm-up use the ones above, so no phase can
	// collide with another's nights.
	ownedProps  = 150
	stormFirst  = 150
	stormWarmup = 199
	stormRounds = 10
	stormSize   = 200
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx)
	stop()
	os.Exit(code)
}

func run(ctx context.Context) int {
	if err := bench(ctx); err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(os.Stderr, "bench: interrupted")
			return 130
		}
		var fail *failedChecks
		if errors.As(err, &fail) {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 1
		}
		fmt.Fprintln(os.Stderr, "bench: error:", err)
		return 2
	}
	return 0
}

func bench(ctx context.Context) (err error) {
	duration, err := envDuration("BENCH_DURATION", 15*time.Second)
	if err != nil {
		return err
	}
	start := time.Now()
	today := time.Now().UTC().Truncate(24 * time.Hour)
	only := os.Getenv("BENCH_ONLY")
	if only != "" && only != "quote" {
		// One phase alone, on servers of its own (ipn_flood; quote runs on the usual server).
		if only != "ipn_flood" {
			return fmt.Errorf("bench: BENCH_ONLY=%q: the phases that run alone are ipn_flood and quote", only)
		}
		flood, err := ipnFloodBench(ctx)
		if err != nil {
			return err
		}
		flood.print(os.Stdout)
		logf("done in %s", time.Since(start).Round(time.Second))
		return nil
	}

	var baseURL, dbURL, dataDir string
	var props []int64
	if addr := os.Getenv("BENCH_ADDR"); addr != "" {
		dbURL = os.Getenv("BENCH_DATABASE_URL")
		if dbURL == "" {
			return errors.New("BENCH_ADDR needs BENCH_DATABASE_URL (the raw baseline and the data setup write to it)")
		}
		baseURL = addr
		if !strings.Contains(addr, "://") {
			baseURL = "http://" + addr
		}
		logf("using the running server at %s", baseURL)
		// Where that server keeps uploads, for the calendar's same-size file.
		dataDir = os.Getenv("BENCH_DATA_DIR")
		// A debugging database may hold a previous run's stays.
		if props, err = seed(ctx, dbURL, true); err != nil {
			return err
		}
	} else {
		var finish func(error) error
		if baseURL, dbURL, dataDir, props, finish, err = startManaged(ctx); err != nil {
			return err
		}
		defer func() { err = finish(err) }()
	}
	if only == "quote" {
		return measureQuoteOnly(ctx, baseURL, dbURL, duration, start)
	}
	return measure(ctx, baseURL, dbURL, dataDir, props, duration, today, start)
}

// measureQuoteOnly runs the quote phase alone (BENCH_ONLY=quote).
func measureQuoteOnly(ctx context.Context, baseURL, dbURL string, duration time.Duration, start time.Time) error {
	q, err := quoteBench(ctx, baseURL, dbURL, duration)
	if err != nil {
		return err
	}
	q.print(os.Stdout)
	logf("done in %s", time.Since(start).Round(time.Second))
	if n := q.failed(); n > 0 || q.usd.ok == 0 || q.ars.ok == 0 {
		return &failedChecks{calendarErrors: n, stormRounds: stormRounds}
	}
	return nil
}

// startManaged creates the database, builds, migrates, seeds and starts the
// server. finish stops the server and drops the database; it is also what
// runs when startManaged itself fails halfway. dataDir is the server's DATA_DIR.
func startManaged(ctx context.Context) (baseURL, dbURL, dataDir string, props []int64, finish func(error) error, err error) {
	adminURL := os.Getenv("BENCH_PG_URL")
	if adminURL == "" {
		adminURL = defaultPGURL
	}
	name := fmt.Sprintf("alojamientos_bench_%d", os.Getpid())
	var tmp string
	var srv *server
	finish = func(err error) error {
		if srv != nil {
			if serr := srv.stop(); serr != nil && err == nil {
				err = serr
			}
			// The server's own words are the best clue when anything failed.
			if err != nil {
				srv.printLog()
			} else {
				srv.summarizeLog()
			}
		}
		if tmp != "" {
			os.RemoveAll(tmp)
		}
		// A fresh context: on an interrupt ctx is already done.
		if derr := dropDatabase(adminURL, name); derr != nil {
			fmt.Fprintln(os.Stderr, "bench:", derr)
		}
		return err
	}
	fail := func(err error) (string, string, string, []int64, func(error) error, error) {
		return "", "", "", nil, nil, finish(err)
	}

	if dbURL, err = createDatabase(ctx, adminURL, name); err != nil {
		return "", "", "", nil, nil, err
	}
	if tmp, err = os.MkdirTemp("", "alojamientos-bench-"); err != nil {
		return fail(fmt.Errorf("bench: temp dir: %w", err))
	}
	var built *server
	if built, err = buildServer(ctx, tmp, dbURL); err != nil {
		return fail(err)
	}
	if err = built.migrate(ctx); err != nil {
		built.printLog()
		return fail(err)
	}
	if props, err = seed(ctx, dbURL, false); err != nil {
		return fail(err)
	}
	srv = built
	if err = srv.start(ctx); err != nil {
		return fail(err)
	}
	return srv.BaseURL, dbURL, srv.dataDir, props, finish, nil
}

// measure runs every phase against a ready server and prints the figures.
// The order matters: the throughput halves first, on a quiet machine; the
// assistant, whose replies become the server's send jobs, and the IPN flood,
// with a server of its own, last.
func measure(ctx context.Context, baseURL, dbURL, dataDir string, props []int64, duration time.Duration, today, start time.Time) error {
	raw, err := newRawBench(ctx, dbURL, props, today)
	if err != nil {
		return err
	}
	defer raw.close()
	load := newLoad(baseURL, props, today)

	var rep report
	if err := measureHolds(ctx, raw, load, duration, &rep); err != nil {
		return err
	}
	rep.webhook, rep.waWebhook = measureWebhooks(ctx, baseURL, duration)
	rep.storm = load.storm(ctx)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := measurePages(ctx, baseURL, dbURL, dataDir, duration, &rep); err != nil {
		return err
	}
	// Channel feeds: our export from the cache, and parsing a big feed.
	icalRes, err := icalBench(ctx, baseURL, dbURL, dataDir, duration)
	if err != nil {
		return err
	}
	// The assistant's answer without the network, last: the replies it
	// queues become send jobs of the server (skipped at once without an
	// access token), which no other phase should share the machine with.
	if rep.assistant, err = assistantBench(ctx, dbURL, duration/2); err != nil {
		return err
	}
	flood, err := measureIPNFlood(ctx)
	if err != nil {
		return err
	}

	rep.print(os.Stdout)
	icalRes.print(os.Stdout)
	if flood.floodSent > 0 {
		flood.print(os.Stdout)
	}
	logf("done in %s", time.Since(start).Round(time.Second))
	return rep.check()
}

// measureHolds times raw inserts, the hold statement and pre-reservations
// over HTTP in alternating halves, into rep's raw, raw50, holdSQL and http.
func measureHolds(ctx context.Context, raw *rawBench, load *load, duration time.Duration, rep *report) error {
	// An uncounted second of each opens the connection pools and warms
	// the caches, which otherwise all land on the first half.
	if _, err := raw.run(ctx, time.Second, workers, raw.rawInsert); err != nil {
		return err
	}
	if err := raw.cleanup(ctx); err != nil {
		return err
	}
	warm := load.prereserve(ctx, time.Second)

	// Alternating halves spread the machine's background noise over both
	// measurements instead of letting it land on one.
	for half := 1; half <= 2; half++ {
		if err := measureRawHalf(ctx, raw, duration/2, half, rep); err != nil {
			return err
		}
		h := load.prereserve(ctx, duration/2)
		logf("prereserve half %d: %d created in %s", half, h.ok, h.elapsed.Round(time.Millisecond))
		rep.http.add(h)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	// Only the failures of the warm-up count: they are failures all the same.
	rep.http.add(phaseResult{failures: warm.failures, samples: warm.samples})
	if n := load.exhausted.Load(); n > 0 {
		logf("warning: %d clients ran out of nights before the end of a phase; prereserve_rate is understated", n)
	}
	return nil
}

// measureRawHalf runs one half of the SQL baselines: raw inserts with
// rawClients and with workers clients, and the hold statement, emptying the
// table after each.
func measureRawHalf(ctx context.Context, raw *rawBench, d time.Duration, half int, rep *report) error {
	for _, ph := range []struct {
		name    string
		clients int
		take    takeNight
		total   *phaseResult
	}{
		{"raw_insert", rawClients, raw.rawInsert, &rep.raw},
		{"raw_insert", workers, raw.rawInsert, &rep.raw50},
		{"hold_sql", rawClients, raw.holdSQL, &rep.holdSQL},
	} {
		r, err := raw.run(ctx, d, ph.clients, ph.take)
		if err != nil {
			return err
		}
		logf("%s half %d, %d clients: %d in %s", ph.name, half, ph.clients, r.ok, r.elapsed.Round(time.Millisecond))
		ph.total.add(r)
		if err := raw.cleanup(ctx); err != nil {
			return err
		}
	}
	return nil
}

// measureWebhooks times signed Mercado Pago notifications and WhatsApp
// deliveries (signature check and inbox insert), each skipped when a running
// server's secret is not given.
func measureWebhooks(ctx context.Context, baseURL string, duration time.Duration) (mp, wa phaseResult) {
	managed := os.Getenv("BENCH_ADDR") == ""
	if secret := webhookSecret(managed); secret != "" {
		mp = webhooks(ctx, baseURL, secret, duration/2)
		logf("webhooks: %d accepted in %s", mp.ok, mp.elapsed.Round(time.Millisecond))
	} else {
		logf("webhooks: skipped (BENCH_ADDR without BENCH_MP_SECRET)")
	}
	if secret := waSecret(managed); secret != "" {
		wa = waWebhooks(ctx, baseURL, secret, duration/2)
		logf("whatsapp webhooks: %d accepted in %s", wa.ok, wa.elapsed.Round(time.Millisecond))
	} else {
		logf("whatsapp webhooks: skipped (BENCH_ADDR without BENCH_WA_SECRET)")
	}
	return mp, wa
}

// measurePages reads the owner's calendar (its own account and properties,
// after the writes), the guest's public pages of that account and the quote
// API in dollars against pesos (quote.go), into rep's cal, pages and quote.
func measurePages(ctx context.Context, baseURL, dbURL, dataDir string, duration time.Duration, rep *report) error {
	cal, err := newCalBench(ctx, baseURL, dbURL, dataDir)
	if err != nil {
		return err
	}
	if rep.cal, err = cal.measure(ctx, duration); err != nil {
		return err
	}
	guests, err := newGuestBenches(ctx, baseURL, dataDir)
	if err != nil {
		return err
	}
	for _, g := range guests {
		r, err := g.measure(ctx, duration)
		if err != nil {
			return err
		}
		rep.pages = append(rep.pages, r)
	}
	rep.quote, err = quoteBench(ctx, baseURL, dbURL, duration)
	return err
}

// measureIPNFlood times signed webhooks under a flood of unsigned IPN on a
// server and database of its own (ipnflood.go), so the flood's leftovers
// touch nothing the other phases measure. A running server (BENCH_ADDR)
// skips it: the zero result prints nothing.
func measureIPNFlood(ctx context.Context) (ipnFloodResult, error) {
	if os.Getenv("BENCH_ADDR") != "" {
		logf("ipn flood: skipped (it starts a server of its own; BENCH_ADDR is set)")
		return ipnFloodResult{}, nil
	}
	return ipnFloodBench(ctx)
}

func envDuration(key string, def time.Duration) (time.Duration, error) {
	v := os.Getenv(key)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 2*time.Second {
		return 0, fmt.Errorf("bench: %s must be a Go duration of at least 2s, like 15s", key)
	}
	return d, nil
}

// logf writes progress to stderr so stdout carries only BENCH lines.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
