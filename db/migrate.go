// Package db owns the schema: goose migrations embedded in the binary (also
// sqlc's schema), River's own tables, and the generated queries in dbq. It is
// also the storage boundary (errors.go, pool.go): db.Q builds the queries with
// every error translated (ErrNotFound, *ConstraintError), so the packages
// above it never ask the driver what went wrong. It is the one package that
// knows PostgreSQL's error codes and the driver's types.
package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the embedded migration files, rooted at their folder.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// ErrNotMigrated is returned by CheckMigrated when the schema is behind the binary.
var ErrNotMigrated = errors.New("the database schema is not up to date: run `alojamientos migrate` (or start with AUTO_MIGRATE=1)")

func gooseProvider(pool *pgxpool.Pool) (*goose.Provider, *sql.DB, error) {
	sqlDB := stdlib.OpenDBFromPool(pool)
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, Migrations())
	if err != nil {
		_ = sqlDB.Close() // the provider error is the one worth reporting
		return nil, nil, fmt.Errorf("db: goose provider: %w", err)
	}
	return p, sqlDB, nil
}

// Migrate applies our migrations and River's. Safe to run from several
// instances at once: both take a PostgreSQL advisory lock.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	// goose's provider locks with a session advisory lock only when asked; one
	// transaction-level lock around the whole run keeps concurrent starts apart.
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("db: migrate: acquire: %w", err)
	}
	defer conn.Release()
	const lockKey = 7_202_611_260 // any constant shared by every instance
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return fmt.Errorf("db: migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockKey) //nolint:errcheck

	p, sqlDB, err := gooseProvider(pool)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", slog.String("source", r.Source.Path), slog.Duration("took", r.Duration))
	}

	rm, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("db: river migrator: %w", err)
	}
	res, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("db: river migrate: %w", err)
	}
	for _, v := range res.Versions {
		log.Info("river migration applied", slog.Int("version", v.Version))
	}
	return nil
}

// CheckMigrated reports ErrNotMigrated when our or River's migrations are pending.
func CheckMigrated(ctx context.Context, pool *pgxpool.Pool) error {
	p, sqlDB, err := gooseProvider(pool)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("db: check migrations: %w", err)
	}
	if pending {
		return ErrNotMigrated
	}
	rm, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("db: river migrator: %w", err)
	}
	res, err := rm.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{DryRun: true})
	if err != nil {
		return fmt.Errorf("db: check river migrations: %w", err)
	}
	if len(res.Versions) > 0 {
		return ErrNotMigrated
	}
	return nil
}
