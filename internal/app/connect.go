package app

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"alojamientos/internal/platform"
)

// Connect opens the pool and says plainly what to do when PostgreSQL is not
// there (CLI commands that need nothing else use it alone).
func Connect(ctx context.Context, cfg platform.Config) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL: %w", err)
	}
	pc.MaxConns = int32(cfg.DBMaxConns)
	pc.MinConns = 2
	pc.MaxConnIdleTime = 5 * time.Minute
	pc.ConnConfig.ConnectTimeout = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w\n"+
			"PostgreSQL ≥ 15 with btree_gist is required: start it (on Debian: apt-get install postgresql postgresql-contrib), "+
			"or set DATABASE_URL to a reachable server; `make run` starts a local one for you", redactURL(cfg.DatabaseURL), err)
	}
	return pool, nil
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
