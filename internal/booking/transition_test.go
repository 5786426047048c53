package booking_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
)

// trHoldRequest asks for [checkIn, checkOut) as a direct guest would.
func trHoldRequest(propertyID int64, checkIn, checkOut time.Time) booking.HoldRequest {
	return booking.HoldRequest{
		PropertyID: propertyID, CheckIn: booking.FormatDate(checkIn), CheckOut: booking.FormatDate(checkOut),
		Guests: 2, GuestName: "Otra Huésped", GuestPhone: "+5491166667777", Channel: "direct", Actor: "test",
	}
}

// trOccupancy reads the occupancy row behind a reservation.
func trOccupancy(t *testing.T, e *bookingtest.Env, occupancyID int64) (active bool, released bool) {
	t.Helper()
	var releasedAt *time.Time
	err := e.Pool.QueryRow(context.Background(),
		"SELECT active, released_at FROM occupancy WHERE id = $1", occupancyID).Scan(&active, &releasedAt)
	require.NoError(t, err)
	return active, releasedAt != nil
}

// trAudit lists the audit actions of a reservation in order.
func trAudit(t *testing.T, e *bookingtest.Env, reservationID int64) []string {
	t.Helper()
	rows, err := e.Pool.Query(context.Background(),
		"SELECT action FROM audit_log WHERE reservation_id = $1 ORDER BY id", reservationID)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		require.NoError(t, rows.Scan(&a))
		out = append(out, a)
	}
	require.NoError(t, rows.Err())
	return out
}

// trStatus reads the stored status through the service.
func trStatus(t *testing.T, e *bookingtest.Env, code string) booking.Status {
	t.Helper()
	r, err := e.Booking.Get(context.Background(), code)
	require.NoError(t, err)
	return r.Status
}

// trRequireTaken checks that the nights cannot be held by someone else.
func trRequireTaken(t *testing.T, e *bookingtest.Env, propertyID int64, ci, co time.Time) {
	t.Helper()
	_, err := e.Booking.PlaceHold(context.Background(), trHoldRequest(propertyID, ci, co))
	require.ErrorIs(t, err, booking.ErrDateOverlap)
}

// trRequireFree checks that the nights can be held again at once.
func trRequireFree(t *testing.T, e *bookingtest.Env, propertyID int64, ci, co time.Time) booking.Hold {
	t.Helper()
	h, err := e.Booking.PlaceHold(context.Background(), trHoldRequest(propertyID, ci, co))
	require.NoError(t, err)
	require.Equal(t, booking.StatusPreReserved, h.Reservation.Status)
	return h
}

func TestTransitionConfirmCheckInComplete(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	ci, co := e.Today().AddDate(0, 0, 10), e.Today().AddDate(0, 0, 13)
	r := e.Hold(t, p.ID, ci, co)
	require.Equal(t, booking.StatusPreReserved, r.Status)
	require.Equal(t, []string{"hold_created"}, trAudit(t, e, r.ID))

	got, err := e.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	require.Equal(t, booking.StatusConfirmed, got.Status)
	require.Equal(t, booking.StatusConfirmed, trStatus(t, e, r.Code))
	active, released := trOccupancy(t, e, r.OccupancyID)
	require.True(t, active, "confirm keeps the nights")
	require.False(t, released)
	trRequireTaken(t, e, p.ID, ci, co)
	require.Equal(t, 1.0, bookingtest.Counter(t, e.Metrics.ReservationsConfirm))

	got, err = e.Booking.Transition(ctx, r.ID, booking.ActionCheckIn, "test", "")
	require.NoError(t, err)
	require.Equal(t, booking.StatusCheckedIn, got.Status)
	require.Equal(t, booking.StatusCheckedIn, trStatus(t, e, r.Code))
	active, _ = trOccupancy(t, e, r.OccupancyID)
	require.True(t, active, "check-in keeps the nights")
	trRequireTaken(t, e, p.ID, ci, co)

	got, err = e.Booking.Transition(ctx, r.ID, booking.ActionComplete, "test", "")
	require.NoError(t, err)
	require.Equal(t, booking.StatusCompleted, got.Status)
	require.Equal(t, booking.StatusCompleted, trStatus(t, e, r.Code))
	active, _ = trOccupancy(t, e, r.OccupancyID)
	require.True(t, active, "a completed stay still occupied its nights")

	require.Equal(t, []string{"hold_created", "confirm", "check_in", "complete"}, trAudit(t, e, r.ID))
}

