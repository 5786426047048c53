package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"alojamientos/db"
	"alojamientos/internal/app"
	"alojamientos/internal/platform"
)

// shutdownGrace is how long in-flight requests and jobs get to finish.
const shutdownGrace = 25 * time.Second

func serve(ctx context.Context, cfg platform.Config, log *slog.Logger, clock platform.Clock) error {
	for _, name := range cfg.Generated {
		log.Warn("secret not set: generated one for this run (development only)", "variable", name)
	}
	a, err := app.Build(ctx, cfg, app.Options{Clock: clock, Log: log, Workers: true})
	if err != nil {
		return err
	}
	defer a.Close()

	if cfg.AutoMigrate {
		if err := db.Migrate(ctx, a.Pool(), log); err != nil {
			return err
		}
	} else if err := db.CheckMigrated(ctx, a.Pool()); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("DATA_DIR %s: %w", cfg.DataDir, err)
	}
	if err := a.Start(ctx); err != nil {
		return err
	}

	httpSrv := a.HTTPServer()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log.Info("listening", "addr", ln.Addr().String(), "url", publicURL(cfg, ln.Addr()), "env", cfg.Env,
		"redis", a.Shared().Mode(), "version", platform.Version)

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
		metricsSrv = a.MetricsHTTPServer()
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
	a.Drain()
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
	if err := a.Stop(sctx); err != nil {
		log.Error("shutdown", "error", err)
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
