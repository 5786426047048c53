package auth

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// ErrEmailTaken is an email already used by another user.
var ErrEmailTaken = errors.New("auth: email already registered")

// ErrInvalidEmail is a string that is not a plain email address.
var ErrInvalidEmail = errors.New("auth: not an email address")

// ErrInvalidRole is a role other than owner or staff.
var ErrInvalidRole = errors.New("auth: role must be owner or staff")

// NormalizeEmail trims and lowercases email and checks it is a bare address
// (no display name, no angle brackets).
func NormalizeEmail(email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(e); err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
		return "", fmt.Errorf("%w: %q", ErrInvalidEmail, email)
	}
	return e, nil
}

// ValidRole reports whether role is one a user may have.
func ValidRole(role string) bool { return role == "owner" || role == "staff" }

// NewUser is a user to create.
type NewUser struct {
	AccountID int64
	Email     string
	Name      string
	Password  string
	Role      string // owner or staff
}

// CreateUser validates and stores a user with an argon2id hash.
func CreateUser(ctx context.Context, conn dbq.DBTX, u NewUser) (dbq.User, error) {
	email, err := NormalizeEmail(u.Email)
	if err != nil {
		return dbq.User{}, err
	}
	if !ValidRole(u.Role) {
		return dbq.User{}, fmt.Errorf("%w, not %q", ErrInvalidRole, u.Role)
	}
	hash, err := HashPassword(u.Password)
	if err != nil {
		return dbq.User{}, err
	}
	user, err := db.Q(conn).CreateUser(ctx, dbq.CreateUserParams{
		AccountID: u.AccountID, Email: email, Name: strings.TrimSpace(u.Name), PasswordHash: hash, Role: u.Role,
	})
	if db.IsUnique(err) {
		return dbq.User{}, ErrEmailTaken
	}
	if err != nil {
		return dbq.User{}, fmt.Errorf("auth: create user: %w", err)
	}
	return user, nil
}

// Authenticate returns the user with that email and password. Unknown emails
// cost the same hash as wrong passwords, so timing does not reveal accounts.
func Authenticate(ctx context.Context, conn dbq.DBTX, email, password string) (dbq.User, bool, error) {
	user, err := db.Q(conn).GetUserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if errors.Is(err, db.ErrNotFound) {
		_, _ = CheckPassword(dummyHash, password)
		return dbq.User{}, false, nil
	}
	if err != nil {
		return dbq.User{}, false, fmt.Errorf("auth: find user: %w", err)
	}
	ok, err := CheckPassword(user.PasswordHash, password)
	if err != nil || !ok {
		return dbq.User{}, false, err
	}
	return user, true, nil
}

// dummyHash is checked against when the email is unknown.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Tk0bA8fCeXcGBLLHx8fmbE2g5v6zUqMr9fL0y0qWOs"

// User is the signed-in dashboard user, with the account every query is scoped to.
type User struct {
	ID             int64
	AccountID      int64
	AccountName    string
	Timezone       string
	Currency       string
	Email          string
	Name           string
	Role           string
	SessionVersion int32
}

// IsOwner reports whether the user may change prices, users and payment settings.
func (u User) IsOwner() bool { return u.Role == "owner" }

// DisplayName is the name, or the email when there is none.
func (u User) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// ErrNoUser is a user id that no longer exists.
var ErrNoUser = errors.New("auth: no such user")

// LoadUser reads a user and their account.
func LoadUser(ctx context.Context, conn dbq.DBTX, id int64) (User, error) {
	row, err := db.Q(conn).GetUser(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return User{}, ErrNoUser
	}
	if err != nil {
		return User{}, fmt.Errorf("auth: load user %d: %w", id, err)
	}
	return User{ID: row.ID, AccountID: row.AccountID, AccountName: row.AccountName, Timezone: row.Timezone,
		Currency: row.Currency, Email: row.Email, Name: row.Name, Role: row.Role, SessionVersion: row.SessionVersion}, nil
}

// ErrWrongPassword is a current password that does not match.
var ErrWrongPassword = errors.New("auth: wrong password")

// ChangePassword checks the current password, stores the new one and
// returns the new session version: every other session of the user is revoked.
func ChangePassword(ctx context.Context, conn dbq.DBTX, userID int64, current, next string) (int32, error) {
	q := db.Q(conn)
	row, err := q.GetUser(ctx, userID)
	if err != nil {
		return 0, fmt.Errorf("auth: change password: %w", err)
	}
	ok, err := CheckPassword(row.PasswordHash, current)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, ErrWrongPassword
	}
	hash, err := HashPassword(next)
	if err != nil {
		return 0, err
	}
	ver, err := q.SetPassword(ctx, dbq.SetPasswordParams{ID: userID, PasswordHash: hash})
	if err != nil {
		return 0, fmt.Errorf("auth: change password: %w", err)
	}
	return ver, nil
}