func TestTransitionReleasesNights(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)

	cases := []struct {
		name  string
		setup []booking.Action
		act   booking.Action
		want  booking.Status
	}{
		{"cancel a hold", nil, booking.ActionCancel, booking.StatusCancelled},
		{"cancel a confirmed stay", []booking.Action{booking.ActionConfirm}, booking.ActionCancel, booking.StatusCancelled},
		{"no-show of a confirmed stay", []booking.Action{booking.ActionConfirm}, booking.ActionNoShow, booking.StatusNoShow},
	}
	for i, tc := range cases {
		ci := e.Today().AddDate(0, 0, 5+i*10)
		co := ci.AddDate(0, 0, 3)
		r := e.Hold(t, p.ID, ci, co)
		wantAudit := []string{"hold_created"}
		for _, a := range tc.setup {
			_, err := e.Booking.Transition(ctx, r.ID, a, "test", "")
			require.NoError(t, err, tc.name)
			wantAudit = append(wantAudit, string(a))
		}
		active, _ := trOccupancy(t, e, r.OccupancyID)
		require.True(t, active, tc.name)
		trRequireTaken(t, e, p.ID, ci, co)

		got, err := e.Booking.Transition(ctx, r.ID, tc.act, "test", "nota")
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, got.Status, tc.name)
		require.Equal(t, tc.want, trStatus(t, e, r.Code), tc.name)
		active, released := trOccupancy(t, e, r.OccupancyID)
		require.False(t, active, "%s releases the nights", tc.name)
		require.True(t, released, tc.name)
		wantAudit = append(wantAudit, string(tc.act))
		require.Equal(t, wantAudit, trAudit(t, e, r.ID), tc.name)

		// The same nights can be held again immediately, and even a partial overlap.
		trRequireFree(t, e, p.ID, ci, co)
	}
}

func TestTransitionIllegal(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)

	cases := []struct {
		setup []booking.Action
		act   booking.Action
		from  booking.Status
	}{
		{nil, booking.ActionCheckIn, booking.StatusPreReserved},
		{nil, booking.ActionComplete, booking.StatusPreReserved},
		{nil, booking.ActionNoShow, booking.StatusPreReserved},
		{[]booking.Action{booking.ActionConfirm}, booking.ActionComplete, booking.StatusConfirmed},
		{[]booking.Action{booking.ActionConfirm}, booking.ActionConfirm, booking.StatusConfirmed},
		{[]booking.Action{booking.ActionCancel}, booking.ActionConfirm, booking.StatusCancelled},
		{[]booking.Action{booking.ActionCancel}, booking.ActionCancel, booking.StatusCancelled},
		{[]booking.Action{booking.ActionCancel}, booking.ActionCheckIn, booking.StatusCancelled},
		{[]booking.Action{booking.ActionConfirm, booking.ActionCheckIn}, booking.ActionCancel, booking.StatusCheckedIn},
		{[]booking.Action{booking.ActionConfirm, booking.ActionCheckIn}, booking.ActionNoShow, booking.StatusCheckedIn},
		{[]booking.Action{booking.ActionConfirm, booking.ActionCheckIn, booking.ActionComplete}, booking.ActionCancel, booking.StatusCompleted},
		{[]booking.Action{booking.ActionConfirm, booking.ActionCheckIn, booking.ActionComplete}, booking.ActionCheckIn, booking.StatusCompleted},
		{[]booking.Action{booking.ActionConfirm, booking.ActionNoShow}, booking.ActionConfirm, booking.StatusNoShow},
		{[]booking.Action{booking.ActionConfirm, booking.ActionNoShow}, booking.ActionCancel, booking.StatusNoShow},
	}
	for i, tc := range cases {
		name := fmt.Sprintf("%s a reservation that is %s", tc.act, tc.from)
		ci := e.Today().AddDate(0, 0, 3+i*4)
		co := ci.AddDate(0, 0, 2)
		r := e.Hold(t, p.ID, ci, co)
		for _, a := range tc.setup {
			_, err := e.Booking.Transition(ctx, r.ID, a, "test", "")
			require.NoError(t, err, name)
		}
		require.Equal(t, tc.from, trStatus(t, e, r.Code), name)
		activeBefore, _ := trOccupancy(t, e, r.OccupancyID)
		auditBefore := trAudit(t, e, r.ID)
		confirmedBefore := bookingtest.Counter(t, e.Metrics.ReservationsConfirm)

		_, err := e.Booking.Transition(ctx, r.ID, tc.act, "test", "")
		var terr *booking.TransitionError
		require.True(t, errors.As(err, &terr), "%s: got %v", name, err)
		require.Equal(t, string(tc.act), terr.Action, name)
		require.Equal(t, tc.from, terr.From, name)

		require.Equal(t, tc.from, trStatus(t, e, r.Code), "%s changed the status", name)
		activeAfter, _ := trOccupancy(t, e, r.OccupancyID)
		require.Equal(t, activeBefore, activeAfter, "%s changed the nights", name)
		require.Equal(t, auditBefore, trAudit(t, e, r.ID), "%s wrote an audit entry", name)
		require.Equal(t, confirmedBefore, bookingtest.Counter(t, e.Metrics.ReservationsConfirm), name)
	}
}

