package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
)

// createDatabase creates name on the server of adminURL and returns a URL
// for it with adminURL's credentials and options.
func createDatabase(ctx context.Context, adminURL, name string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("bench: BENCH_PG_URL must be a postgres:// URL, not %q", adminURL)
	}
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", fmt.Errorf("bench: connect to %s: %w", redact(u), err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("bench: create database %s: %w", name, err)
	}
	logf("created database %s", name)
	u.Path = "/" + name
	return u.String(), nil
}

// dropDatabase uses its own context so that it still runs after an interrupt
// cancelled the run; FORCE ends any connection the server left behind.
func dropDatabase(adminURL, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("bench: drop database %s: %w", name, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("bench: drop database %s: %w", name, err)
	}
	logf("dropped database %s", name)
	return nil
}

func redact(u *url.URL) string {
	c := *u
	if _, has := c.User.Password(); has {
		c.User = url.UserPassword(c.User.Username(), "xxx")
	}
	return c.String()
}

// seed writes the bench account and its properties straight into the
// database, and returns the properties' ids in slug order (index i is
// bench-%03d of i). Upserts let a debugging database be reused; reset then
// also removes the stays a previous run left on them.
func seed(ctx context.Context, dbURL string, reset bool) ([]int64, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("bench: seed: connect: %w", err)
	}
	defer conn.Close(context.Background())

	var ids []int64
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		var account int64
		if err := tx.QueryRow(ctx, `INSERT INTO accounts (slug, name) VALUES ('bench', 'Bench')
			ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`).Scan(&account); err != nil {
			return fmt.Errorf("account: %w", err)
		}
		for i := range numProps {
			var id int64
			err := tx.QueryRow(ctx, `INSERT INTO properties
				(account_id, slug, name, capacity, included_guests, base_price, hold_minutes, min_nights)
				VALUES ($1, $2, $3, 4, 2, 10000, 30, 1)
				ON CONFLICT (slug) DO UPDATE SET account_id = EXCLUDED.account_id, capacity = 4,
					included_guests = 2, base_price = 10000, hold_minutes = 30, min_nights = 1, active = true,
					weekend_price = NULL, cleaning_fee = 0, extra_guest_fee = 0
				RETURNING id`,
				account, fmt.Sprintf("bench-%03d", i), fmt.Sprintf("Bench %03d", i)).Scan(&id)
			if err != nil {
				return fmt.Errorf("property %d: %w", i, err)
			}
			ids = append(ids, id)
		}
		if !reset {
			return nil
		}
		// Reservations point at their occupancy row, so they go first.
		for _, q := range []string{
			`DELETE FROM reservations WHERE property_id = ANY($1)`,
			`DELETE FROM occupancy WHERE property_id = ANY($1)`,
			`DELETE FROM seasons WHERE property_id = ANY($1)`,
		} {
			if _, err := tx.Exec(ctx, q, ids); err != nil {
				return fmt.Errorf("reset: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bench: seed: %w", err)
	}
	logf("seeded 1 account and %d properties", len(ids))
	return ids, nil
}

// dateOnly formats a day the way the API and PostgreSQL both read it.
func dateOnly(t time.Time) string { return t.Format(time.DateOnly) }
