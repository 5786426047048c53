package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/internal/booking"
	"alojamientos/internal/platform"
)

// pgTool finds pg_dump or pg_restore whose major version is at least the
// server's (an older pg_dump refuses a newer server): the one on PATH or the
// newest under /usr/lib/postgresql/*/bin.
func pgTool(t *testing.T, name string, serverMajor int) string {
	t.Helper()
	candidates, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if p, err := exec.LookPath(name); err == nil {
		candidates = append(candidates, p)
	}
	best, bestMajor := "", 0
	var seen []string
	for _, c := range candidates {
		out, err := exec.Command(c, "--version").Output()
		if err != nil {
			continue
		}
		m := regexp.MustCompile(`\(PostgreSQL\) (\d+)`).FindSubmatch(out)
		if m == nil {
			continue
		}
		major, _ := strconv.Atoi(string(m[1]))
		seen = append(seen, fmt.Sprintf("%s (%d)", c, major))
		if major > bestMajor {
			best, bestMajor = c, major
		}
	}
	if best == "" || bestMajor < serverMajor {
		t.Fatalf("%s of PostgreSQL >= %d is needed (found: %v): on Debian `apt-get install postgresql-client-%d`",
			name, serverMajor, seen, serverMajor)
	}
	return best
}

type dbState struct {
	rows        map[string]int64 // table → rows
	constraints []string
	indexes     []string
	triggers    []string
	functions   []string
}

// snapshot reads every table's row count and the schema's named objects.
func snapshot(t *testing.T, ctx context.Context, conn *pgx.Conn) dbState {
	t.Helper()
	list := func(sql string) []string {
		rows, err := conn.Query(ctx, sql)
		require.NoError(t, err)
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		sort.Strings(out)
		return out
	}
	s := dbState{rows: map[string]int64{}}
	for _, table := range list(`SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`) {
		var n int64
		require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize()).Scan(&n))
		s.rows[table] = n
	}
	s.constraints = list(`SELECT conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(oid)
		FROM pg_constraint WHERE connamespace = 'public'::regnamespace`)
	s.indexes = list(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'`)
	s.triggers = list(`SELECT tgrelid::regclass::text || '.' || tgname FROM pg_trigger WHERE NOT tgisinternal`)
	s.functions = list(`SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`)
	return s
}