func TestTransitionUnknownReservation(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	for _, a := range []booking.Action{booking.ActionConfirm, booking.ActionCancel, booking.ActionCheckIn,
		booking.ActionComplete, booking.ActionNoShow} {
		_, err := e.Booking.Transition(context.Background(), 987654321, a, "test", "")
		require.ErrorIs(t, err, booking.ErrNotFound, string(a))
	}
	_, err := e.Booking.Get(context.Background(), "RES000101ABCDEF")
	require.ErrorIs(t, err, booking.ErrNotFound)
}

func TestConfirmExpiredHoldRetakesFreeNights(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	ci, co := e.Today().AddDate(0, 0, 20), e.Today().AddDate(0, 0, 22)
	r := e.Hold(t, p.ID, ci, co)

	e.Clock.Advance(31 * time.Minute)
	codes, err := e.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{r.Code}, codes)
	require.Equal(t, booking.StatusExpired, trStatus(t, e, r.Code))
	active, _ := trOccupancy(t, e, r.OccupancyID)
	require.False(t, active)

	// A late payment: the nights are still free, so the stay is confirmed and they are taken again.
	got, err := e.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "mercadopago", "pago tardío")
	require.NoError(t, err)
	require.Equal(t, booking.StatusConfirmed, got.Status)
	require.Equal(t, booking.StatusConfirmed, trStatus(t, e, r.Code))
	active, released := trOccupancy(t, e, r.OccupancyID)
	require.True(t, active)
	require.False(t, released)
	trRequireTaken(t, e, p.ID, ci, co)
	require.Equal(t, []string{"hold_created", "hold_expired", "confirm"}, trAudit(t, e, r.ID))
}

func TestConfirmExpiredHoldWhenNightsTaken(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	ci, co := e.Today().AddDate(0, 0, 20), e.Today().AddDate(0, 0, 23)
	r := e.Hold(t, p.ID, ci, co)

	e.Clock.Advance(31 * time.Minute)
	codes, err := e.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{r.Code}, codes)

	// Someone else takes one of those nights meanwhile.
	other := trRequireFree(t, e, p.ID, co.AddDate(0, 0, -1), co.AddDate(0, 0, 2))

	_, err = e.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "mercadopago", "pago tardío")
	require.ErrorIs(t, err, booking.ErrDateOverlap)
	require.Equal(t, booking.StatusExpired, trStatus(t, e, r.Code))
	active, released := trOccupancy(t, e, r.OccupancyID)
	require.False(t, active)
	require.True(t, released)
	require.Equal(t, []string{"hold_created", "hold_expired"}, trAudit(t, e, r.ID))
	require.Equal(t, booking.StatusPreReserved, trStatus(t, e, other.Reservation.Code))
	otherActive, _ := trOccupancy(t, e, other.Reservation.OccupancyID)
	require.True(t, otherActive)
	require.Equal(t, 0.0, bookingtest.Counter(t, e.Metrics.ReservationsConfirm))
}

func TestExpireDueExactlyOnce(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	ci, co := e.Today().AddDate(0, 0, 7), e.Today().AddDate(0, 0, 9)
	r := e.Hold(t, p.ID, ci, co)

	e.Clock.Advance(29 * time.Minute)
	codes, err := e.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Empty(t, codes)
	require.Equal(t, booking.StatusPreReserved, trStatus(t, e, r.Code))
	trRequireTaken(t, e, p.ID, ci, co)

	e.Clock.Advance(2 * time.Minute)
	codes, err = e.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{r.Code}, codes)

	codes, err = e.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Empty(t, codes, "a hold expires exactly once")

	require.Equal(t, booking.StatusExpired, trStatus(t, e, r.Code))
	active, released := trOccupancy(t, e, r.OccupancyID)
	require.False(t, active)
	require.True(t, released)
	require.Equal(t, []string{"hold_created", "hold_expired"}, trAudit(t, e, r.ID))
	trRequireFree(t, e, p.ID, ci, co)
}

