// Package serverproc runs the alojamientos binary built from this checkout
// as a subprocess on loopback, for cmd/bench and cmd/soak: build it, run its
// one-shot commands, start `serve` and wait until /readyz answers, stop it
// gracefully or kill it, and read its log. The server inside is assembled
// by internal/app like any other `alojamientos serve`.
package serverproc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
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

// Build compiles ./cmd/alojamientos from the module root into dir, so what
// is measured is this checkout and not whatever binary is lying around.
func Build(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run me from inside the alojamientos module")
	}
	bin := filepath.Join(dir, "alojamientos")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/alojamientos")
	build.Dir = filepath.Dir(gomod)
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/alojamientos: %w\n%s", err, out)
	}
	return bin, nil
}

// Env is the caller's environment with set applied and nothing else of the
// developer's server configuration left in (Redis, Mercado Pago, WhatsApp,
// proxies, migrations, pool size), so it cannot skew a run.
func Env(set map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ours := set[k]; ours {
			continue
		}
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

// FreeAddr asks the kernel for a free loopback port. Another process could
// take it before the server binds it; the server then fails to start and
// says so in its log.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// RedisAnswers says whether a Redis at addr answers PING.
func RedisAnswers(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "+PONG")
}

// Process is one alojamientos process: its binary, environment and log file.
type Process struct {
	// Name says which process in messages ("server", "instance a").
	Name    string
	Bin     string
	LogPath string
	Env     []string
	// BaseURL is where it serves (the ADDR in Env).
	BaseURL string

	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has been waited for
	waited error
}

func (p *Process) openLog() (*os.File, error) {
	f, err := os.OpenFile(p.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s log: %w", p.Name, err)
	}
	return f, nil
}

// Run runs a one-shot command (migrate, seed, feeds add) with the process's
// environment; its output is returned and added to the log.
func (p *Process) Run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, p.Bin, args...)
	cmd.Env = p.Env
	out, err := cmd.CombinedOutput()
	if f, lerr := p.openLog(); lerr == nil {
		_, _ = f.Write(out)
		f.Close()
	}
	if err != nil {
		return string(out), fmt.Errorf("alojamientos %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// Start runs `alojamientos serve` and waits up to readyWithin for /readyz to
// answer 200. It is not bound to ctx: an interrupt must end in Stop's
// SIGTERM and a graceful stop, not SIGKILL.
func (p *Process) Start(ctx context.Context, readyWithin time.Duration) error {
	f, err := p.openLog()
	if err != nil {
		return err
	}
	cmd := exec.Command(p.Bin, "serve")
	cmd.Env, cmd.Stdout, cmd.Stderr = p.Env, f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	p.cmd, p.exited = cmd, make(chan struct{})
	exited := p.exited
	go func() {
		p.waited = cmd.Wait()
		f.Close()
		close(exited)
	}()
	return p.waitReady(ctx, readyWithin)
}

// Pid is the running process's id.
func (p *Process) Pid() int {
	if p.cmd == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

func (p *Process) waitReady(ctx context.Context, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	last := "no answer"
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			return fmt.Errorf("%s exited before it was ready: %v", p.Name, p.waited)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		resp, err := client.Get(p.BaseURL + "/readyz")
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
	return fmt.Errorf("%s /readyz not 200 after %s (last: %s)", p.Name, timeout, last)
}

// Alive says whether the process is still running.
func (p *Process) Alive() bool {
	if p.exited == nil {
		return false
	}
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// Err is how the process ended (nil while it runs or after a clean exit).
func (p *Process) Err() error {
	if p.Alive() {
		return nil
	}
	return p.waited
}

// Kill is the fault: SIGKILL, no graceful shutdown.
func (p *Process) Kill() {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// Stop sends SIGTERM and waits up to grace for the graceful shutdown; a
// process that had died, or hangs on shutdown, is an error.
func (p *Process) Stop(grace time.Duration) error {
	if p.cmd == nil || p.exited == nil {
		return nil
	}
	select {
	case <-p.exited:
		return fmt.Errorf("%s had died: %v", p.Name, p.waited)
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		if p.waited != nil {
			return fmt.Errorf("%s shutdown failed: %v", p.Name, p.waited)
		}
		return nil
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("%s did not stop within %s of SIGTERM; killed", p.Name, grace)
	}
}

// PrintLog copies the log (its last max bytes, from a line start) to stderr.
func (p *Process) PrintLog(max int) {
	data, err := os.ReadFile(p.LogPath)
	if err != nil || len(data) == 0 {
		return
	}
	if len(data) > max {
		data = data[len(data)-max:]
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		}
	}
	fmt.Fprintf(os.Stderr, "--- %s log (tail) ---\n", p.Name)
	os.Stderr.Write(data)
	fmt.Fprintf(os.Stderr, "--- end of %s log ---\n", p.Name)
}

// digits makes one kind of the log lines that differ only by ids and ports.
var digits = regexp.MustCompile(`[0-9]+`)

// SummarizeLog writes to w what the process logged at warn or above,
// grouped by kind, at most maxKinds kinds: 5xx answers and slow paths show
// up here first (4xx answers are logged as warnings too).
func (p *Process) SummarizeLog(w io.Writer, maxKinds int) {
	data, err := os.ReadFile(p.LogPath)
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
	fmt.Fprintf(w, "%s log, warnings and errors by kind:\n", p.Name)
	for i, k := range keys {
		if i == maxKinds {
			fmt.Fprintf(w, "  … %d more kinds\n", len(keys)-i)
			break
		}
		fmt.Fprintf(w, "  %6d × %s\n", counts[k], k)
	}
}

func truncate(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
