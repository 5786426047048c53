package main

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// scripts/services.sh is what `make run` and `make test` call first. These
// tests run it on this machine with a PATH of their own, from which the
// PostgreSQL and Redis programs are missing, and with SERVICES_UID standing in
// for `id -u`, to see what a fresh Debian machine gets: as root, apt-get is
// asked for Debian's packages; otherwise the script stops with the exact
// commands and apt-get is never run. A fake apt-get records its arguments
// (it installs nothing, so the root runs end at "still missing").

// scriptRun is one run of scripts/services.sh.
type scriptRun struct {
	code   int
	stdout string
	stderr string
	apt    []string // apt-get's argument lists, in order
}

// freePort is a loopback port nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}

// fakeBin is a directory with the everyday tools the script uses (links to the
// real ones), the extra ones named, and a fake apt-get logging to aptLog.
func fakeBin(t *testing.T, aptLog string, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	tools := append([]string{"bash", "timeout", "seq", "sleep", "sort", "tail", "ls", "awk", "sed", "grep",
		"mkdir", "cat", "id"}, extra...)
	for _, name := range tools {
		p, err := exec.LookPath(name)
		require.NoError(t, err, "the test needs %s on PATH", name)
		require.NoError(t, os.Symlink(p, filepath.Join(dir, name)))
	}
	apt := "#!/bin/bash\nprintf '%s\\n' \"$*\" >> '" + aptLog + "'\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "apt-get"), []byte(apt), 0o755)) // #nosec G306 -- an executable for the test
	return dir
}

// runWithApt runs the script with a PATH of fakeBin's and returns what it
// printed, its exit status and apt-get's calls.
func runWithApt(t *testing.T, extra []string, env map[string]string, args ...string) scriptRun {
	t.Helper()
	aptLog := filepath.Join(t.TempDir(), "apt.log")
	cmd := exec.Command("bash", append([]string{"../../scripts/services.sh"}, args...)...)
	cmd.Env = []string{"PATH=" + fakeBin(t, aptLog, extra...), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := scriptRun{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	if b, err := os.ReadFile(aptLog); err == nil { // #nosec G304 -- the test's own file
		r.apt = strings.Split(strings.TrimSpace(string(b)), "\n")
	}
	return r
}

func deadPostgres(t *testing.T) string {
	return "postgres://postgres@127.0.0.1:" + strconv.Itoa(freePort(t)) + "/alojamientos?sslmode=disable"
}

func TestServicesScriptWithoutPostgreSQLNotRoot(t *testing.T) {
	t.Parallel()
	r := runWithApt(t, nil, map[string]string{"SERVICES_UID": "1000", "DATABASE_URL": deadPostgres(t)}, "--redis")
	require.Equal(t, 1, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	require.Empty(t, r.apt, "apt-get must not run when not root")
	for _, want := range []string{
		"PostgreSQL is not installed here",
		"sudo bash ../../scripts/services.sh --redis",
		"sudo apt-get update && sudo apt-get install -y postgresql postgresql-contrib redis-server",
		"sudo sed -i '1i host all all 127.0.0.1/32 trust\\nhost all all ::1/128 trust' /etc/postgresql/*/main/pg_hba.conf",
		"sudo service postgresql restart",
		"or set DATABASE_URL",
	} {
		require.Contains(t, r.stderr, want)
	}
}

func TestServicesScriptWithoutPostgreSQLAsRoot(t *testing.T) {
	t.Parallel()
	r := runWithApt(t, nil, map[string]string{"SERVICES_UID": "0", "DATABASE_URL": deadPostgres(t)}, "--redis")
	require.Equal(t, 1, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	require.Equal(t, []string{"update -qq", "install -y -qq postgresql postgresql-contrib"}, r.apt)
	// The fake installed nothing, so the script says so instead of going on.
	require.Contains(t, r.stderr, "apt-get installed postgresql but pg_ctlcluster is still missing")
}

// PostgreSQL answers (the machine's own, through the real psql), Redis does not
// and is not installed.
func TestServicesScriptWithoutRedis(t *testing.T) {
	t.Parallel()
	pgTools := []string{"psql", "pg_isready"}
	deadRedis := "redis://127.0.0.1:" + strconv.Itoa(freePort(t)) + "/0"
	db := "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		db = u
	}

	t.Run("root installs redis-server", func(t *testing.T) {
		t.Parallel()
		r := runWithApt(t, pgTools, map[string]string{"SERVICES_UID": "0", "DATABASE_URL": db, "REDIS_URL": deadRedis},
			"--no-createdb")
		require.Equal(t, 1, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
		require.Equal(t, []string{"update -qq", "install -y -qq redis-server"}, r.apt)
		require.Contains(t, r.stderr, "Redis is not reachable")
	})
	t.Run("not root, REDIS_URL set: stops with the commands", func(t *testing.T) {
		t.Parallel()
		r := runWithApt(t, pgTools, map[string]string{"SERVICES_UID": "1000", "DATABASE_URL": db, "REDIS_URL": deadRedis},
			"--no-createdb")
		require.Equal(t, 1, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
		require.Empty(t, r.apt)
		require.Contains(t, r.stderr, "`sudo apt-get update && sudo apt-get install -y redis-server` (this script then starts it)")
		require.Contains(t, r.stderr, "`sudo bash ../../scripts/services.sh --no-createdb`")
	})
}

// On a machine where everything answers (this one), the script is quiet and
// installs nothing, whoever runs it.
func TestServicesScriptNothingToDo(t *testing.T) {
	t.Parallel()
	db := "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		db = u
	}
	env := map[string]string{"SERVICES_UID": "0", "DATABASE_URL": db}
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		env["REDIS_URL"] = u
	}
	r := runWithApt(t, []string{"psql", "pg_isready", "redis-cli", "redis-server", "createdb"}, env, "--redis")
	require.Equal(t, 0, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	require.Empty(t, r.apt)
	require.Empty(t, r.stdout)
	require.Empty(t, r.stderr)
}
