package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"alojamientos/db"
	"alojamientos/internal/auth"
	"alojamientos/internal/booking"
	"alojamientos/internal/ical"
	"alojamientos/internal/platform"
	"alojamientos/internal/whatsapp"
	"alojamientos/web"
)

// shutdownGrace is how long in-flight requests and jobs get to finish.
const shutdownGrace = 25 * time.Second

func serve(ctx context.Context, cfg platform.Config, log *slog.Logger, clock platform.Clock) error {
	for _, name := range cfg.Generated {
		log.Warn("secret not set: generated one for this run (development only)", "variable", name)
	}
	a, err := newApp(ctx, cfg, log, clock)
	if err != nil {
		return err
	}
	defer a.close()

	if cfg.AutoMigrate {
		if err := db.Migrate(ctx, a.pool, log); err != nil {
			return err
		}
	} else if err := db.CheckMigrated(ctx, a.pool); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("DATA_DIR %s: %w", cfg.DataDir, err)
	}

	// Quotes and holds read properties from memory while this listener hears
	// every change; without it the cache stays off.
	cacheCtx, stopCache := context.WithCancel(context.Background())
	defer stopCache()
	a.booking.Properties = booking.NewPropertyCache()
	go a.booking.Properties.Listen(cacheCtx, func(ctx context.Context) (*pgx.Conn, error) {
		return pgx.ConnectConfig(ctx, a.pool.Config().ConnConfig.Copy())
	}, log, nil)

	// Export feeds are served from memory while this listener hears every change of nights.
	icalExport := &ical.Exporter{DB: a.pool}
	go icalExport.Listen(cacheCtx, func(ctx context.Context) (*pgx.Conn, error) {
		return pgx.ConnectConfig(ctx, a.pool.Config().ConnConfig.Copy())
	}, log, nil)
	icalSync := a.icalSyncer()
	a.booking.Feeds = icalSync

	shared, err := newShared(ctx, cfg, log, clock)
	if err != nil {
		return err
	}
	// db_up, redis_up and the job backlog on /metrics, measured at scrape time.
	a.metrics.RegisterHealth(a.pool, shared, clock)
	a.wa = whatsapp.New(cfg, a.pool, a.booking, clock, log, a.metrics)
	jobs, err := a.workers()
	if err != nil {
		return err
	}
	if err := jobs.Start(ctx); err != nil {
		return fmt.Errorf("start job workers: %w", err)
	}

	srv := &web.Server{Config: cfg, Pool: a.pool, Booking: a.booking, MercadoPago: a.mp, Shared: shared, Metrics: a.metrics,
		Log: log, Clock: clock, StartedAt: time.Now(),
		Sessions: auth.NewSessionStore(shared, cfg.SessionSecret, strings.HasPrefix(cfg.BaseURL, "https://"))}
	srv.ICalExport, srv.ICalSync = icalExport, icalSync
	srv.WhatsApp = a.wa
	httpSrv := srv.HTTPServer()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log.Info("listening", "addr", ln.Addr().String(), "url", publicURL(cfg, ln.Addr()), "env", cfg.Env,
		"redis", shared.Mode(), "version", platform.Version)

	errc := make(chan error, 2)
	go func() { errc <- httpSrv.Serve(ln) }()
	// /metrics on an address of its own (METRICS_ADDR), never the public one.
	var metricsSrv *http.Server
	switch {
	case cfg.MetricsAddr != "":
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			_ = httpSrv.Close()
			return fmt.Errorf("listen on METRICS_ADDR %s: %w", cfg.MetricsAddr, err)
		}
		metricsSrv = srv.MetricsHTTPServer()
		go func() { errc <- metricsSrv.Serve(mln) }()
		log.Info("metrics listening", "addr", mln.Addr().String(), "token", cfg.MetricsToken != "")
	case cfg.MetricsToken == "" && cfg.Production():
		log.Warn("/metrics is not served: set METRICS_TOKEN (bearer token) or METRICS_ADDR (a private address)")
	}
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}

	// Stop taking new work, let in-flight requests and jobs finish.
	log.Info("shutting down")
	srv.Drain()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := httpSrv.Shutdown(sctx); err != nil {
		log.Error("http shutdown", "error", err)
	}
	if metricsSrv != nil {
		if err := metricsSrv.Shutdown(sctx); err != nil {
			log.Error("metrics http shutdown", "error", err)
		}
	}
	if err := jobs.Stop(sctx); err != nil && !errors.Is(err, context.Canceled) {
		log.Error("job workers shutdown", "error", err)
	}
	log.Info("stopped")
	return nil
}

func publicURL(cfg platform.Config, addr net.Addr) string {
	if !strings.HasPrefix(cfg.BaseURL, "http://localhost") {
		return cfg.BaseURL
	}
	if tcp, ok := addr.(*net.TCPAddr); ok {
		return fmt.Sprintf("http://localhost:%d", tcp.Port)
	}
	return cfg.BaseURL
}

// newShared picks Redis when configured. A Redis that does not answer at
// start-up is logged, not fatal: every path falls back to the constraint.
func newShared(ctx context.Context, cfg platform.Config, log *slog.Logger, clock platform.Clock) (platform.Shared, error) {
	if cfg.RedisURL == "" {
		log.Warn("REDIS_URL unset: running as a single instance with in-process locks, rate limits and sessions")
		return platform.NewLocalShared(clock), nil
	}
	// go-redis keeps its logger in a package variable; main is the one place allowed to set it.
	redis.SetLogger(platform.RedisLogger{Log: log})
	client, err := platform.NewRedisClient(cfg.RedisURL)
	if err != nil {
		return nil, err
	}
	shared := &platform.RedisShared{Client: client, Prefix: "alojamientos:", Clock: clock}
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := shared.Ping(pctx); err != nil {
		log.Error("redis unreachable at start-up; continuing degraded", "error", err)
	}
	return shared, nil
}
