package auth_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/auth"
)

func TestPasswordGenerated(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := 0; i < 500; i++ {
		p, err := auth.GeneratePassword()
		require.NoError(t, err)
		require.Regexp(t, `^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$`, p, "readable: no 0/o, 1/l/i")
		require.GreaterOrEqual(t, len(p), 12)
		require.GreaterOrEqual(t, len(p), auth.MinPasswordLen)
		require.False(t, seen[p], "repeated %s", p)
		seen[p] = true
	}
	// Every character of the alphabet shows up: no bias toward a few.
	chars := map[rune]bool{}
	for p := range seen {
		for _, r := range strings.ReplaceAll(p, "-", "") {
			chars[r] = true
		}
	}
	require.Len(t, chars, 31)
}

func TestUserEmailNormalized(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"  Ana@Example.COM ":                 "ana@example.com",
		"juan.perez+reservas@cabanas.com.ar": "juan.perez+reservas@cabanas.com.ar",
	} {
		got, err := auth.NormalizeEmail(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got)
	}
	for _, in := range []string{"", "ana", "ana@", "@example.com", "Ana <ana@example.com>", "ana@example",
		"ana@example.com, otro@example.com", "ana @example.com"} {
		_, err := auth.NormalizeEmail(in)
		require.ErrorIs(t, err, auth.ErrInvalidEmail, in)
	}
}

func TestUserCreateRefusals(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	acc := dbtest.Account(t, pool)
	other := dbtest.Account(t, pool)
	u, err := auth.CreateUser(ctx, pool, auth.NewUser{AccountID: acc.ID, Email: " Ana@Example.com", Name: " Ana ",
		Password: "una-clave-larga", Role: "staff"})
	require.NoError(t, err)
	require.Equal(t, "ana@example.com", u.Email)
	require.Equal(t, "Ana", u.Name)

	_, err = auth.CreateUser(ctx, pool, auth.NewUser{AccountID: other.ID, Email: "ANA@example.com",
		Password: "una-clave-larga", Role: "owner"})
	require.ErrorIs(t, err, auth.ErrEmailTaken, "one login per email across accounts")
	_, err = auth.CreateUser(ctx, pool, auth.NewUser{AccountID: acc.ID, Email: "no-es-email",
		Password: "una-clave-larga", Role: "staff"})
	require.ErrorIs(t, err, auth.ErrInvalidEmail)
	require.Contains(t, err.Error(), "not an email address")
	_, err = auth.CreateUser(ctx, pool, auth.NewUser{AccountID: acc.ID, Email: "beto@example.com",
		Password: "una-clave-larga", Role: "admin"})
	require.ErrorIs(t, err, auth.ErrInvalidRole)
	_, err = auth.CreateUser(ctx, pool, auth.NewUser{AccountID: acc.ID, Email: "beto@example.com",
		Password: "corta", Role: "staff"})
	require.ErrorIs(t, err, auth.ErrWeakPassword)
}

var userSeq atomic.Int64

func newUser(t *testing.T, pool dbq.DBTX, accountID int64, role string) dbq.User {
	t.Helper()
	u, err := auth.CreateUser(context.Background(), pool, auth.NewUser{AccountID: accountID,
		Email: fmt.Sprintf("%s-%d@example.com", role, userSeq.Add(1)), Password: "una-clave-larga", Role: role})
	require.NoError(t, err)
	return u
}

