// Command soak is the load generator behind `make soak`: it builds the
// server, starts its own PostgreSQL cluster and redis-server on free loopback
// ports, two `alojamientos serve` instances sharing them, and in-process fakes
// of Mercado Pago, the WhatsApp Graph API and a channel's calendar; drives a
// realistic mix over both instances for SOAK_DURATION (guests browsing,
// quoting and holding, collisions, payments and WhatsApp messages as signed
// webhooks with duplicates, channels polling feeds, the owner's dashboard);
// then lets the system drain and checks the invariants with SQL. With
// -faults (make soak FAULTS=1) it also kills Redis, one instance and
// PostgreSQL, and turns the channel feed and Mercado Pago slow and failing,
// and prints how long each recovery took. The exit status is 1 when an
// invariant fails, 2 when the soak itself could not run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"alojamientos/cmd/internal/serverproc"
	"alojamientos/internal/booking"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/whatsapp/watest"
)

const (
	demoEmail    = "duena@demo.alojamientos.ar"
	demoPassword = "lago-demo-2026"
	// The secrets both instances share.
	sessionSecret = "soak-session-secret-0123456789abcdef0123456789abcdef"
	icsSalt       = "soak-ics-salt-0123456789abcdef0123456789abcdef01234567"
	waAppSecret   = "soak-whatsapp-app-secret"
	waVerifyToken = "soak-verify-token"
	waNumberID    = "109876543210987"
	// Every hold property: soakHoldProps walked by the hold workers (the
	// first soakShortProps with one-minute holds), then soakRaceProps for collisions.
	soakHoldProps  = 20
	soakShortProps = 6
	soakRaceProps  = 4
	workers        = 10
	hardLimit      = 9*time.Minute + 30*time.Second
)