func TestExpireHoldConcurrent(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	ci, co := e.Today().AddDate(0, 0, 4), e.Today().AddDate(0, 0, 6)
	r := e.Hold(t, p.ID, ci, co)

	e.Clock.Advance(31 * time.Minute)
	const n = 10
	var wg sync.WaitGroup
	results := make([]bool, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = e.Booking.ExpireHold(ctx, r.ID)
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for i := 0; i < n; i++ {
		require.NoError(t, errs[i])
		if results[i] {
			won++
		}
	}
	require.Equal(t, 1, won, "exactly one ExpireHold reports the expiry")
	require.Equal(t, booking.StatusExpired, trStatus(t, e, r.Code))
	require.Equal(t, []string{"hold_created", "hold_expired"}, trAudit(t, e, r.ID))

	require.Equal(t, 1.0, bookingtest.Counter(t, e.Metrics.ReservationsExpired), "the expiry is counted once")
	trRequireFree(t, e, p.ID, ci, co)
}

func TestExpireHoldNotDueOrNotAHold(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Today().AddDate(0, 0, 4), e.Today().AddDate(0, 0, 6))

	ok, err := e.Booking.ExpireHold(ctx, r.ID)
	require.NoError(t, err)
	require.False(t, ok, "a hold before its time is not expired")
	require.Equal(t, booking.StatusPreReserved, trStatus(t, e, r.Code))

	_, err = e.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	e.Clock.Advance(time.Hour)
	ok, err = e.Booking.ExpireHold(ctx, r.ID)
	require.NoError(t, err)
	require.False(t, ok, "a confirmed stay never expires")
	require.Equal(t, booking.StatusConfirmed, trStatus(t, e, r.Code))
	active, _ := trOccupancy(t, e, r.OccupancyID)
	require.True(t, active)
}

func TestExpireHoldScheduledJob(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	// River runs only the booking's jobs, with no periodic sweep: the job
	// scheduled with the hold is what must expire it.
	workers := river.NewWorkers()
	booking.AddWorkers(workers, e.Booking)
	jobs, err := river.NewClient(riverpgxv5.New(e.Pool), &river.Config{
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}}, Workers: workers,
		FetchPollInterval: 50 * time.Millisecond, FetchCooldown: 10 * time.Millisecond, Logger: e.Booking.Log,
	})
	require.NoError(t, err)
	require.NoError(t, jobs.Start(ctx))
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = jobs.Stop(sctx)
	})
	p := e.Property(t)
	// The hold's expiry (clock + 30 min) lands about one real second ahead, which is when River runs its job.
	e.Clock.Set(time.Now().Add(-30*time.Minute + time.Second))
	ci, co := e.Day(15), e.Day(17)
	r := e.Hold(t, p.ID, ci, co)
	require.Equal(t, booking.StatusPreReserved, r.Status)
	e.Clock.Set(time.Now().Add(time.Hour))

	dbtest.Eventually(t, "the scheduled River job to expire the hold", func() bool {
		return trStatus(t, e, r.Code) == booking.StatusExpired
	})
	require.Equal(t, 1, dbtest.Count(t, e.Pool,
		"SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'hold_expired'", r.ID))
	active, _ := trOccupancy(t, e, r.OccupancyID)
	require.False(t, active)
}

func TestPruneIdempotencyKeysKeepsRecentOnes(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	now := e.Clock.Now()
	_, err := e.Pool.Exec(ctx, `INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES
		('prereserve', 'old', '\x00', $1), ('prereserve', 'new', '\x00', $2)`, now.Add(-25*time.Hour), now.Add(-time.Hour))
	require.NoError(t, err)
	w := &booking.PruneIdempotencyWorker{Service: e.Booking}
	require.NoError(t, w.Work(ctx, &river.Job[booking.PruneIdempotencyArgs]{}))
	var keys []string
	rows, err := e.Pool.Query(ctx, `SELECT key FROM idempotency_keys ORDER BY key`)
	require.NoError(t, err)
	keys, err = pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{"new"}, keys)
}

// The client network of an anonymous hold is kept only while the hold is
// live: it counts against the network's cap, then it is personal data we
// have no use for.
func TestClientNetForgottenWhenTheHoldEnds(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	netOf := func(code string) *string {
		var n *string
		require.NoError(t, e.Pool.QueryRow(ctx, "SELECT client_net FROM reservations WHERE code = $1", code).Scan(&n))
		return n
	}
	hold := func(days int) booking.Reservation {
		req := trHoldRequest(p.ID, e.Today().AddDate(0, 0, days), e.Today().AddDate(0, 0, days+2))
		req.Actor, req.ClientNet = "api", "2001:db8:1:2::/64"
		h, err := e.Booking.PlaceHold(ctx, req)
		require.NoError(t, err)
		require.Equal(t, "2001:db8:1:2::/64", *netOf(h.Reservation.Code), "a live hold remembers its network")
		return h.Reservation
	}
	confirmed := hold(10)
	_, err := e.Booking.Transition(ctx, confirmed.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	require.Nil(t, netOf(confirmed.Code))

	expired := hold(20)
	e.Clock.Advance(2 * time.Hour)
	ok, err := e.Booking.ExpireHold(ctx, expired.ID)
	require.NoError(t, err)
	require.True(t, ok)
	require.Nil(t, netOf(expired.Code))
}