func TestUserRoleChangesKeepAnOwner(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	acc := dbtest.Account(t, pool)
	owner := newUser(t, pool, acc.ID, "owner")
	staff := newUser(t, pool, acc.ID, "staff")
	stranger := newUser(t, pool, dbtest.Account(t, pool).ID, "staff")

	require.ErrorIs(t, auth.SetRole(ctx, pool, acc.ID, owner.ID, "staff"), auth.ErrLastOwner)
	require.ErrorIs(t, auth.RemoveUser(ctx, pool, acc.ID, owner.ID), auth.ErrLastOwner)
	require.ErrorIs(t, auth.SetRole(ctx, pool, acc.ID, staff.ID, "admin"), auth.ErrInvalidRole)
	require.ErrorIs(t, auth.SetRole(ctx, pool, acc.ID, stranger.ID, "owner"), auth.ErrNoUser, "another account's user")
	require.ErrorIs(t, auth.RemoveUser(ctx, pool, acc.ID, stranger.ID), auth.ErrNoUser)
	_, err := auth.LoadUser(ctx, pool, stranger.ID)
	require.NoError(t, err, "untouched")

	require.NoError(t, auth.SetRole(ctx, pool, acc.ID, staff.ID, "owner"))
	u, err := auth.LoadUser(ctx, pool, staff.ID)
	require.NoError(t, err)
	require.True(t, u.IsOwner())
	// Two owners now: either may step down, not both.
	require.NoError(t, auth.SetRole(ctx, pool, acc.ID, owner.ID, "staff"))
	require.ErrorIs(t, auth.RemoveUser(ctx, pool, acc.ID, staff.ID), auth.ErrLastOwner)
	require.NoError(t, auth.RemoveUser(ctx, pool, acc.ID, owner.ID))
	_, err = auth.LoadUser(ctx, pool, owner.ID)
	require.ErrorIs(t, err, auth.ErrNoUser)
	require.ErrorIs(t, auth.RemoveUser(ctx, pool, acc.ID, owner.ID), auth.ErrNoUser)
}

func TestUserOwnersDemotingEachOtherAtOnce(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	for round := 0; round < 5; round++ {
		acc := dbtest.Account(t, pool)
		a := newUser(t, pool, acc.ID, "owner")
		b := newUser(t, pool, acc.ID, "owner")
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, id := range []int64{a.ID, b.ID} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i == 0 {
					errs[i] = auth.SetRole(ctx, pool, acc.ID, id, "staff")
				} else {
					errs[i] = auth.RemoveUser(ctx, pool, acc.ID, id)
				}
			}()
		}
		wg.Wait()
		failed := 0
		for _, err := range errs {
			if err != nil {
				require.ErrorIs(t, err, auth.ErrLastOwner)
				failed++
			}
		}
		require.Equal(t, 1, failed, "exactly one of the two changes goes through")
		n, err := db.Q(pool).CountOwners(ctx, acc.ID)
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
	}
}

func TestPasswordChangeRevokesOlderSessions(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	acc := dbtest.Account(t, pool)
	u := newUser(t, pool, acc.ID, "staff")

	_, err := auth.ChangePassword(ctx, pool, u.ID, "no-es-la-clave", "otra-clave-larga")
	require.ErrorIs(t, err, auth.ErrWrongPassword)
	_, err = auth.ChangePassword(ctx, pool, u.ID, "una-clave-larga", "corta")
	require.ErrorIs(t, err, auth.ErrWeakPassword)
	loaded, err := auth.LoadUser(ctx, pool, u.ID)
	require.NoError(t, err)
	require.Equal(t, u.SessionVersion, loaded.SessionVersion, "refusals change nothing")

	ver, err := auth.ChangePassword(ctx, pool, u.ID, "una-clave-larga", "otra-clave-larga")
	require.NoError(t, err)
	require.Equal(t, u.SessionVersion+1, ver)
	_, ok, err := auth.Authenticate(ctx, pool, u.Email, "una-clave-larga")
	require.NoError(t, err)
	require.False(t, ok)
	_, ok, err = auth.Authenticate(ctx, pool, u.Email, "otra-clave-larga")
	require.NoError(t, err)
	require.True(t, ok)
}

func TestUserLoginRecorded(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	u := newUser(t, pool, dbtest.Account(t, pool).ID, "owner")
	require.Nil(t, u.LastLoginAt)
	at := time.Date(2027, 1, 15, 13, 4, 0, 0, time.UTC)
	require.NoError(t, auth.RecordLogin(ctx, pool, u.ID, at))
	row, err := db.Q(pool).GetUser(ctx, u.ID)
	require.NoError(t, err)
	require.NotNil(t, row.LastLoginAt)
	require.True(t, at.Equal(*row.LastLoginAt))
}
