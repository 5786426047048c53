package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"alojamientos/db"
	"alojamientos/db/dbtest"
)

// The translation is checked against the real server's errors, not made-up ones.
func TestTranslate(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE errs_t (id int PRIMARY KEY CONSTRAINT errs_t_pos CHECK (id > 0))`); err != nil {
		t.Fatal(err)
	}
	conn := db.Translating(pool)
	if _, err := conn.Exec(ctx, `INSERT INTO errs_t VALUES (1)`); err != nil {
		t.Fatal(err)
	}

	_, err := conn.Exec(ctx, `INSERT INTO errs_t VALUES (1)`)
	if !errors.Is(err, db.ErrUnique) || !db.IsUnique(err, "errs_t_pkey") || db.IsUnique(err, "other") || db.IsExclusion(err) {
		t.Fatalf("duplicate key: %v", err)
	}
	_, err = conn.Exec(ctx, `INSERT INTO errs_t VALUES (-1)`)
	var ce *db.ConstraintError
	if !errors.Is(err, db.ErrCheck) || !errors.As(err, &ce) || ce.Constraint != "errs_t_pos" {
		t.Fatalf("check: %v", err)
	}

	var id int
	err = conn.QueryRow(ctx, `SELECT id FROM errs_t WHERE id = 2`).Scan(&id)
	if !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("no row: %v", err)
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		t.Fatal("the driver's error stays reachable for code not yet moved to db.ErrNotFound")
	}
	if again := db.Translate(err); again != err {
		t.Fatal("translating twice must not wrap twice")
	}
	if db.Translate(nil) != nil {
		t.Fatal("nil stays nil")
	}

	rows, err := conn.Query(ctx, `SELECT 1/0`)
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
	}
	if err == nil || errors.Is(err, db.ErrNotFound) {
		t.Fatalf("division by zero passes through untranslated: %v", err)
	}
}
