package booking_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
	"alojamientos/internal/money"
)

func TestPaymentManualOnConfirmedReservation(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12)) // 20000, deposit 6000
	_, err := e.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	uid := dbtest.User(t, e.Pool, e.Account.ID, "staff").ID

	res, err := e.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: e.Account.ID,
		UserID: uid, Amount: 1234567, Method: "transfer", Note: " CBU 123 ", Actor: "user:1"})
	require.NoError(t, err)
	require.False(t, res.Confirmed)
	require.Equal(t, money.Money(1234567), res.Reservation.Paid)

	var provider, status, method, note, currency string
	var amount money.Money
	var createdBy int64
	require.NoError(t, e.Pool.QueryRow(ctx, `SELECT provider, status, method, note, currency, amount, created_by
		FROM payments WHERE reservation_id = $1`, r.ID).Scan(&provider, &status, &method, &note, &currency, &amount, &createdBy))
	require.Equal(t, []any{"manual", "approved", "transfer", "CBU 123", "ARS", money.Money(1234567), uid},
		[]any{provider, status, method, note, currency, amount, createdBy})
	require.Equal(t, []string{"hold_created", "confirm", booking.ActionPaymentAdd}, trAudit(t, e, r.ID))

	// The rest of the balance is fine; one cent more is not.
	_, err = e.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: e.Account.ID,
		Amount: money.FromUnits(20000) - 1234567 + 1, Method: "cash", Actor: "test"})
	var verr *booking.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields, "amount")
	res, err = e.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: e.Account.ID,
		Amount: money.FromUnits(20000) - 1234567, Method: "cash", Actor: "test"})
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(20000), res.Reservation.Paid)
}

func TestPaymentCoveringTheDepositConfirmsTheHold(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12)) // deposit 6000

	res, err := e.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: e.Account.ID,
		Amount: money.FromUnits(5000), Method: "cash", Actor: "test"})
	require.NoError(t, err)
	require.False(t, res.Confirmed, "below the deposit the hold stays a hold")
	require.Equal(t, booking.StatusPreReserved, trStatus(t, e, r.Code))

	res, err = e.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: e.Account.ID,
		Amount: money.FromUnits(1000), Method: "transfer", Actor: "test"})
	require.NoError(t, err)
	require.True(t, res.Confirmed)
	require.Equal(t, booking.StatusConfirmed, res.Reservation.Status)
	require.Equal(t, money.FromUnits(6000), res.Reservation.Paid)
	require.Equal(t, []string{"hold_created", booking.ActionPaymentAdd, booking.ActionPaymentAdd, "confirm"}, trAudit(t, e, r.ID))
	var note string
	require.NoError(t, e.Pool.QueryRow(ctx, "SELECT detail->>'note' FROM audit_log WHERE reservation_id = $1 AND action = 'confirm'",
		r.ID).Scan(&note))
	require.Contains(t, note, "Seña cubierta")
}

func TestPaymentOnExpiredHoldWhoseNightsWereTaken(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))
	e.Clock.Advance(31 * time.Minute)
	_, err := e.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Equal(t, booking.StatusExpired, trStatus(t, e, r.Code))
	trRequireFree(t, e, p.ID, e.Day(10), e.Day(12))

	res, err := e.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: e.Account.ID,
		Amount: money.FromUnits(6000), Method: "transfer", Actor: "test"})
	require.NoError(t, err, "the money is recorded")
	require.False(t, res.Confirmed)
	require.True(t, res.NightsTaken)
	require.Equal(t, booking.StatusExpired, trStatus(t, e, r.Code))
	stored, err := e.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(6000), stored.Paid)
}

func TestPaymentRefusals(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))
	otherAccount := dbtest.Account(t, e.Pool).ID
	add := func(accountID int64, amount money.Money, method string) error {
		_, err := e.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: accountID,
			Amount: amount, Method: method, Actor: "test"})
		return err
	}
	fields := func(err error) map[string]string {
		t.Helper()
		var verr *booking.ValidationError
		require.True(t, errors.As(err, &verr), "%v", err)
		return verr.Fields
	}
	require.Contains(t, fields(add(e.Account.ID, 0, "cash")), "amount")
	require.Contains(t, fields(add(e.Account.ID, -100, "cash")), "amount")
	require.Contains(t, fields(add(e.Account.ID, 100, "bitcoin")), "method")
	require.ErrorIs(t, add(otherAccount, 100, "cash"), booking.ErrNotFound)

	_, err := e.Booking.Transition(ctx, r.ID, booking.ActionCancel, "test", "")
	require.NoError(t, err)
	var terr *booking.TransitionError
	require.ErrorAs(t, add(e.Account.ID, 100, "cash"), &terr)

	require.Zero(t, dbtest.Count(t, e.Pool, "SELECT count(*) FROM payments"))
	stored, err := e.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Zero(t, stored.Paid)
}
