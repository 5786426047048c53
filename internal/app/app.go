// Package app is the composition root: Build assembles the whole program
// (database pool, booking core, Mercado Pago, WhatsApp, channel calendars,
// shared state, sessions, River workers and the HTTP server) from the
// configuration, once, for `alojamientos serve`, the CLI commands and the
// test harness (web/webtest). Callers differ only by Options.
package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/riverqueue/river"

	"alojamientos/db"
	"alojamientos/internal/auth"
	"alojamientos/internal/booking"
	"alojamientos/internal/ical"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/platform"
	"alojamientos/internal/rates"
	"alojamientos/internal/receipts"
	"alojamientos/internal/whatsapp"
	"alojamientos/web"
)

// Options are what differs between the callers of Build; the zero value is
// what `alojamientos serve` runs with.
type Options struct {
	// Clock is the time source; nil: platform.SystemClock{} (tests pass a platform.TestClock).
	Clock platform.Clock
	// Log receives every log line; nil discards them.
	Log *slog.Logger
	// Pool reuses an open database (not closed by Close); nil connects to cfg.DatabaseURL.
	Pool *db.Pool
	// Shared replaces the shared state cfg.RedisURL would choose (Redis or in-process):
	// the test harness passes a Redis with a key prefix of its own. Not closed by Close.
	Shared platform.Shared
	// NoHTTP builds the services only: no shared state, sessions or HTTP server
	// (CLI commands that work on the database).
	NoHTTP bool
	// Workers builds the River client with every worker and queue; Start starts it.
	Workers bool
	// NoSweep leaves out every periodic job (the sweeps), to see scheduled jobs alone.
	NoSweep bool
	// NoFeedSchedule leaves out the periodic channel-calendar sync (tests sync by hand).
	NoFeedSchedule bool
	// NoPropertyCache loads properties from the database on every request.
	NoPropertyCache bool
	// JobPoll is how often idle workers look for jobs; 0: River's default (tests: 50ms).
	JobPoll time.Duration
	// JobWorkers caps the workers of each queue; 0: the production sizes.
	JobWorkers int
	// MercadoPagoBackoff is the Mercado Pago client's first wait between retries; 0: its default.
	MercadoPagoBackoff time.Duration
}

// App is the assembled program. Start runs its listeners and workers, Stop
// ends them gracefully, Close releases what Build opened.
type App struct {
	cfg       platform.Config
	log       *slog.Logger
	clock     platform.Clock
	pool      *db.Pool
	ownsPool  bool
	metrics   *platform.Metrics
	booking   *booking.Service
	mp        *mercadopago.Service
	wa        *whatsapp.Service
	rates     *rates.Service
	receipts  *receipts.Service
	propCache *booking.PropertyCache
	export    *ical.Exporter
	syncer    *ical.Syncer
	shared    platform.Shared
	redis     *redis.Client // opened by Build, closed by Close
	jobs      *river.Client[db.Tx]
	web       *web.Server

	mu            sync.Mutex
	stopListeners context.CancelFunc
	listeners     sync.WaitGroup
}

