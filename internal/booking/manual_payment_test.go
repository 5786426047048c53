package booking_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// mpUser creates a dashboard user and returns its id.
func mpUser(t *testing.T, s *webtest.Server) int64 {
	t.Helper()
	email, _ := s.User(t, "staff")
	var id int64
	require.NoError(t, s.Pool.QueryRow(context.Background(), "SELECT id FROM users WHERE email = $1", email).Scan(&id))
	return id
}

func TestPaymentManualOnConfirmedReservation(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	r := s.Hold(t, p.ID, csDays(s, 10), csDays(s, 12)) // 20000, deposit 6000
	_, err := s.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	uid := mpUser(t, s)

	res, err := s.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: s.Account.ID,
		UserID: uid, Amount: 1234567, Method: "transfer", Note: " CBU 123 ", Actor: "user:1"})
	require.NoError(t, err)
	require.False(t, res.Confirmed)
	require.Equal(t, money.Money(1234567), res.Reservation.Paid)

	var provider, status, method, note, currency string
	var amount money.Money
	var createdBy int64
	require.NoError(t, s.Pool.QueryRow(ctx, `SELECT provider, status, method, note, currency, amount, created_by
		FROM payments WHERE reservation_id = $1`, r.ID).Scan(&provider, &status, &method, &note, &currency, &amount, &createdBy))
	require.Equal(t, []any{"manual", "approved", "transfer", "CBU 123", "ARS", money.Money(1234567), uid},
		[]any{provider, status, method, note, currency, amount, createdBy})
	require.Equal(t, []string{"hold_created", "confirm", booking.ActionPaymentAdd}, trAudit(t, s, r.ID))

	// The rest of the balance is fine; one cent more is not.
	_, err = s.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: s.Account.ID,
		Amount: money.FromUnits(20000) - 1234567 + 1, Method: "cash", Actor: "test"})
	var verr *booking.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields, "amount")
	res, err = s.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: s.Account.ID,
		Amount: money.FromUnits(20000) - 1234567, Method: "cash", Actor: "test"})
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(20000), res.Reservation.Paid)
}

func TestPaymentCoveringTheDepositConfirmsTheHold(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	r := s.Hold(t, p.ID, csDays(s, 10), csDays(s, 12)) // deposit 6000

	res, err := s.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: s.Account.ID,
		Amount: money.FromUnits(5000), Method: "cash", Actor: "test"})
	require.NoError(t, err)
	require.False(t, res.Confirmed, "below the deposit the hold stays a hold")
	require.Equal(t, booking.StatusPreReserved, trStatus(t, s, r.Code))

	res, err = s.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: s.Account.ID,
		Amount: money.FromUnits(1000), Method: "transfer", Actor: "test"})
	require.NoError(t, err)
	require.True(t, res.Confirmed)
	require.Equal(t, booking.StatusConfirmed, res.Reservation.Status)
	require.Equal(t, money.FromUnits(6000), res.Reservation.Paid)
	require.Equal(t, []string{"hold_created", booking.ActionPaymentAdd, booking.ActionPaymentAdd, "confirm"}, trAudit(t, s, r.ID))
	var note string
	require.NoError(t, s.Pool.QueryRow(ctx, "SELECT detail->>'note' FROM audit_log WHERE reservation_id = $1 AND action = 'confirm'",
		r.ID).Scan(&note))
	require.Contains(t, note, "Seña cubierta")
}

func TestPaymentOnExpiredHoldWhoseNightsWereTaken(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	r := s.Hold(t, p.ID, csDays(s, 10), csDays(s, 12))
	s.Clock.Advance(31 * time.Minute)
	_, err := s.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Equal(t, booking.StatusExpired, trStatus(t, s, r.Code))
	trRequireFree(t, s, p.ID, csDays(s, 10), csDays(s, 12))

	res, err := s.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: s.Account.ID,
		Amount: money.FromUnits(6000), Method: "transfer", Actor: "test"})
	require.NoError(t, err, "the money is recorded")
	require.False(t, res.Confirmed)
	require.True(t, res.NightsTaken)
	require.Equal(t, booking.StatusExpired, trStatus(t, s, r.Code))
	stored, err := s.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(6000), stored.Paid)
}

func TestPaymentRefusals(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	r := s.Hold(t, p.ID, csDays(s, 10), csDays(s, 12))
	otherAccount, _, _ := s.OtherAccount(t)
	add := func(accountID int64, amount money.Money, method string) error {
		_, err := s.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: accountID,
			Amount: amount, Method: method, Actor: "test"})
		return err
	}
	fields := func(err error) map[string]string {
		t.Helper()
		var verr *booking.ValidationError
		require.True(t, errors.As(err, &verr), "%v", err)
		return verr.Fields
	}
	require.Contains(t, fields(add(s.Account.ID, 0, "cash")), "amount")
	require.Contains(t, fields(add(s.Account.ID, -100, "cash")), "amount")
	require.Contains(t, fields(add(s.Account.ID, 100, "bitcoin")), "method")
	require.ErrorIs(t, add(otherAccount, 100, "cash"), booking.ErrNotFound)

	_, err := s.Booking.Transition(ctx, r.ID, booking.ActionCancel, "test", "")
	require.NoError(t, err)
	var terr *booking.TransitionError
	require.ErrorAs(t, add(s.Account.ID, 100, "cash"), &terr)

	var n int
	require.NoError(t, s.Pool.QueryRow(ctx, "SELECT count(*) FROM payments").Scan(&n))
	require.Zero(t, n)
	stored, err := s.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Zero(t, stored.Paid)
}