// TestBackupRestore: the backup the compose service takes (scripts/backup.sh)
// of a migrated, seeded database restores with docs/production.md's pg_restore
// command into a fresh database that is the same, row for row, and works:
// the EXCLUDE constraint refuses overlapping nights, River runs jobs, and
// serve accepts the schema as current.
func TestBackupRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srcURL := emptyDatabase(t)
	c := cli{env: map[string]string{"DATABASE_URL": srcURL, "LOG_LEVEL": "warn"}}
	code, _, stderr := c.run(t, "migrate")
	require.Equal(t, 0, code, stderr)
	code, _, stderr = c.run(t, "seed", "--demo")
	require.Equal(t, 0, code, stderr)

	src, err := pgx.Connect(ctx, srcURL)
	require.NoError(t, err)
	defer src.Close(ctx)
	var serverVersion int
	require.NoError(t, src.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&serverVersion))
	pgDump := pgTool(t, "pg_dump", serverVersion/10000)
	pgRestore := pgTool(t, "pg_restore", serverVersion/10000)

	// The backup, as the compose service runs it, with one dump older than
	// KEEP_DAYS (pruned) and one younger (kept).
	dir := t.TempDir()
	old := filepath.Join(dir, "alojamientos-20200101T000000Z.dump")
	recent := filepath.Join(dir, "alojamientos-20200102T000000Z.dump")
	for _, f := range []string{old, recent} {
		require.NoError(t, os.WriteFile(f, []byte("stale"), 0o600))
	}
	require.NoError(t, os.Chtimes(old, time.Now().Add(-50*time.Hour), time.Now().Add(-50*time.Hour)))
	require.NoError(t, os.Chtimes(recent, time.Now().Add(-40*time.Hour), time.Now().Add(-40*time.Hour)))
	cmd := exec.Command("bash", "../../scripts/backup.sh")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+srcURL, "BACKUP_DIR="+dir, "KEEP_DAYS=2", "PG_DUMP="+pgDump)
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.Output()
	require.NoError(t, err, "backup.sh: %s", errb.String())
	dump := strings.TrimSpace(string(out))
	require.Regexp(t, `/alojamientos-\d{8}T\d{6}Z\.dump$`, dump, "backup.sh prints the new dump's path")
	require.FileExists(t, dump)
	require.NoFileExists(t, old, "older than KEEP_DAYS: pruned")
	require.FileExists(t, recent, "younger than KEEP_DAYS: kept")
	require.Contains(t, errb.String(), "pruned "+old)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 2, "no partial file left behind")

	want := snapshot(t, ctx, src)
	for _, table := range []string{"accounts", "properties", "reservations", "occupancy", "audit_log", "river_job"} {
		require.Positive(t, want.rows[table], "the seeded database has %s rows", table)
	}
	require.Contains(t, want.rows, "river_leader", "River's tables are in the dump")

	// Restore into another fresh database, with docs/production.md's command.
	dstURL := emptyDatabase(t)
	restore := exec.Command(pgRestore, "--dbname="+dstURL, "--no-owner", "--exit-on-error", "--single-transaction", dump)
	rout, err := restore.CombinedOutput()
	require.NoError(t, err, "pg_restore: %s", rout)

	dst, err := pgx.Connect(ctx, dstURL)
	require.NoError(t, err)
	defer dst.Close(ctx)
	got := snapshot(t, ctx, dst)
	require.Equal(t, want.rows, got.rows, "row counts of every table")
	require.Equal(t, want.constraints, got.constraints)
	require.Equal(t, want.indexes, got.indexes)
	require.Equal(t, want.triggers, got.triggers)
	require.Equal(t, want.functions, got.functions)
	require.Contains(t, strings.Join(got.constraints, "\n"), "occupancy.occupancy_no_overlap EXCLUDE USING gist")

	// The constraint works in the copy: an active row's nights cannot be taken again.
	_, err = dst.Exec(ctx, `INSERT INTO occupancy (property_id, nights, kind, note)
		SELECT property_id, nights, 'block', 'restore test' FROM occupancy WHERE active ORDER BY id LIMIT 1`)
	require.True(t, db.IsExclusion(err, "occupancy_no_overlap"), "overlapping insert refused, got %v", err)
	// Sequences came back too: a new row gets a fresh id.
	var newID, maxID int64
	require.NoError(t, dst.QueryRow(ctx, `SELECT max(id) FROM occupancy`).Scan(&maxID))
	require.NoError(t, dst.QueryRow(ctx, `INSERT INTO occupancy (property_id, nights, kind, note)
		SELECT id, daterange('2031-01-01', '2031-01-03'), 'block', 'restore test' FROM properties ORDER BY id LIMIT 1
		RETURNING id`).Scan(&newID))
	require.Greater(t, newID, maxID)

	// serve runs on the copy without migrating (the schema is current), holds
	// go through the constraint, and River works the jobs.
	addr := freeAddr(t)
	cfg, err := platform.LoadConfig(func(k string) string {
		return map[string]string{"DATABASE_URL": dstURL, "ADDR": addr, "DATA_DIR": t.TempDir(), "RATE_LIMIT_PER_MINUTE": "0"}[k]
	})
	require.NoError(t, err)
	started := time.Now()
	stop := startServe(t, cfg, platform.SystemClock{})
	defer stop()
	var propertyID int64
	require.NoError(t, dst.QueryRow(ctx, `SELECT id FROM properties WHERE active ORDER BY id LIMIT 1`).Scan(&propertyID))
	in := booking.LocalDate(time.Now(), time.UTC).AddDate(1, 2, 0)
	body := fmt.Sprintf(`{"property_id":%d,"check_in":"%s","check_out":"%s","guests":2,"guest_name":"Ana Restaurada","guest_phone":"+5491155551234"}`,
		propertyID, booking.FormatDate(in), booking.FormatDate(in.AddDate(0, 0, 7)))
	post := func() (int, string) {
		resp, err := http.Post("http://"+addr+"/api/v1/reservations/pre-reserve", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, answer := post()
	require.Equal(t, http.StatusCreated, status, answer)
	status, answer = post()
	require.Equal(t, http.StatusConflict, status, answer)
	require.Contains(t, answer, "date_overlap")
	var holdJobs int
	require.NoError(t, dst.QueryRow(ctx, `SELECT count(*) FROM river_job j JOIN reservations r ON (j.args->>'reservation_id')::bigint = r.id
		WHERE r.guest_name = 'Ana Restaurada'`).Scan(&holdJobs))
	require.Positive(t, holdJobs, "the hold enqueued its River jobs in the restored river_job")
	require.Eventually(t, func() bool {
		var n int
		require.NoError(t, dst.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state = 'completed' AND finalized_at >= $1`,
			started).Scan(&n))
		return n > 0
	}, 30*time.Second, 100*time.Millisecond, "River's workers complete jobs on the restored database")
}
