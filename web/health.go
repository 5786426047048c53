package web

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/internal/platform"
)

type check map[string]any

type healthJSON struct {
	Status    string           `json:"status"`
	Timestamp string           `json:"timestamp"`
	Checks    map[string]check `json:"checks"`
}

// Health status levels, in order of badness.
const (
	statusOK        = "ok"
	statusDegraded  = "degraded"
	statusUnhealthy = "unhealthy"
)

// healthz reports every dependency. The database is essential (unhealthy,
// 503); Redis, disk and memory only degrade the service (200).
func (s *Server) healthz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	checks := map[string]check{
		"database":    s.checkDatabase(ctx, s.logger(c)),
		"redis":       s.checkRedis(ctx, s.logger(c)),
		"disk":        s.checkDisk(),
		"memory":      checkMemory(),
		"ical":        s.checkICal(ctx, s.logger(c)),
		"whatsapp":    s.checkWhatsApp(),
		"mercadopago": s.checkMercadoPago(),
		"rates":       s.checkRates(ctx, s.logger(c)),
		"runtime": {"status": statusOK, "goroutines": runtime.NumGoroutine(), "version": platform.Version,
			"go": runtime.Version(), "uptime_seconds": int(time.Since(s.startedAt).Seconds())},
	}
	overall := statusOK
	if checks["database"]["status"] != statusOK {
		overall = statusUnhealthy
	} else {
		for _, name := range []string{"redis", "disk", "memory"} {
			if st := checks[name]["status"]; st == statusUnhealthy || st == statusDegraded {
				overall = statusDegraded
			}
		}
	}
	code := http.StatusOK
	if overall == statusUnhealthy {
		code = http.StatusServiceUnavailable
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, code, healthJSON{Status: overall, Timestamp: s.clock.Now().UTC().Format(time.RFC3339), Checks: checks})
}

func (s *Server) checkDatabase(ctx context.Context, log *slog.Logger) check {
	start := time.Now()
	if err := s.pool.Ping(ctx); err != nil {
		log.Warn("health: database", "error", err)
		return check{"status": statusUnhealthy, "error": "database unreachable"}
	}
	st := s.pool.Stat()
	return check{"status": statusOK, "latency_ms": float64(time.Since(start).Microseconds()) / 1000,
		"pool": map[string]int32{"total": st.TotalConns(), "idle": st.IdleConns(), "acquired": st.AcquiredConns(),
			"max": st.MaxConns()}}
}

func (s *Server) checkRedis(ctx context.Context, log *slog.Logger) check {
	if s.shared.Mode() == "disabled" {
		return check{"status": "disabled", "note": "REDIS_URL unset: single instance, in-process locks and limits"}
	}
	start := time.Now()
	if err := s.shared.Ping(ctx); err != nil {
		log.Warn("health: redis", "error", err)
		return check{"status": statusUnhealthy, "error": "redis unreachable"}
	}
	return check{"status": statusOK, "latency_ms": float64(time.Since(start).Microseconds()) / 1000}
}

func (s *Server) checkDisk() check {
	dir := s.config.DataDir
	if _, err := os.Stat(dir); err != nil {
		dir = "."
	}
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		return check{"status": statusDegraded, "error": "cannot read free space"}
	}
	free := fs.Bavail * uint64(fs.Bsize)
	total := fs.Blocks * uint64(fs.Bsize)
	st := statusOK
	if free < 512<<20 || (total > 0 && free*100/total < 5) {
		st = statusDegraded
	}
	return check{"status": st, "path": dir, "free_bytes": free, "total_bytes": total}
}

// checkMercadoPago says whether payments can be made: ok, unconfigured (no
// access token) or failing (the last API call failed), with that error.
func (s *Server) checkMercadoPago() check {
	if s.mercadoPago == nil {
		return check{"status": "unconfigured"}
	}
	h := s.mercadoPago.Client.Health()
	out := check{"status": h.Status}
	if h.LastError != "" {
		out["last_error"], out["last_error_at"] = h.LastError, h.LastErrAt.UTC().Format(time.RFC3339)
	}
	return out
}

func checkMemory() check {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return check{"status": statusOK, "heap_alloc_bytes": m.HeapAlloc, "sys_bytes": m.Sys, "num_gc": m.NumGC}
}

// readyz says whether this instance should get traffic: the database answers,
// the schema is current, and we are not shutting down.
func (s *Server) readyz(c echo.Context) error {
	if s.draining.Load() {
		return c.String(http.StatusServiceUnavailable, "draining")
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.pool.Ping(ctx); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unreachable")
	}
	if !s.migrated.Load() {
		if err := db.CheckMigrated(ctx, s.pool); err != nil {
			return c.String(http.StatusServiceUnavailable, "schema not migrated")
		}
		s.migrated.Store(true)
	}
	return c.String(http.StatusOK, "ready")
}
