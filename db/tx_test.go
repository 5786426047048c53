package db_test

import (
	"context"
	"errors"
	"testing"

	"alojamientos/db"
	"alojamientos/db/dbtest"
)

// InTx commits when fn succeeds, rolls back when it fails, and hands back
// the error translated: a deferred constraint refused at COMMIT (outside any
// query of fn) is db.ErrUnique too.
func TestInTx(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE tx_t (id int CONSTRAINT tx_t_key UNIQUE DEFERRABLE INITIALLY DEFERRED)`); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM tx_t`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	insert := func(tx db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO tx_t VALUES (1)`)
		return err
	}
	if err := db.InTx(ctx, pool, insert); err != nil || count() != 1 {
		t.Fatalf("commit: %v, %d rows", err, count())
	}
	boom := errors.New("boom")
	err := db.InTx(ctx, pool, func(tx db.Tx) error {
		if err := insert(tx); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || count() != 1 {
		t.Fatalf("rollback: %v, %d rows", err, count())
	}
	err = db.InTx(ctx, pool, insert)
	if !db.IsUnique(err, "tx_t_key") || !errors.Is(err, db.ErrUnique) || count() != 1 {
		t.Fatalf("refused at commit: %v, %d rows", err, count())
	}
	if db.IsRetry(err) || db.IsRetry(nil) || db.IsRetry(boom) {
		t.Fatal("IsRetry on something else")
	}
}
