package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
)

// clockAt returns a function that moves the clock to day n from today (as
// it is when clockAt is called) at hh:mm in Buenos Aires, where test
// accounts live.
func clockAt(e *bookingtest.Env) func(day, hh, mm int) {
	ba, _ := time.LoadLocation("America/Argentina/Buenos_Aires")
	today := e.Today()
	return func(day, hh, mm int) {
		d := today.AddDate(0, 0, day)
		e.Clock.Set(time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, ba))
	}
}

// The balance job reminds a confirmed stay's guest once, three days before
// its balance is due and from 10:00, and raises the owner's alert once the
// day after; paid and cancelled stays get neither, and a balance paid later
// closes its alert. Nothing is cancelled.
func TestSweepBalancesRemindsOnceAndAlertsOnce(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	localAt := clockAt(e)
	localAt(0, 12, 0)
	day0 := e.Today()
	p := e.Property(t)
	other := e.Property(t)
	_, err := e.Pool.Exec(ctx, `UPDATE properties SET balance_due_days = 5 WHERE id IN ($1, $2)`, p.ID, other.ID)
	require.NoError(t, err)
	confirm := func(r booking.Reservation) {
		_, err := e.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
		require.NoError(t, err)
	}
	owing := e.Hold(t, p.ID, day0.AddDate(0, 0, 10), day0.AddDate(0, 0, 12)) // due day 5
	confirm(owing)
	require.Equal(t, day0.AddDate(0, 0, 5), owing.BalanceDue())
	paid := e.Hold(t, p.ID, day0.AddDate(0, 0, 12), day0.AddDate(0, 0, 14))
	confirm(paid)
	_, err = e.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: paid.ID, AccountID: e.Account.ID,
		Amount: paid.Total, Method: "cash", Actor: "test"})
	require.NoError(t, err)
	cancelled := e.Hold(t, other.ID, day0.AddDate(0, 0, 10), day0.AddDate(0, 0, 12))
	confirm(cancelled)
	_, err = e.Booking.Transition(ctx, cancelled.ID, booking.ActionCancel, "test", "")
	require.NoError(t, err)
	pending := e.Hold(t, other.ID, day0.AddDate(0, 0, 20), day0.AddDate(0, 0, 22)) // a hold owes no balance yet

	sweep := func() booking.BalanceSweep {
		res, err := e.Booking.SweepBalances(ctx)
		require.NoError(t, err)
		return res
	}
	reminders := func(id int64) int {
		return dbtest.Count(t, e.Pool, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'balance_reminder'`, id)
	}
	require.Equal(t, booking.BalanceSweep{}, sweep(), "day 0: nothing due soon")
	localAt(1, 23, 0)
	require.Zero(t, sweep().Reminded, "four days before")
	localAt(2, 9, 59)
	require.Zero(t, sweep().Reminded, "three days before, but before 10:00")
	localAt(2, 10, 0)
	require.Equal(t, booking.BalanceSweep{Reminded: 1}, sweep())
	require.Equal(t, booking.BalanceSweep{}, sweep(), "the job ran twice: still one reminder")
	localAt(4, 11, 0)
	require.Equal(t, booking.BalanceSweep{}, sweep(), "later days: no second reminder")
	require.Equal(t, 1, reminders(owing.ID))
	for _, r := range []booking.Reservation{paid, cancelled, pending} {
		require.Zero(t, reminders(r.ID), r.Code)
	}

	localAt(5, 23, 59)
	require.Zero(t, sweep().Overdue, "due today is not overdue")
	localAt(6, 0, 1)
	require.Equal(t, booking.BalanceSweep{Overdue: 1}, sweep())
	localAt(7, 9, 0)
	require.Equal(t, booking.BalanceSweep{}, sweep(), "once per reservation")
	var kind, detail string
	var resID int64
	require.NoError(t, e.Pool.QueryRow(ctx, `SELECT kind, detail, reservation_id FROM conflicts WHERE resolved_at IS NULL`).
		Scan(&kind, &detail, &resID))
	require.Equal(t, "payment_balance_overdue", kind)
	require.Contains(t, detail, owing.Code)
	require.Equal(t, owing.ID, resID)
	got, err := e.Booking.Get(ctx, owing.Code)
	require.NoError(t, err)
	require.Equal(t, booking.StatusConfirmed, got.Status, "an overdue balance never cancels")

	_, err = e.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: owing.ID, AccountID: e.Account.ID,
		Amount: owing.Total, Method: "cash", Actor: "test"})
	require.NoError(t, err)
	require.Equal(t, booking.BalanceSweep{Resolved: 1}, sweep(), "the balance paid closes the alert")
	require.Zero(t, dbtest.Count(t, e.Pool, `SELECT count(*) FROM conflicts WHERE resolved_at IS NULL`))
	require.Equal(t, booking.BalanceSweep{}, sweep(), "and it is not raised again")
}

// A stay booked after its "N days before" date is due the day it was booked.
func TestBalanceDueNeverBeforeBooking(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	clockAt(e)(0, 12, 0)
	p := e.Property(t)
	_, err := e.Pool.Exec(context.Background(), `UPDATE properties SET balance_due_days = 30 WHERE id = $1`, p.ID)
	require.NoError(t, err)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))
	require.Equal(t, e.Day(0), r.BalanceDue())
}
