package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// server is the alojamientos binary built from this checkout and run as a
// subprocess on a loopback port.
type server struct {
	bin     string
	logPath string
	dataDir string
	env     []string
	baseURL string

	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has been waited for
	waited error
}

// buildServer compiles ./cmd/alojamientos from the module root, so the bench
// measures this checkout and not whatever binary is lying around.
func buildServer(ctx context.Context, tmp, dbURL string) (*server, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return nil, fmt.Errorf("bench: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return nil, errors.New("bench: run me from inside the alojamientos module")
	}
	bin := filepath.Join(tmp, "alojamientos")
	logf("building ./cmd/alojamientos")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/alojamientos")
	build.Dir = filepath.Dir(gomod)
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("bench: go build ./cmd/alojamientos: %w\n%s", err, out)
	}

	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s := &server{bin: bin, logPath: filepath.Join(tmp, "server.log"), baseURL: "http://" + addr,
		dataDir: filepath.Join(tmp, "data")}
	s.env = serverEnv(dbURL, addr, s.dataDir)
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
	if redisAnswers("127.0.0.1:6379") {
		set["REDIS_URL"] = "redis://127.0.0.1:6379/14"
		logf("Redis answers on 127.0.0.1:6379: the server uses it (db 14)")
	} else {
		logf("no Redis on 127.0.0.1:6379: the server runs with in-process locks")
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ours := set[k]; !ours && k != "REDIS_URL" {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// freeAddr asks the kernel for a free loopback port. Another process could
// take it before the server binds it; the server then fails to start and says
// so in its log, which is printed.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("bench: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func redisAnswers(addr string) bool {
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

func (s *server) openLog() (*os.File, error) {
	f, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("bench: server log: %w", err)
	}
	return f, nil
}

func (s *server) migrate(ctx context.Context) error {
	logf("migrating the bench database")
	f, err := s.openLog()
	if err != nil {
		return err
	}
	defer f.Close()
	cmd := exec.CommandContext(ctx, s.bin, "migrate")
	cmd.Env, cmd.Stdout, cmd.Stderr = s.env, f, f
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("bench: alojamientos migrate: %w", err)
	}
	return nil
}

// start runs `alojamientos serve` and waits until /readyz answers 200.
func (s *server) start(ctx context.Context) error {
	f, err := s.openLog()
	if err != nil {
		return err
	}
	// Not CommandContext: an interrupt must end in SIGTERM and a graceful
	// stop (see stop), not SIGKILL.
	cmd := exec.Command(s.bin, "serve")
	cmd.Env, cmd.Stdout, cmd.Stderr = s.env, f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("bench: start alojamientos serve: %w", err)
	}
	s.cmd, s.exited = cmd, make(chan struct{})
	go func() {
		s.waited = cmd.Wait()
		f.Close()
		close(s.exited)
	}()
	logf("server started at %s (pid %d)", s.baseURL, cmd.Process.Pid)
	return s.waitReady(ctx, 30*time.Second)
}

func (s *server) waitReady(ctx context.Context, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	last := "no answer"
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("bench: the server exited before it was ready: %v", s.waited)
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
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("bench: /readyz not 200 after %s (last: %s)", timeout, last)
}

// stop sends SIGTERM and waits for the graceful shutdown; a server that
// hangs on shutdown is an error worth failing the bench for.
func (s *server) stop() error {
	if s.cmd == nil || s.exited == nil {
		return nil
	}
	select {
	case <-s.exited:
		return fmt.Errorf("bench: the server died during the run: %v", s.waited)
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		if s.waited != nil {
			return fmt.Errorf("bench: the server's shutdown failed: %v", s.waited)
		}
		return nil
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return errors.New("bench: the server did not stop within 20s of SIGTERM; killed")
	}
}

// printLog copies the server's log (the tail if it is long) to stderr.
func (s *server) printLog() {
	data, err := os.ReadFile(s.logPath)
	if err != nil || len(data) == 0 {
		return
	}
	const max = 64 << 10
	if len(data) > max {
		data = data[len(data)-max:]
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		}
		fmt.Fprintln(os.Stderr, "bench: --- server log (tail) ---")
	} else {
		fmt.Fprintln(os.Stderr, "bench: --- server log ---")
	}
	os.Stderr.Write(data)
	fmt.Fprintln(os.Stderr, "bench: --- end of server log ---")
}

// summarizeLog groups what the server logged at warn or above during a run
// that otherwise passed: 5xx answers and slow paths show up here first. The
// storm's 409s are expected (the server logs 4xx as warnings).
func (s *server) summarizeLog() {
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
			counts["(not JSON) "+truncate(line, 120)]++
			continue
		}
		if e.Level != "WARN" && e.Level != "ERROR" {
			continue
		}
		key := e.Level + " " + e.Msg
		if e.Status != 0 {
			key += fmt.Sprintf(" status=%d", e.Status)
		}
		if e.Error != "" {
			key += " error=" + truncate(e.Error, 120)
		}
		counts[key]++
	}
	if len(counts) == 0 {
		return
	}
	keys := slices.Sorted(maps.Keys(counts))
	logf("server log, warnings and errors by kind:")
	for i, k := range keys {
		if i == 20 {
			fmt.Fprintf(os.Stderr, "  … %d more kinds\n", len(keys)-i)
			break
		}
		fmt.Fprintf(os.Stderr, "  %6d × %s\n", counts[k], k)
	}
}
