package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"alojamientos/cmd/internal/serverproc"
)

// server is the alojamientos binary built from this checkout and run as a
// subprocess on a loopback port (serverproc, shared with cmd/soak).
type server struct {
	*serverproc.Process
	dataDir string
}

// buildServer compiles ./cmd/alojamientos, so the bench measures this
// checkout, and picks a free port for it.
func buildServer(ctx context.Context, tmp, dbURL string) (*server, error) {
	logf("building ./cmd/alojamientos")
	bin, err := serverproc.Build(ctx, tmp)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	addr, err := serverproc.FreeAddr()
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	s := &server{Process: &serverproc.Process{Name: "server", Bin: bin, LogPath: filepath.Join(tmp, "server.log"),
		BaseURL: "http://" + addr}, dataDir: filepath.Join(tmp, "data")}
	s.Env = serverEnv(dbURL, addr, s.dataDir)
	return s, nil
}

// serverEnv is the caller's environment with every setting the bench depends
// on replaced, so a developer's exported REDIS_URL or rate limit cannot skew
// the figures.
func serverEnv(dbURL, addr, dataDir string) []string {
	set := map[string]string{
		"DATABASE_URL":          dbURL,
		"ADDR":                  addr,
		"BASE_URL":              "http://" + addr,
		"RATE_LIMIT_PER_MINUTE": "0",
		"LOG_LEVEL":             "warn",
		"ENV":                   "development",
		"AUTO_MIGRATE":          "0",
		"DATA_DIR":              dataDir,
		// Webhooks are measured signed; their processing must not call out (webhook.go).
		"MERCADOPAGO_WEBHOOK_SECRET": benchMPSecret,
		"MERCADOPAGO_ACCESS_TOKEN":   "",
		"MERCADOPAGO_API_BASE_URL":   "http://127.0.0.1:1",
		// The same for WhatsApp deliveries and the replies the assistant queues (whatsapp.go).
		"WHATSAPP_APP_SECRET":   benchWASecret,
		"WHATSAPP_ACCESS_TOKEN": "",
		"WHATSAPP_API_BASE_URL": "http://127.0.0.1:1",
	}
	if serverproc.RedisAnswers("127.0.0.1:6379") {
		set["REDIS_URL"] = "redis://127.0.0.1:6379/14"
		logf("Redis answers on 127.0.0.1:6379: the server uses it (db 14)")
	} else {
		logf("no Redis on 127.0.0.1:6379: the server runs with in-process locks")
	}
	return serverproc.Env(set)
}

func (s *server) migrate(ctx context.Context) error {
	logf("migrating the bench database")
	if _, err := s.Run(ctx, "migrate"); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

// start runs `alojamientos serve` and waits until /readyz answers 200.
func (s *server) start(ctx context.Context) error {
	if err := s.Start(ctx, 30*time.Second); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	logf("server started at %s (pid %d)", s.BaseURL, s.Pid())
	return nil
}

// stop sends SIGTERM and waits for the graceful shutdown; a server that
// hangs on shutdown is an error worth failing the bench for.
func (s *server) stop() error {
	if err := s.Stop(20 * time.Second); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

// printLog copies the server's log (the tail if it is long) to stderr.
func (s *server) printLog() { s.PrintLog(64 << 10) }

// summarizeLog groups what the server logged at warn or above during a run
// that otherwise passed. The storm's 409s are expected.
func (s *server) summarizeLog() { s.SummarizeLog(os.Stderr, 20) }
