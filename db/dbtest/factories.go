package dbtest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

var seq atomic.Int64

// Account creates an account in Buenos Aires time, ARS.
func Account(t testing.TB, db dbq.DBTX) dbq.Account {
	t.Helper()
	n := seq.Add(1)
	acc, err := dbq.New(db).CreateAccount(context.Background(), dbq.CreateAccountParams{
		Slug: fmt.Sprintf("cuenta-%d", n), Name: fmt.Sprintf("Cuenta %d", n),
		Timezone: "America/Argentina/Buenos_Aires", Currency: "ARS",
	})
	if err != nil {
		t.Fatalf("dbtest: account: %v", err)
	}
	return acc
}

// PropertyOpt changes the defaults of Property.
type PropertyOpt func(*dbq.CreatePropertyParams)

// Property creates an active property: capacity 4 (2 included), 10000.00 a
// night, no weekend price, no fees, deposit 30 %, 1 night minimum, 30-minute holds.
func Property(t testing.TB, db dbq.DBTX, accountID int64, opts ...PropertyOpt) dbq.Property {
	t.Helper()
	n := seq.Add(1)
	p := dbq.CreatePropertyParams{
		AccountID: accountID, Slug: fmt.Sprintf("propiedad-%d", n), Name: fmt.Sprintf("Cabaña %d", n), Kind: "cabin",
		Capacity: 4, IncludedGuests: 2, BasePrice: money.FromUnits(10000), WeekendNights: []int16{5, 6},
		CheckInTime: "14:00", CheckOutTime: "10:00", DepositPercent: 30, MinNights: 1, HoldMinutes: 30, Active: true,
	}
	for _, o := range opts {
		o(&p)
	}
	prop, err := dbq.New(db).CreateProperty(context.Background(), p)
	if err != nil {
		t.Fatalf("dbtest: property: %v", err)
	}
	return prop
}

// Priced sets the property's currency (ISO 4217); by default it is the account's.
func Priced(currency string) PropertyOpt {
	return func(p *dbq.CreatePropertyParams) { p.Currency = currency }
}

// User creates a dashboard user of the account with role "owner" or "staff".
// Its password hash is not a valid hash: it cannot log in (web tests use
// webtest's Server.User for that); it is for rows that reference a user.
func User(t testing.TB, db dbq.DBTX, accountID int64, role string) dbq.User {
	t.Helper()
	n := seq.Add(1)
	u, err := dbq.New(db).CreateUser(context.Background(), dbq.CreateUserParams{AccountID: accountID,
		Email: fmt.Sprintf("usuario-%d@example.com", n), Name: fmt.Sprintf("Usuario %d", n),
		PasswordHash: "!not-a-hash", Role: role})
	if err != nil {
		t.Fatalf("dbtest: user: %v", err)
	}
	return u
}