func main() {
	faults := flag.Bool("faults", os.Getenv("FAULTS") == "1", "inject faults during the run (Redis, an instance, PostgreSQL, the channel feed, Mercado Pago)")
	flag.Parse()
	d := 150 * time.Second
	if v := os.Getenv("SOAK_DURATION"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil || d < 20*time.Second || d > 6*time.Minute {
			fmt.Fprintln(os.Stderr, "soak: SOAK_DURATION must be a Go duration between 20s and 6m, like 150s")
			os.Exit(2)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(ctx, hardLimit)
	code := run(ctx, d, *faults)
	cancel()
	stop()
	os.Exit(code)
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "soak: "+format+"\n", args...) }

// env is everything the soak started.
type env struct {
	tmp   string
	pg    *postgres
	redis *redis
	insts []*instance
	tb    *fakeTB
}

func (e *env) close(failed bool) {
	for _, in := range e.insts {
		if in.alive() {
			if err := in.stop(); err != nil {
				logf("%v", err)
			}
		}
		if failed {
			in.printLog()
		}
	}
	if e.redis != nil {
		e.redis.stop()
	}
	if e.pg != nil {
		e.pg.stop()
	}
	if e.tb != nil {
		e.tb.close()
	}
	if e.tmp != "" && os.Getenv("SOAK_KEEP") == "" {
		os.RemoveAll(e.tmp)
	}
}

// run starts everything, drives the load (and the faults), lets the system
// drain, prints the figures and checks the invariants. Its result is the exit
// status: 0 when every check passed, 1 when one failed, 2 when the soak could
// not run.
func run(ctx context.Context, d time.Duration, faults bool) (code int) {
	start := time.Now()
	e := &env{tb: &fakeTB{}}
	failed := true
	defer func() {
		if r := recover(); r != nil {
			logf("panic: %v", r)
			code = 2
		}
		e.close(failed && code == 2)
	}()
	s, err := setup(ctx, e, start)
	if err != nil {
		logf("%v", err)
		return 2
	}
	defer s.pool.Close()

	mode := "without faults"
	if faults {
		mode = "with faults"
	}
	say(start, "load for %s %s on %s and %s", d, mode, e.insts[0].BaseURL, e.insts[1].BaseURL)
	pollCtx, stopPoll := context.WithCancel(ctx)
	defer stopPoll()
	p := newPoller(len(e.insts), start)
	pollDone := make(chan struct{})
	go func() { p.poll(pollCtx, e.insts); close(pollDone) }()

	results := s.drive(ctx, e, p, start, d, faults)
	if ctx.Err() != nil {
		logf("interrupted")
		return 2
	}
	s.drain(ctx, e, start, faults)
	stopPoll()
	<-pollDone

	_, errs := s.st.print(os.Stdout)
	s.printTotals(ctx)
	if faults {
		printFaults(results, start, errs)
	}
	checks, bad := s.verdict(ctx, results, faults)
	fmt.Println()
	for _, in := range e.insts {
		in.summarizeLog()
	}
	failed = bad > 0
	fmt.Printf("\nsoak %s: %d checks, %d failed, %.0f s in all\n", mode, checks, bad, time.Since(start).Seconds())
	if bad > 0 {
		return 1
	}
	return 0
}

// drive runs the workers over both instances for d, with the fault script
// beside them when faults is set, and returns once the load has stopped, the
// late payments are made and the fault script has ended.
func (s *soak) drive(ctx context.Context, e *env, p *poller, start time.Time, d time.Duration, faults bool) []faultResult {
	loadCtx, stopLoad := context.WithTimeout(ctx, d)
	s.st.start = time.Now()
	s.loadEnd = s.st.start.Add(d)
	var results []faultResult
	faultsDone := make(chan struct{})
	go func() {
		defer close(faultsDone)
		if faults {
			results = s.faultScript(ctx, loadCtx, e, p, start, d)
		}
	}()
	s.run(loadCtx, workers)
	stopLoad()
	s.st.end = time.Now()
	say(start, "load stopped; waiting for late payments and the fault script")
	s.payWG.Wait()
	<-faultsDone
	return results
}

// drain says which instances died, then waits for the system to finish the
// load's work: until at least 65 s after the load stopped (the one-minute
// holds pass their expiry), giving up after 150 s of draining (200 s with
// faults).
func (s *soak) drain(ctx context.Context, e *env, start time.Time, faults bool) {
	for _, in := range e.insts {
		if !in.alive() {
			say(start, "%s is not running at the end: %v", in.Name, in.Err())
		}
	}
	maxDrain := 150 * time.Second
	if faults {
		maxDrain = 200 * time.Second
	}
	s.waitDrain(ctx, start, 65*time.Second-time.Since(s.st.end), maxDrain)
}

// printTotals prints what the load did and what the fakes saw, and the job lags.
func (s *soak) printTotals(ctx context.Context) {
	s.mu.Lock()
	fmt.Printf("\nholds answered 201: %d; payments approved and notified: %d; WhatsApp messages delivered: %d; booking chats completed: %d; collision rounds: %d\n",
		len(s.holds), len(s.approved), len(s.waSent), s.chatsDone, s.raceRounds)
	s.mu.Unlock()
	fmt.Printf("fake Mercado Pago calls: %d ok, %d slow, %d failing; channel feed fetches: %d ok, %d slow, %d failing; WhatsApp sends accepted: %d\n",
		s.mp.calls[modeOK].Load(), s.mp.calls[modeSlow].Load(), s.mp.calls[modeFail].Load(),
		s.feed.hits[modeOK].Load(), s.feed.hits[modeSlow].Load(), s.feed.hits[modeFail].Load(), len(s.graph.Sent()))
	fmt.Println(s.lags(context.WithoutCancel(ctx)))
}

// printFaults prints each fault: when it was injected and removed, what it
// degraded and how long the system took to recover.
func printFaults(results []faultResult, start time.Time, errs int) {
	fmt.Printf("\n== Faults ==\n")
	for _, r := range results {
		state := "recovered in"
		if !r.ok {
			state = "NOT recovered after"
		}
		fmt.Printf("%-44s injected at %5.1fs, removed at %5.1fs; %s; %s %.1f s%s\n", r.name,
			r.injected.Sub(start).Seconds(), r.restored.Sub(start).Seconds(), r.degraded, state, r.recovery.Seconds(), suffixNote(r.note))
	}
	if errs > 0 {
		fmt.Println("(requests failing while a fault lasts are counted as errors above; they do not fail the run)")
	}
}

// verdict checks and prints the invariants and, after faults, that every
// fault recovered by itself. It returns how many checks ran (the
// invariants) and how many failed (recoveries included).
func (s *soak) verdict(ctx context.Context, results []faultResult, faults bool) (checks, bad int) {
	fmt.Printf("\n== Invariants ==\n")
	all := s.invariants(context.WithoutCancel(ctx))
	for _, c := range all {
		fmt.Println(c)
		if !c.pass {
			bad++
		}
	}
	if faults {
		for _, r := range results {
			if !r.ok {
				fmt.Printf("FAIL  recovery: %s did not recover by itself\n", r.name)
				bad++
			}
		}
	}
	return len(all), bad
}

func suffixNote(n string) string {
	if n == "" {
		return ""
	}
	return " (" + n + ")"
}

// setup starts everything and loads the data: the server binary, the soak's
// own PostgreSQL and Redis, the fakes, the two instances (after migrating and
// loading the demo), the soak's account and the demo's channel feeds.
func setup(ctx context.Context, e *env, start time.Time) (*soak, error) {
	bin, err := startServices(ctx, e, start)
	if err != nil {
		return nil, err
	}
	ba, err := time.LoadLocation("America/Argentina/Buenos_Aires")
	if err != nil {
		return nil, fmt.Errorf("soak: %w", err)
	}
	today := booking.LocalDate(time.Now(), ba)
	mp := newMPFake(e.tb)
	graph := newGraphFake(e.tb)
	feed := newFeedFake(e.tb, today.AddDate(0, 0, 35))
	for i, name := range []string{"instance A", "instance B"} {
		in, err := newInstance(e, bin, i, name, mp.front.URL, graph.URL)
		if err != nil {
			return nil, err
		}
		e.insts = append(e.insts, in)
	}
	a := e.insts[0]
	if _, err := a.command(ctx, "migrate"); err != nil {
		return nil, err
	}
	if _, err := a.command(ctx, "seed", "--demo"); err != nil {
		return nil, err
	}
	pool, err := pgxpool.New(ctx, e.pg.url)
	if err != nil {
		return nil, fmt.Errorf("soak: %w", err)
	}
	s := &soak{insts: e.insts, pool: pool, st: newStats(), client: newHTTPClient(64), mp: mp, graph: graph, feed: feed,
		today: today, waNumber: waNumberID, waSecret: waAppSecret, walkNext: map[int64]time.Time{},
		holds: map[string]holdRec{}, approved: map[string]string{}, waSent: map[string]bool{}, etags: map[string]string{},
		payQ: make(chan holdRec, 4096)}
	if err := s.seed(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := s.addFeeds(ctx, a, feed); err != nil {
		pool.Close()
		return nil, err
	}
	for _, in := range e.insts {
		if err := in.start(ctx); err != nil {
			pool.Close()
			in.printLog()
			return nil, err
		}
	}
	return s, nil
}

// startServices makes the temporary directory, builds the server and starts
// PostgreSQL and Redis in it. It returns the server binary.
func startServices(ctx context.Context, e *env, start time.Time) (string, error) {
	var err error
	if e.tmp, err = os.MkdirTemp("", "alojamientos-soak-"); err != nil {
		return "", fmt.Errorf("soak: temp dir: %w", err)
	}
	// The postgres user runs the cluster under it.
	if err := os.Chmod(e.tmp, 0o755); err != nil {
		return "", fmt.Errorf("soak: %w", err)
	}
	bin, err := buildServer(ctx, e.tmp)
	if err != nil {
		return "", err
	}
	if e.pg, err = startPostgres(ctx, e.tmp); err != nil {
		return "", err
	}
	if e.redis, err = startRedis(ctx, e.tmp); err != nil {
		return "", err
	}
	say(start, "PostgreSQL %s, Redis %s", redactURL(e.pg.url), e.redis.url())
	return bin, nil
}

// newInstance prepares (does not start) the i-th server instance on a free
// loopback port: both share the database, Redis, the secrets and the fakes.
func newInstance(e *env, bin string, i int, name, mpURL, graphURL string) (*instance, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	in := &instance{&serverproc.Process{Name: name, Bin: bin,
		LogPath: filepath.Join(e.tmp, fmt.Sprintf("server-%c.log", 'a'+i)), BaseURL: "http://" + addr}}
	in.Env = serverproc.Env(map[string]string{
		"DATABASE_URL":               e.pg.url,
		"REDIS_URL":                  e.redis.url(),
		"ADDR":                       addr,
		"BASE_URL":                   "http://" + addr,
		"RATE_LIMIT_PER_MINUTE":      "0",
		"ENV":                        "development",
		"LOG_LEVEL":                  "warn",
		"AUTO_MIGRATE":               "0",
		"DATA_DIR":                   filepath.Join(e.tmp, "data"),
		"SESSION_SECRET":             sessionSecret,
		"ICS_SALT":                   icsSalt,
		"MERCADOPAGO_ACCESS_TOKEN":   mptest.Token,
		"MERCADOPAGO_WEBHOOK_SECRET": mptest.Secret,
		"MERCADOPAGO_API_BASE_URL":   mpURL,
		"WHATSAPP_ACCESS_TOKEN":      watest.DefaultToken,
		"WHATSAPP_APP_SECRET":        waAppSecret,
		"WHATSAPP_VERIFY_TOKEN":      waVerifyToken,
		"WHATSAPP_PHONE_NUMBER_ID":   waNumberID,
		"WHATSAPP_API_BASE_URL":      graphURL,
	})
	return in, nil
}

// addFeeds gives each demo property a channel feed from the fake, through
// the CLI (instance a runs it): the owner can sync them by hand.
func (s *soak) addFeeds(ctx context.Context, a *instance, feed *feedFake) error {
	for _, p := range s.demo {
		if _, err := a.command(ctx, "feeds", "add", "--property", p.slug, "--channel", "airbnb", "--url", feed.url(p.slug),
			"--interval", "1"); err != nil {
			return err
		}
		var fid int64
		if err := s.pool.QueryRow(ctx, `SELECT id FROM channel_feeds WHERE property_id = $1`, p.id).Scan(&fid); err != nil {
			return fmt.Errorf("soak: feed of %s: %w", p.slug, err)
		}
		s.feeds = append(s.feeds, [2]int64{p.id, fid})
	}
	return nil
}

// seed adds the soak's own account (the demo has only four properties) and
// reads the ones the load uses.
func (s *soak) seed(ctx context.Context) error {
	var account int64
	if err := s.pool.QueryRow(ctx, `INSERT INTO accounts (slug, name, timezone) VALUES ('soak', 'Cabañas del Soak',
		'America/Argentina/Buenos_Aires') RETURNING id`).Scan(&account); err != nil {
		return fmt.Errorf("soak: seed account: %w", err)
	}
	for i := range soakHoldProps + soakRaceProps {
		minutes := 30
		if i < soakShortProps {
			minutes = 1
		}
		var p prop
		if err := s.pool.QueryRow(ctx, `INSERT INTO properties (account_id, slug, name, capacity, included_guests,
				base_price, hold_minutes, min_nights)
			VALUES ($1, $2, $3, 4, 2, 10000, $4, 1) RETURNING id, slug, name, ics_token, hold_minutes`,
			account, fmt.Sprintf("soak-%02d", i), fmt.Sprintf("Cabaña Soak %02d", i), minutes).
			Scan(&p.id, &p.slug, &p.name, &p.token, &p.holdMinutes); err != nil {
			return fmt.Errorf("soak: seed property: %w", err)
		}
		if i < soakHoldProps {
			s.holdPool = append(s.holdPool, p)
			s.walkNext[p.id] = s.today.AddDate(0, 0, 60)
		} else {
			s.racePool = append(s.racePool, p)
		}
	}
	rows, err := s.pool.Query(ctx, `SELECT p.id, p.slug, p.name, p.ics_token, p.hold_minutes FROM properties p
		JOIN accounts a ON a.id = p.account_id WHERE a.slug = 'cabanas-del-lago' ORDER BY p.id`)
	if err != nil {
		return fmt.Errorf("soak: demo properties: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p prop
		if err := rows.Scan(&p.id, &p.slug, &p.name, &p.token, &p.holdMinutes); err != nil {
			return err
		}
		s.demo = append(s.demo, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(s.demo) == 0 {
		return errors.New("soak: seed --demo created no properties")
	}
	return nil
}

func redactURL(u string) string { return u }
