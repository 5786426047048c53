package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"alojamientos/cmd/internal/serverproc"
)

// The soak's own infrastructure: a PostgreSQL cluster in a temporary
// directory and a redis-server, both on free loopback ports, so faults can be
// injected into them without touching anything else on the machine.

// postgres is the soak's database server: its own cluster (restartable), or
// a database on the machine's server when initdb is not installed.
type postgres struct {
	bin      string // directory of initdb, pg_ctl
	dataDir  string
	logPath  string
	port     int
	cred     *syscall.Credential // the postgres user when we run as root
	adminURL string              // fallback only: the machine's server
	dbName   string
	url      string
	// noRestart says why the PostgreSQL restart fault cannot run ("" = it can).
	noRestart string
}

// pgBinDir finds initdb and pg_ctl of the newest installed PostgreSQL.
func pgBinDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	best, bestV := "", -1
	for _, d := range dirs {
		v, err := strconv.Atoi(filepath.Base(filepath.Dir(d)))
		if err != nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil && v > bestV {
			best, bestV = d, v
		}
	}
	if best != "" {
		return best
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			return filepath.Dir(p)
		}
	}
	return ""
}

// startPostgres initialises and starts a cluster under tmp, trust auth, on a
// free port; without initdb it creates a database on 127.0.0.1:5432 instead.
func startPostgres(ctx context.Context, tmp string) (*postgres, error) {
	pg := &postgres{dbName: "soak"}
	pg.bin = pgBinDir()
	if pg.bin == "" {
		return startFallbackPostgres(ctx, "initdb is not installed (apt-get install postgresql)")
	}
	if os.Geteuid() == 0 {
		// initdb refuses to run as root: the cluster belongs to the postgres user.
		u, err := user.Lookup("postgres")
		if err != nil {
			return startFallbackPostgres(ctx, "running as root and there is no postgres user to own a cluster")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		pg.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	dir := filepath.Join(tmp, "pg")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("soak: %w", err)
	}
	if pg.cred != nil {
		if err := os.Chown(dir, int(pg.cred.Uid), int(pg.cred.Gid)); err != nil {
			return nil, fmt.Errorf("soak: chown %s: %w", dir, err)
		}
	}
	pg.dataDir = filepath.Join(dir, "data")
	pg.logPath = filepath.Join(dir, "postgres.log")
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	pg.port = port
	logf("PostgreSQL: initdb with %s on 127.0.0.1:%d", pg.bin, port)
	if out, err := pg.run(ctx, "initdb", "-D", pg.dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--no-sync", "--locale=C"); err != nil {
		return nil, fmt.Errorf("soak: initdb: %w\n%s", err, out)
	}
	conf := fmt.Sprintf("\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\n"+
		"max_connections = 200\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nshared_buffers = 128MB\n",
		port, dir)
	f, err := os.OpenFile(filepath.Join(pg.dataDir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("soak: postgresql.conf: %w", err)
	}
	_, err = f.WriteString(conf)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("soak: postgresql.conf: %w", err)
	}
	if err := pg.ctl(ctx, "start"); err != nil {
		return nil, err
	}
	admin := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		pg.stop()
		return nil, fmt.Errorf("soak: connect to the soak's PostgreSQL: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE soak"); err != nil {
		pg.stop()
		return nil, fmt.Errorf("soak: create database: %w", err)
	}
	pg.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/soak?sslmode=disable", port)
	return pg, nil
}

func startFallbackPostgres(ctx context.Context, why string) (*postgres, error) {
	admin := os.Getenv("SOAK_PG_URL")
	if admin == "" {
		admin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	pg := &postgres{adminURL: admin, dbName: fmt.Sprintf("alojamientos_soak_%d", os.Getpid()),
		noRestart: "skipped: " + why + "; the soak uses a database on the machine's shared server, which it must not restart"}
	logf("PostgreSQL: %s; creating database %s on the machine's server", why, pg.dbName)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return nil, fmt.Errorf("soak: connect to %s: %w", admin, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{pg.dbName}.Sanitize()); err != nil {
		return nil, fmt.Errorf("soak: create database: %w", err)
	}
	u, _ := url.Parse(admin)
	u.Path = "/" + pg.dbName
	pg.url = u.String()
	return pg, nil
}

func (pg *postgres) run(ctx context.Context, prog string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(pg.bin, prog), args...)
	if pg.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: pg.cred}
	}
	cmd.Dir = "/"
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	return cmd.CombinedOutput()
}

// ctl runs pg_ctl start|restart|stop and waits for it.
func (pg *postgres) ctl(ctx context.Context, action string, extra ...string) error {
	args := append([]string{action, "-D", pg.dataDir, "-l", pg.logPath, "-w", "-t", "60"}, extra...)
	if action == "stop" {
		args = append([]string{action, "-D", pg.dataDir, "-w", "-t", "30"}, extra...)
	}
	if out, err := pg.run(ctx, "pg_ctl", args...); err != nil {
		return fmt.Errorf("soak: pg_ctl %s: %w\n%s", action, err, out)
	}
	return nil
}

// restart is the fault: pg_ctl restart -m fast.
func (pg *postgres) restart(ctx context.Context) error {
	return pg.ctl(ctx, "restart", "-m", "fast")
}

func (pg *postgres) stop() {
	if pg.adminURL != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, pg.adminURL)
		if err != nil {
			logf("drop database %s: %v", pg.dbName, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{pg.dbName}.Sanitize()+" WITH (FORCE)"); err != nil {
			logf("drop database %s: %v", pg.dbName, err)
		}
		return
	}
	if pg.dataDir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	if err := pg.ctl(ctx, "stop", "-m", "fast"); err != nil {
		logf("%v", err)
	}
}

// redis is the soak's own redis-server, without persistence.
type redis struct {
	port    int
	logPath string
	cmd     *exec.Cmd
	exited  chan struct{}
}

func startRedis(ctx context.Context, tmp string) (*redis, error) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		return nil, errors.New("soak: redis-server is not installed (apt-get install redis-server)")
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	r := &redis{port: port, logPath: filepath.Join(tmp, "redis.log")}
	return r, r.start(ctx)
}

func (r *redis) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *redis) start(ctx context.Context) error {
	f, err := os.OpenFile(r.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("soak: redis log: %w", err)
	}
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no")
	cmd.Dir = filepath.Dir(r.logPath)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("soak: start redis-server: %w", err)
	}
	r.cmd, r.exited = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); f.Close(); close(r.exited) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if serverproc.RedisAnswers(fmt.Sprintf("127.0.0.1:%d", r.port)) {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("soak: redis-server did not answer on port %d", r.port)
}

// kill is the fault: SIGKILL, as a crash.
func (r *redis) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		<-r.exited
	}
}

func (r *redis) stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	select {
	case <-r.exited:
		return
	default:
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(10 * time.Second):
		r.kill()
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("soak: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
