package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// TxDB is a pool, or a transaction in tests (Begin opens a savepoint).
type TxDB interface {
	dbq.DBTX
	Begin(ctx context.Context) (db.Tx, error)
}

// ErrLastOwner refuses a change that would leave an account without an owner.
var ErrLastOwner = errors.New("auth: an account needs at least one owner")

// RecordLogin remembers when a user last signed in.
func RecordLogin(ctx context.Context, conn dbq.DBTX, userID int64, now time.Time) error {
	if err := db.Q(conn).TouchLogin(ctx, dbq.TouchLoginParams{ID: userID, Now: &now}); err != nil {
		return fmt.Errorf("auth: record login: %w", err)
	}
	return nil
}

// SetRole gives a user of the account a new role. It answers ErrNoUser for a
// user of another account and ErrLastOwner when the account's only owner
// would become staff. The change applies to the user's open sessions at once:
// sessions read the role on every request.
func SetRole(ctx context.Context, conn TxDB, accountID, userID int64, role string) error {
	if !ValidRole(role) {
		return fmt.Errorf("%w, not %q", ErrInvalidRole, role)
	}
	return changeUser(ctx, conn, accountID, userID, role == "staff", func(q *dbq.Queries) (int64, error) {
		return q.SetUserRole(ctx, dbq.SetUserRoleParams{ID: userID, AccountID: accountID, Role: role})
	})
}

// RemoveUser deletes a user of the account; their sessions stop working at
// once. Same answers as SetRole.
func RemoveUser(ctx context.Context, conn TxDB, accountID, userID int64) error {
	return changeUser(ctx, conn, accountID, userID, true, func(q *dbq.Queries) (int64, error) {
		return q.DeleteUser(ctx, dbq.DeleteUserParams{ID: userID, AccountID: accountID})
	})
}

// changeUser applies change to a user of the account with the account locked,
// refusing it when it takes away the last owner.
func changeUser(ctx context.Context, conn TxDB, accountID, userID int64, losesOwner bool,
	change func(*dbq.Queries) (int64, error)) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("auth: change user %d: %w", userID, err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	q := db.Q(tx)
	if _, err := q.LockAccountUsers(ctx, accountID); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return ErrNoUser
		}
		return fmt.Errorf("auth: change user %d: lock account: %w", userID, err)
	}
	target, err := q.GetUserInAccount(ctx, dbq.GetUserInAccountParams{ID: userID, AccountID: accountID})
	if errors.Is(err, db.ErrNotFound) {
		return ErrNoUser
	}
	if err != nil {
		return fmt.Errorf("auth: change user %d: %w", userID, err)
	}
	if target.Role == "owner" && losesOwner {
		owners, err := q.CountOwners(ctx, accountID)
		if err != nil {
			return fmt.Errorf("auth: change user %d: count owners: %w", userID, err)
		}
		if owners <= 1 {
			return ErrLastOwner
		}
	}
	if n, err := change(q); err != nil {
		return fmt.Errorf("auth: change user %d: %w", userID, err)
	} else if n != 1 {
		return ErrNoUser
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("auth: change user %d: commit: %w", userID, err)
	}
	return nil
}
