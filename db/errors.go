package db

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"alojamientos/db/dbq"
)

// The storage boundary: every error PostgreSQL or pgx returns is translated
// here, once, into these. Code above db never imports pgx to ask what went
// wrong; it asks errors.Is(err, db.ErrNotFound) or db.IsUnique(err, "…").
var (
	// ErrNotFound is a query that expected a row and found none.
	ErrNotFound = errors.New("db: not found")
	// ErrUnique is a unique violation (23505).
	ErrUnique = errors.New("db: unique violation")
	// ErrExclusion is an exclusion-constraint violation (23P01): for
	// occupancy, the nights are taken.
	ErrExclusion = errors.New("db: exclusion violation")
	// ErrForeignKey is a foreign-key violation (23503).
	ErrForeignKey = errors.New("db: foreign key violation")
	// ErrCheck is a check-constraint violation (23514).
	ErrCheck = errors.New("db: check violation")
	// ErrRetry is a deadlock or serialization failure (40P01, 40001): the
	// whole transaction may be run again.
	ErrRetry = errors.New("db: transaction must be retried")
)

// ConstraintError is a refused write, naming the constraint that refused it.
type ConstraintError struct {
	Kind       error // ErrUnique, ErrExclusion, ErrForeignKey, ErrCheck or ErrRetry
	Constraint string
	err        error
}

func (e *ConstraintError) Error() string {
	if e.Constraint == "" {
		return e.Kind.Error() + ": " + e.err.Error()
	}
	return e.Kind.Error() + " (" + e.Constraint + "): " + e.err.Error()
}

// Is lets errors.Is(err, db.ErrUnique) match.
func (e *ConstraintError) Is(target error) bool { return target == e.Kind }

// Unwrap keeps the driver's error reachable for logs.
func (e *ConstraintError) Unwrap() error { return e.err }

type notFound struct{ err error }

func (e notFound) Error() string   { return ErrNotFound.Error() }
func (e notFound) Unwrap() []error { return []error{ErrNotFound, e.err} }

var kinds = map[string]error{
	"23505": ErrUnique, "23P01": ErrExclusion, "23503": ErrForeignKey, "23514": ErrCheck,
	"40P01": ErrRetry, "40001": ErrRetry,
}

// Translate turns a pgx or PostgreSQL error into one of this package's;
// other errors (and nil) pass through unchanged. Translating twice is harmless.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		if errors.Is(err, ErrNotFound) {
			return err
		}
		return notFound{err}
	}
	var ce *ConstraintError
	if errors.As(err, &ce) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if kind, ok := kinds[pgErr.Code]; ok {
			return &ConstraintError{Kind: kind, Constraint: pgErr.ConstraintName, err: err}
		}
	}
	return err
}

// IsUnique reports a unique violation, of the named constraint when one is given.
func IsUnique(err error, constraint ...string) bool { return isKind(err, ErrUnique, constraint) }

// IsExclusion reports an exclusion violation, of the named constraint when one is given.
func IsExclusion(err error, constraint ...string) bool { return isKind(err, ErrExclusion, constraint) }

// IsCheck reports a check-constraint violation, of the named constraint when one is given.
func IsCheck(err error, constraint ...string) bool { return isKind(err, ErrCheck, constraint) }

func isKind(err, kind error, constraint []string) bool {
	var ce *ConstraintError
	if !errors.As(Translate(err), &ce) || ce.Kind != kind {
		return false
	}
	return len(constraint) == 0 || constraint[0] == ce.Constraint
}

// Q is dbq.New over a connection, pool or transaction whose every error is
// translated: the one way code outside db builds its queries.
func Q(conn dbq.DBTX) *dbq.Queries { return dbq.New(Translating(conn)) }

// Translating wraps a connection so every error it returns is translated.
func Translating(conn dbq.DBTX) dbq.DBTX {
	if t, ok := conn.(translating); ok {
		return t
	}
	return translating{conn}
}

type translating struct{ conn dbq.DBTX }

func (t translating) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := t.conn.Exec(ctx, sql, args...)
	return tag, Translate(err)
}

func (t translating) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	rows, err := t.conn.Query(ctx, sql, args...)
	if err != nil {
		return rows, Translate(err)
	}
	return translatedRows{rows}, nil
}

func (t translating) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return translatedRow{t.conn.QueryRow(ctx, sql, args...)}
}

type translatedRow struct{ row pgx.Row }

func (r translatedRow) Scan(dest ...any) error { return Translate(r.row.Scan(dest...)) }

type translatedRows struct{ pgx.Rows }

func (r translatedRows) Err() error { return Translate(r.Rows.Err()) }
