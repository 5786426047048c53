// Package dbtest gives each test a fresh database cloned from a migrated
// template, plus factories for the rows most tests need. Real PostgreSQL,
// never a mock: set TEST_DATABASE_URL to point elsewhere than the local server.
// Any package's tests use it; it is never linked into the binary.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"alojamientos/db"
)

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// BaseURL is the maintenance connection used to create and drop databases.
func BaseURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// URLFor returns BaseURL pointed at database name.
func URLFor(name string) string {
	u, err := url.Parse(BaseURL())
	if err != nil {
		panic(fmt.Sprintf("dbtest: TEST_DATABASE_URL: %v", err))
	}
	u.Path = "/" + name
	return u.String()
}

// schemaHash names the template after the migrations, so a changed migration
// builds a new template instead of reusing a stale one.
func schemaHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(db.Migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := db.Migrations().Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, _ = io.WriteString(h, path)
		_, err = io.Copy(h, f)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:12], err
}

func ensureTemplate(ctx context.Context) (string, error) {
	templateOnce.Do(func() {
		templateName, templateErr = buildTemplate(ctx)
	})
	return templateName, templateErr
}

func buildTemplate(ctx context.Context) (string, error) {
	hash, err := schemaHash()
	if err != nil {
		return "", fmt.Errorf("dbtest: hash migrations: %w", err)
	}
	name := "alojamientos_tmpl_" + hash
	admin, err := pgx.Connect(ctx, BaseURL())
	if err != nil {
		return "", fmt.Errorf("dbtest: connect to %s: %w (is PostgreSQL running? `make test` starts it)", BaseURL(), err)
	}
	defer admin.Close(ctx)
	// Test binaries of several packages start at once; one builds the template.
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(72026112)"); err != nil {
		return "", err
	}
	defer admin.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(72026112)") //nolint:errcheck
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	pool, err := pgxpool.New(ctx, URLFor(name))
	if err != nil {
		return "", err
	}
	err = db.Migrate(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil)))
	pool.Close()
	if err != nil {
		return "", fmt.Errorf("dbtest: migrate template: %w", err)
	}
	// Marked as a template only once complete, so a crash midway is rebuilt next time.
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH is_template true"); err != nil {
		return "", err
	}
	if os.Getenv("DBTEST_KEEP_TEMPLATES") == "" {
		// Several work trees testing at once on one server each need their own.
		dropOldTemplates(ctx, admin, name)
	}
	return name, nil
}

// dropOldTemplates removes templates of earlier schemas so they do not pile
// up on a developer's server. Failing to drop one (in use) is harmless.
func dropOldTemplates(ctx context.Context, admin *pgx.Conn, keep string) {
	rows, err := admin.Query(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'alojamientos\\_tmpl\\_%' AND datname <> $1", keep)
	if err != nil {
		return
	}
	old, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, name := range old {
		id := pgx.Identifier{name}.Sanitize()
		if _, err := admin.Exec(ctx, "ALTER DATABASE "+id+" WITH is_template false"); err == nil {
			_, _ = admin.Exec(ctx, "DROP DATABASE "+id)
		}
	}
}

// NewDatabase creates a database cloned from the migrated template and
// returns its name; it is dropped when the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	tmpl, err := ensureTemplate(ctx)
	if err != nil {
		t.Fatalf("dbtest: template: %v", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "alojamientos_test_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, BaseURL())
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	defer admin.Close(ctx)
	// CREATE DATABASE from one template is serialised by PostgreSQL; retry the
	// "source database is being accessed" race between packages.
	for attempt := 0; ; attempt++ {
		_, err = admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{tmpl}.Sanitize())
		if err == nil || attempt == 20 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), BaseURL())
		if err != nil {
			t.Logf("dbtest: drop %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Logf("dbtest: drop %s: %v", name, err)
		}
	})
	return name
}

// New returns a pool on a fresh database, closed when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pc, err := pgxpool.ParseConfig(URLFor(NewDatabase(t)))
	if err != nil {
		t.Fatal(err)
	}
	pc.MaxConns = 16
	pool, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		t.Fatalf("dbtest: pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}
