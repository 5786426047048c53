package db

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// Beginner is anything that can begin a transaction: a Pool, or a Tx (which
// opens a savepoint), so the same code runs inside a test's transaction.
type Beginner interface {
	Begin(ctx context.Context) (Tx, error)
}

// InTx runs fn in a transaction of conn: committed when fn returns nil,
// rolled back otherwise. The error, fn's or the commit's, comes back
// translated (a deadlock at commit is ErrRetry like one inside fn).
func InTx(ctx context.Context, conn Beginner, fn func(tx Tx) error) error {
	return Translate(pgx.BeginFunc(ctx, conn, fn))
}

// IsRetry reports a deadlock or serialization failure (ErrRetry): the whole
// transaction may be run again.
func IsRetry(err error) bool { return errors.Is(Translate(err), ErrRetry) }
