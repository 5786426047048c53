package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"alojamientos/cmd/internal/serverproc"
)

// instance is one `alojamientos serve` process of the binary built from this
// checkout, on its own loopback port, sharing the soak's PostgreSQL and Redis
// (serverproc, shared with cmd/bench).
type instance struct{ *serverproc.Process }

// buildServer compiles ./cmd/alojamientos once from the module root.
func buildServer(ctx context.Context, tmp string) (string, error) {
	logf("building ./cmd/alojamientos")
	bin, err := serverproc.Build(ctx, tmp)
	if err != nil {
		return "", fmt.Errorf("soak: %w", err)
	}
	return bin, nil
}

// command runs a one-shot subcommand (migrate, seed, feeds add) with the
// instance's environment and returns its output.
func (s *instance) command(ctx context.Context, args ...string) (string, error) {
	out, err := s.Run(ctx, args...)
	if err != nil {
		return out, fmt.Errorf("soak: %w", err)
	}
	return out, nil
}

// start runs `alojamientos serve` and waits until /readyz answers 200.
func (s *instance) start(ctx context.Context) error {
	if err := s.Start(ctx, 60*time.Second); err != nil {
		return fmt.Errorf("soak: %w", err)
	}
	logf("%s started at %s (pid %d)", s.Name, s.BaseURL, s.Pid())
	return nil
}

// kill is the fault: SIGKILL, no graceful shutdown.
func (s *instance) kill() { s.Kill() }

// alive says whether the process is still running.
func (s *instance) alive() bool { return s.Alive() }

// stop sends SIGTERM and waits for the graceful shutdown.
func (s *instance) stop() error {
	if err := s.Stop(25 * time.Second); err != nil {
		return fmt.Errorf("soak: %w", err)
	}
	return nil
}

// printLog copies the tail of the instance's log to stderr.
func (s *instance) printLog() { s.PrintLog(32 << 10) }

// summarizeLog groups what the instance logged at warn or above.
func (s *instance) summarizeLog() { s.SummarizeLog(os.Stdout, 25) }

func truncate(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
