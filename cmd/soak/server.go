package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"
)

// instance is one `alojamientos serve` process of the binary built from this
// checkout, on its own loopback port, sharing the soak's PostgreSQL and Redis.
type instance struct {
	name    string
	bin     string
	logPath string
	env     []string
	baseURL string

	cmd    *exec.Cmd
	exited chan struct{}
	waited error
}

// buildServer compiles ./cmd/alojamientos once from the module root.
func buildServer(ctx context.Context, tmp string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("soak: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("soak: run me from inside the alojamientos module")
	}
	bin := filepath.Join(tmp, "alojamientos")
	logf("building ./cmd/alojamientos")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/alojamientos")
	build.Dir = filepath.Dir(gomod)
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("soak: go build ./cmd/alojamientos: %w\n%s", err, out)
	}
	return bin, nil
}

// instanceEnv is the caller's environment with every setting the soak
// depends on replaced.
func instanceEnv(set map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ours := set[k]; ours {
			continue
		}
		// Nothing of the developer's configuration leaks in.
		if strings.HasPrefix(k, "MERCADOPAGO_") || strings.HasPrefix(k, "WHATSAPP_") || k == "REDIS_URL" ||
			k == "TRUSTED_PROXIES" || k == "AUTO_MIGRATE" || k == "DB_MAX_CONNS" {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

func (s *instance) openLog() (*os.File, error) {
	f, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("soak: server log: %w", err)
	}
	return f, nil
}

// command runs a one-shot subcommand (migrate, seed, feeds add) with the
// instance's environment and returns its output.
func (s *instance) command(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Env = s.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("soak: alojamientos %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// start runs `alojamientos serve` and waits until /readyz answers 200.
func (s *instance) start(ctx context.Context) error {
	f, err := s.openLog()
	if err != nil {
		return err
	}
	cmd := exec.Command(s.bin, "serve")
	cmd.Env, cmd.Stdout, cmd.Stderr = s.env, f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("soak: start %s: %w", s.name, err)
	}
	s.cmd, s.exited = cmd, make(chan struct{})
	exited := s.exited
	go func() {
		s.waited = cmd.Wait()
		f.Close()
		close(exited)
	}()
	logf("%s started at %s (pid %d)", s.name, s.baseURL, cmd.Process.Pid)
	return s.waitReady(ctx, 60*time.Second)
}

func (s *instance) waitReady(ctx context.Context, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	last := "no answer"
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("soak: %s exited before it was ready: %v", s.name, s.waited)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		resp, err := client.Get(s.baseURL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("soak: %s /readyz not 200 after %s (last: %s)", s.name, timeout, last)
}

// kill is the fault: SIGKILL, no graceful shutdown.
func (s *instance) kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// alive says whether the process is still running.
func (s *instance) alive() bool {
	if s.exited == nil {
		return false
	}
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// stop sends SIGTERM and waits for the graceful shutdown.
func (s *instance) stop() error {
	if s.cmd == nil || s.exited == nil {
		return nil
	}
	select {
	case <-s.exited:
		return fmt.Errorf("soak: %s had died: %v", s.name, s.waited)
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		if s.waited != nil {
			return fmt.Errorf("soak: %s shutdown failed: %v", s.name, s.waited)
		}
		return nil
	case <-time.After(25 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("soak: %s did not stop within 25s of SIGTERM; killed", s.name)
	}
}

// printLog copies the tail of the instance's log to stderr.
func (s *instance) printLog() {
	data, err := os.ReadFile(s.logPath)
	if err != nil || len(data) == 0 {
		return
	}
	const max = 32 << 10
	if len(data) > max {
		data = data[len(data)-max:]
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		}
	}
	fmt.Fprintf(os.Stderr, "soak: --- %s log (tail) ---\n", s.name)
	os.Stderr.Write(data)
	fmt.Fprintf(os.Stderr, "soak: --- end of %s log ---\n", s.name)
}

// summarizeLog groups what the instance logged at warn or above.
func (s *instance) summarizeLog() {
	data, err := os.ReadFile(s.logPath)
	if err != nil {
		return
	}
	type entry struct {
		Level  string `json:"level"`
		Msg    string `json:"msg"`
		Status int    `json:"status"`
		Error  string `json:"error"`
	}
	counts := map[string]int{}
	for line := range strings.Lines(string(data)) {
		var e entry
		if json.Unmarshal([]byte(line), &e) != nil {
			counts["(not JSON) "+truncate(strings.TrimSpace(line), 120)]++
			continue
		}
		if e.Level != "WARN" && e.Level != "ERROR" {
			continue
		}
		key := e.Level + " " + digits.ReplaceAllString(e.Msg, "N")
		if e.Status != 0 {
			key += fmt.Sprintf(" status=%d", e.Status)
		}
		if e.Error != "" {
			key += " error=" + truncate(digits.ReplaceAllString(e.Error, "N"), 110)
		}
		counts[key]++
	}
	if len(counts) == 0 {
		return
	}
	keys := slices.Sorted(maps.Keys(counts))
	fmt.Printf("%s log, warnings and errors by kind:\n", s.name)
	for i, k := range keys {
		if i == 25 {
			fmt.Printf("  … %d more kinds\n", len(keys)-i)
			break
		}
		fmt.Printf("  %6d × %s\n", counts[k], k)
	}
}

// digits makes one kind of the log lines that differ only by ids and ports.
var digits = regexp.MustCompile(`[0-9]+`)

func truncate(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
