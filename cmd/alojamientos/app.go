package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"alojamientos/internal/booking"
	"alojamientos/internal/ical"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/platform"
	"alojamientos/internal/whatsapp"
)

// app is everything the commands share, built once.
type app struct {
	cfg     platform.Config
	log     *slog.Logger
	clock   platform.Clock
	pool    *pgxpool.Pool
	metrics *platform.Metrics
	booking *booking.Service
	mp      *mercadopago.Service
	wa      *whatsapp.Service
}

// connect opens the pool and says plainly what to do when PostgreSQL is not there.
func connect(ctx context.Context, cfg platform.Config) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL: %w", err)
	}
	pc.MaxConns = int32(cfg.DBMaxConns)
	pc.MinConns = 2
	pc.MaxConnIdleTime = 5 * time.Minute
	pc.ConnConfig.ConnectTimeout = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w\n"+
			"PostgreSQL ≥ 15 with btree_gist is required: start it (on Debian: apt-get install postgresql postgresql-contrib), "+
			"or set DATABASE_URL to a reachable server; `make run` starts a local one for you", redactURL(cfg.DatabaseURL), err)
	}
	return pool, nil
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

// newApp builds the shared dependencies.
func newApp(ctx context.Context, cfg platform.Config, log *slog.Logger, clock platform.Clock) (*app, error) {
	pool, err := connect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	metrics := platform.NewMetrics()
	// RATE_LIMIT_PER_MINUTE=0 (load tests) also lifts the caps on live anonymous holds.
	svc := &booking.Service{DB: pool, Clock: clock, Metrics: metrics, Log: log,
		Locations: &booking.Locations{}, UnlimitedHolds: cfg.RateLimitPerMinute == 0}
	mp := mercadopago.New(cfg, pool, svc, clock, log, metrics)
	// Every hold gets its deposit link when there is an account to make it with.
	svc.PaymentLinks = mp.Client.Configured()
	return &app{cfg: cfg, log: log, clock: clock, pool: pool, metrics: metrics, booking: svc, mp: mp}, nil
}

// workers builds the River client that runs jobs; periodic jobs run on the
// elected leader only, however many instances there are.
func (a *app) workers() (*river.Client[pgx.Tx], error) {
	workers := river.NewWorkers()
	booking.AddWorkers(workers, a.booking)
	ical.AddWorkers(workers, a.icalSyncer())
	mercadopago.AddWorkers(workers, a.mp)
	whatsapp.AddWorkers(workers, a.wa)
	client, err := river.NewClient(riverpgxv5.New(a.pool), &river.Config{
		// Separate queues so a slow Mercado Pago or a burst of channel syncs
		// cannot make a guest's WhatsApp answer wait (found by make soak).
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}, whatsapp.Queue: {MaxWorkers: 8},
			mercadopago.Queue: {MaxWorkers: 8}, mercadopago.UnsignedQueue: {MaxWorkers: 2}},
		Workers: workers,
		// A job whose instance died (SIGKILL, OOM, power) stays "running";
		// the leader hands it back after this long instead of River's default
		// hour. Every job is idempotent and all but one end within JobTimeout
		// (1 min); ical.sync_due may take 5, and a second run of it only
		// queues behind the lease that lets one sync of a feed run at a time.
		RescueStuckJobsAfter: 2 * time.Minute,
		PeriodicJobs:         append(booking.PeriodicJobs(), mercadopago.PeriodicJobs()...),
		Logger:               platform.Quieter(a.log, slog.LevelWarn),
	})
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	client.PeriodicJobs().AddMany(ical.PeriodicJobs())
	client.PeriodicJobs().AddMany(whatsapp.PeriodicJobs())
	return client, nil
}

func (a *app) close() { a.pool.Close() }