// Build assembles the program. It connects to PostgreSQL (unless
// opts.Pool is given) and, for the HTTP side, to Redis when configured;
// nothing runs until Start.
func Build(ctx context.Context, cfg platform.Config, opts Options) (*App, error) {
	a := &App{cfg: cfg, log: opts.Log, clock: opts.Clock, pool: opts.Pool}
	if a.log == nil {
		a.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if a.clock == nil {
		a.clock = platform.SystemClock{}
	}
	if a.pool == nil {
		pool, err := Connect(ctx, cfg)
		if err != nil {
			return nil, err
		}
		a.pool, a.ownsPool = pool, true
	}
	a.metrics = platform.NewMetrics()
	a.buildServices(opts)
	if opts.Workers {
		jobs, err := a.newJobs(opts)
		if err != nil {
			a.Close()
			return nil, err
		}
		a.jobs = jobs
	}
	if opts.NoHTTP {
		return a, nil
	}
	a.shared = opts.Shared
	if a.shared == nil {
		a.shared = a.newShared(ctx)
	}
	// db_up, redis_up and the job backlog on /metrics, measured at scrape time.
	a.metrics.RegisterHealth(a.pool, a.shared, a.clock)
	a.web = web.New(web.Deps{Config: cfg, Pool: a.pool, Booking: a.booking, MercadoPago: a.mp, WhatsApp: a.wa,
		Sessions: auth.NewSessionStore(a.shared, cfg.SessionSecret, strings.HasPrefix(cfg.BaseURL, "https://")),
		Shared:   a.shared, Metrics: a.metrics, Log: a.log, Clock: a.clock, StartedAt: time.Now(),
		ICalExport: a.export, ICalSync: a.syncer, Rates: a.rates, Receipts: a.receipts})
	return a, nil
}

// buildServices builds the domain services in dependency order, each whole
// at construction: the channel importer and the caches first, the booking
// core on them, payments and WhatsApp on the booking core.
func (a *App) buildServices(opts Options) {
	cfg := a.cfg
	// In production the importer refuses private addresses.
	a.syncer = &ical.Syncer{DB: a.pool, Clock: a.clock, Log: a.log, Metrics: a.metrics,
		HTTP: ical.NewHTTPClient(cfg.Production()), UserAgent: icalUserAgent(cfg)}
	// Export feeds are served from memory while their listener hears every change of nights.
	a.export = &ical.Exporter{DB: a.pool}
	if !opts.NoPropertyCache {
		// Quotes and holds read properties from memory while a listener hears
		// every change; until it is connected the cache stays off.
		a.propCache = booking.NewPropertyCache()
	}
	// Exchange rates: manual ones typed by owners, automatic ones fetched from RATES_URL.
	a.rates = &rates.Service{DB: a.pool, Clock: a.clock, Log: a.log, URL: cfg.RatesURL, HTTP: rates.NewHTTPClient()}
	a.booking = booking.New(booking.Deps{DB: a.pool, Clock: a.clock, Metrics: a.metrics, Log: a.log,
		Properties: a.propCache, Feeds: a.syncer,
		// A hold in a foreign currency locks the account's rate of the moment.
		Rates: a.rates,
		// Every hold gets its deposit link when there is an account to make it with.
		PaymentLinks: mercadopago.Configured(cfg),
		// RATE_LIMIT_PER_MINUTE=0 (load tests) also lifts the caps on live anonymous holds.
		UnlimitedHolds: cfg.RateLimitPerMinute == 0})
	a.mp = mercadopago.New(mercadopago.Deps{Config: cfg, DB: a.pool, Booking: a.booking, Clock: a.clock, Log: a.log,
		Metrics: a.metrics, RetryBackoff: opts.MercadoPagoBackoff})
	// Bank-transfer receipts (guest page and WhatsApp media), reviewed by the owner.
	a.receipts = receipts.New(receipts.Deps{DB: a.pool, Clock: a.clock, Log: a.log, Booking: a.booking})
	a.wa = whatsapp.New(whatsapp.Deps{Config: cfg, DB: a.pool, Booking: a.booking, Clock: a.clock, Log: a.log,
		Metrics: a.metrics, Receipts: a.receipts})
}

func icalUserAgent(cfg platform.Config) string {
	ua := "Alojamientos-CalendarSync/1.0 (" + platform.Version + ")"
	if cfg.BaseURL != "" {
		ua += " +" + cfg.BaseURL
	}
	return ua
}

// newShared picks Redis when configured. A Redis that does not answer at
// start-up is logged, not fatal: every path falls back to the constraint.
func (a *App) newShared(ctx context.Context) platform.Shared {
	if a.cfg.RedisURL == "" {
		a.log.Warn("REDIS_URL unset: running as a single instance with in-process locks, rate limits and sessions")
		return platform.NewLocalShared(a.clock)
	}
	// go-redis keeps its logger in a package variable; the composition root is the one place allowed to set it.
	redis.SetLogger(platform.RedisLogger{Log: a.log})
	client, err := platform.NewRedisClient(a.cfg.RedisURL)
	if err != nil {
		// LoadConfig parsed REDIS_URL already; this cannot happen with a loaded config.
		a.log.Error("REDIS_URL unusable; running with in-process state", "error", err)
		return platform.NewLocalShared(a.clock)
	}
	a.redis = client
	shared := &platform.RedisShared{Client: client, Prefix: "alojamientos:", Clock: a.clock}
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := shared.Ping(pctx); err != nil {
		a.log.Error("redis unreachable at start-up; continuing degraded", "error", err)
	}
	return shared
}

// Handler is the HTTP handler with every route and middleware (nil with NoHTTP).
func (a *App) Handler() http.Handler {
	if a.web == nil {
		return nil
	}
	return a.web.Handler()
}

// HTTPServer is the public server with timeouts fit for the open internet.
func (a *App) HTTPServer() *http.Server { return a.web.HTTPServer() }

// MetricsHTTPServer serves /metrics alone, for METRICS_ADDR.
func (a *App) MetricsHTTPServer() *http.Server { return a.web.MetricsHTTPServer() }

// Drain makes /readyz send traffic elsewhere: shutdown has started.
func (a *App) Drain() {
	if a.web != nil {
		a.web.Drain()
	}
}

// Config is the configuration the app was built with.
func (a *App) Config() platform.Config { return a.cfg }

// Pool is the database pool.
func (a *App) Pool() *db.Pool { return a.pool }

// Clock is the app's time source.
func (a *App) Clock() platform.Clock { return a.clock }

// Metrics are the app's Prometheus metrics.
func (a *App) Metrics() *platform.Metrics { return a.metrics }

// Booking is the booking core.
func (a *App) Booking() *booking.Service { return a.booking }

// MercadoPago is the payment side.
func (a *App) MercadoPago() *mercadopago.Service { return a.mp }

// WhatsApp is the WhatsApp side.
func (a *App) WhatsApp() *whatsapp.Service { return a.wa }

// Rates are the accounts' exchange rates.
func (a *App) Rates() *rates.Service { return a.rates }

// Receipts are the bank-transfer receipts.
func (a *App) Receipts() *receipts.Service { return a.receipts }

// ICalSync imports channel calendars.
func (a *App) ICalSync() *ical.Syncer { return a.syncer }

// ICalExport serves the export feeds.
func (a *App) ICalExport() *ical.Exporter { return a.export }

// Shared is the shared state (Redis or in-process; nil with NoHTTP).
func (a *App) Shared() platform.Shared { return a.shared }

// Jobs is the River client (nil without Workers); it also inserts jobs.
func (a *App) Jobs() *river.Client[db.Tx] { return a.jobs }

// Close releases what Build opened: the listeners if still running, the
// Redis client and the pool (not an Options.Pool or Options.Shared).
func (a *App) Close() {
	a.stopFollowing()
	if a.redis != nil {
		_ = a.redis.Close()
	}
	if a.ownsPool {
		a.pool.Close()
	}
}
