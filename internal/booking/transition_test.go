package booking_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// trHoldRequest asks for [checkIn, checkOut) as a direct guest would.
func trHoldRequest(propertyID int64, checkIn, checkOut time.Time) booking.HoldRequest {
	return booking.HoldRequest{
		PropertyID: propertyID, CheckIn: booking.FormatDate(checkIn), CheckOut: booking.FormatDate(checkOut),
		Guests: 2, GuestName: "Otra Huésped", GuestPhone: "+5491166667777", Channel: "direct", Actor: "test",
	}
}

// trOccupancy reads the occupancy row behind a reservation.
func trOccupancy(t *testing.T, s *webtest.Server, occupancyID int64) (active bool, released bool) {
	t.Helper()
	var releasedAt *time.Time
	err := s.Pool.QueryRow(context.Background(),
		"SELECT active, released_at FROM occupancy WHERE id = $1", occupancyID).Scan(&active, &releasedAt)
	require.NoError(t, err)
	return active, releasedAt != nil
}

// trAudit lists the audit actions of a reservation in order.
func trAudit(t *testing.T, s *webtest.Server, reservationID int64) []string {
	t.Helper()
	rows, err := s.Pool.Query(context.Background(),
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

// trCounter reads a counter's value.
func trCounter(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	require.NoError(t, c.Write(&m))
	return m.GetCounter().GetValue()
}

// trStatus reads the stored status through the service.
func trStatus(t *testing.T, s *webtest.Server, code string) booking.Status {
	t.Helper()
	r, err := s.Booking.Get(context.Background(), code)
	require.NoError(t, err)
	return r.Status
}

// trRequireTaken checks that the nights cannot be held by someone else.
func trRequireTaken(t *testing.T, s *webtest.Server, propertyID int64, ci, co time.Time) {
	t.Helper()
	_, err := s.Booking.PlaceHold(context.Background(), trHoldRequest(propertyID, ci, co))
	require.ErrorIs(t, err, booking.ErrDateOverlap)
}

// trRequireFree checks that the nights can be held again at once.
func trRequireFree(t *testing.T, s *webtest.Server, propertyID int64, ci, co time.Time) booking.Hold {
	t.Helper()
	h, err := s.Booking.PlaceHold(context.Background(), trHoldRequest(propertyID, ci, co))
	require.NoError(t, err)
	require.Equal(t, booking.StatusPreReserved, h.Reservation.Status)
	return h
}

func TestTransitionConfirmCheckInComplete(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	ci, co := s.Today().AddDate(0, 0, 10), s.Today().AddDate(0, 0, 13)
	r := s.Hold(t, p.ID, ci, co)
	require.Equal(t, booking.StatusPreReserved, r.Status)
	require.Equal(t, []string{"hold_created"}, trAudit(t, s, r.ID))

	got, err := s.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	require.Equal(t, booking.StatusConfirmed, got.Status)
	require.Equal(t, booking.StatusConfirmed, trStatus(t, s, r.Code))
	active, released := trOccupancy(t, s, r.OccupancyID)
	require.True(t, active, "confirm keeps the nights")
	require.False(t, released)
	trRequireTaken(t, s, p.ID, ci, co)
	require.Equal(t, 1.0, trCounter(t, s.Metrics.ReservationsConfirm))

	got, err = s.Booking.Transition(ctx, r.ID, booking.ActionCheckIn, "test", "")
	require.NoError(t, err)
	require.Equal(t, booking.StatusCheckedIn, got.Status)
	require.Equal(t, booking.StatusCheckedIn, trStatus(t, s, r.Code))
	active, _ = trOccupancy(t, s, r.OccupancyID)
	require.True(t, active, "check-in keeps the nights")
	trRequireTaken(t, s, p.ID, ci, co)

	got, err = s.Booking.Transition(ctx, r.ID, booking.ActionComplete, "test", "")
	require.NoError(t, err)
	require.Equal(t, booking.StatusCompleted, got.Status)
	require.Equal(t, booking.StatusCompleted, trStatus(t, s, r.Code))
	active, _ = trOccupancy(t, s, r.OccupancyID)
	require.True(t, active, "a completed stay still occupied its nights")

	require.Equal(t, []string{"hold_created", "confirm", "check_in", "complete"}, trAudit(t, s, r.ID))
}

func TestTransitionReleasesNights(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)

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
		ci := s.Today().AddDate(0, 0, 5+i*10)
		co := ci.AddDate(0, 0, 3)
		r := s.Hold(t, p.ID, ci, co)
		wantAudit := []string{"hold_created"}
		for _, a := range tc.setup {
			_, err := s.Booking.Transition(ctx, r.ID, a, "test", "")
			require.NoError(t, err, tc.name)
			wantAudit = append(wantAudit, string(a))
		}
		active, _ := trOccupancy(t, s, r.OccupancyID)
		require.True(t, active, tc.name)
		trRequireTaken(t, s, p.ID, ci, co)

		got, err := s.Booking.Transition(ctx, r.ID, tc.act, "test", "nota")
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, got.Status, tc.name)
		require.Equal(t, tc.want, trStatus(t, s, r.Code), tc.name)
		active, released := trOccupancy(t, s, r.OccupancyID)
		require.False(t, active, "%s releases the nights", tc.name)
		require.True(t, released, tc.name)
		wantAudit = append(wantAudit, string(tc.act))
		require.Equal(t, wantAudit, trAudit(t, s, r.ID), tc.name)

		// The same nights can be held again immediately, and even a partial overlap.
		trRequireFree(t, s, p.ID, ci, co)
	}
}

func TestTransitionIllegal(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)

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
		ci := s.Today().AddDate(0, 0, 3+i*4)
		co := ci.AddDate(0, 0, 2)
		r := s.Hold(t, p.ID, ci, co)
		for _, a := range tc.setup {
			_, err := s.Booking.Transition(ctx, r.ID, a, "test", "")
			require.NoError(t, err, name)
		}
		require.Equal(t, tc.from, trStatus(t, s, r.Code), name)
		activeBefore, _ := trOccupancy(t, s, r.OccupancyID)
		auditBefore := trAudit(t, s, r.ID)
		confirmedBefore := trCounter(t, s.Metrics.ReservationsConfirm)

		_, err := s.Booking.Transition(ctx, r.ID, tc.act, "test", "")
		var terr *booking.TransitionError
		require.True(t, errors.As(err, &terr), "%s: got %v", name, err)
		require.Equal(t, string(tc.act), terr.Action, name)
		require.Equal(t, tc.from, terr.From, name)

		require.Equal(t, tc.from, trStatus(t, s, r.Code), "%s changed the status", name)
		activeAfter, _ := trOccupancy(t, s, r.OccupancyID)
		require.Equal(t, activeBefore, activeAfter, "%s changed the nights", name)
		require.Equal(t, auditBefore, trAudit(t, s, r.ID), "%s wrote an audit entry", name)
		require.Equal(t, confirmedBefore, trCounter(t, s.Metrics.ReservationsConfirm), name)
	}
}

func TestTransitionUnknownReservation(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	for _, a := range []booking.Action{booking.ActionConfirm, booking.ActionCancel, booking.ActionCheckIn,
		booking.ActionComplete, booking.ActionNoShow} {
		_, err := s.Booking.Transition(context.Background(), 987654321, a, "test", "")
		require.ErrorIs(t, err, booking.ErrNotFound, string(a))
	}
	_, err := s.Booking.Get(context.Background(), "RES000101ABCDEF")
	require.ErrorIs(t, err, booking.ErrNotFound)
}

func TestConfirmExpiredHoldRetakesFreeNights(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	ci, co := s.Today().AddDate(0, 0, 20), s.Today().AddDate(0, 0, 22)
	r := s.Hold(t, p.ID, ci, co)

	s.Clock.Advance(31 * time.Minute)
	codes, err := s.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{r.Code}, codes)
	require.Equal(t, booking.StatusExpired, trStatus(t, s, r.Code))
	active, _ := trOccupancy(t, s, r.OccupancyID)
	require.False(t, active)

	// A late payment: the nights are still free, so the stay is confirmed and they are taken again.
	got, err := s.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "mercadopago", "pago tardío")
	require.NoError(t, err)
	require.Equal(t, booking.StatusConfirmed, got.Status)
	require.Equal(t, booking.StatusConfirmed, trStatus(t, s, r.Code))
	active, released := trOccupancy(t, s, r.OccupancyID)
	require.True(t, active)
	require.False(t, released)
	trRequireTaken(t, s, p.ID, ci, co)
	require.Equal(t, []string{"hold_created", "hold_expired", "confirm"}, trAudit(t, s, r.ID))
}

func TestConfirmExpiredHoldWhenNightsTaken(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	ci, co := s.Today().AddDate(0, 0, 20), s.Today().AddDate(0, 0, 23)
	r := s.Hold(t, p.ID, ci, co)

	s.Clock.Advance(31 * time.Minute)
	codes, err := s.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{r.Code}, codes)

	// Someone else takes one of those nights meanwhile.
	other := trRequireFree(t, s, p.ID, co.AddDate(0, 0, -1), co.AddDate(0, 0, 2))

	_, err = s.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "mercadopago", "pago tardío")
	require.ErrorIs(t, err, booking.ErrDateOverlap)
	require.Equal(t, booking.StatusExpired, trStatus(t, s, r.Code))
	active, released := trOccupancy(t, s, r.OccupancyID)
	require.False(t, active)
	require.True(t, released)
	require.Equal(t, []string{"hold_created", "hold_expired"}, trAudit(t, s, r.ID))
	require.Equal(t, booking.StatusPreReserved, trStatus(t, s, other.Reservation.Code))
	otherActive, _ := trOccupancy(t, s, other.Reservation.OccupancyID)
	require.True(t, otherActive)
	require.Equal(t, 0.0, trCounter(t, s.Metrics.ReservationsConfirm))
}

func TestExpireDueExactlyOnce(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	ci, co := s.Today().AddDate(0, 0, 7), s.Today().AddDate(0, 0, 9)
	r := s.Hold(t, p.ID, ci, co)

	s.Clock.Advance(29 * time.Minute)
	codes, err := s.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Empty(t, codes)
	require.Equal(t, booking.StatusPreReserved, trStatus(t, s, r.Code))
	trRequireTaken(t, s, p.ID, ci, co)

	s.Clock.Advance(2 * time.Minute)
	codes, err = s.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{r.Code}, codes)

	codes, err = s.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	require.Empty(t, codes, "a hold expires exactly once")

	require.Equal(t, booking.StatusExpired, trStatus(t, s, r.Code))
	active, released := trOccupancy(t, s, r.OccupancyID)
	require.False(t, active)
	require.True(t, released)
	require.Equal(t, []string{"hold_created", "hold_expired"}, trAudit(t, s, r.ID))
	trRequireFree(t, s, p.ID, ci, co)
}

func TestExpireHoldConcurrent(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	ci, co := s.Today().AddDate(0, 0, 4), s.Today().AddDate(0, 0, 6)
	r := s.Hold(t, p.ID, ci, co)

	s.Clock.Advance(31 * time.Minute)
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
			results[i], errs[i] = s.Booking.ExpireHold(ctx, r.ID)
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
	require.Equal(t, booking.StatusExpired, trStatus(t, s, r.Code))
	require.Equal(t, []string{"hold_created", "hold_expired"}, trAudit(t, s, r.ID))

	resp := s.Do(t, "GET", "/metrics", nil, nil)
	require.Equal(t, 200, resp.Status)
	var line string
	for _, l := range strings.Split(string(resp.Body), "\n") {
		if strings.HasPrefix(l, "reservations_expired_total ") {
			line = l
		}
	}
	require.Equal(t, "reservations_expired_total 1", line)
	trRequireFree(t, s, p.ID, ci, co)
}

func TestExpireHoldNotDueOrNotAHold(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 4), s.Today().AddDate(0, 0, 6))

	ok, err := s.Booking.ExpireHold(ctx, r.ID)
	require.NoError(t, err)
	require.False(t, ok, "a hold before its time is not expired")
	require.Equal(t, booking.StatusPreReserved, trStatus(t, s, r.Code))

	_, err = s.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	s.Clock.Advance(time.Hour)
	ok, err = s.Booking.ExpireHold(ctx, r.ID)
	require.NoError(t, err)
	require.False(t, ok, "a confirmed stay never expires")
	require.Equal(t, booking.StatusConfirmed, trStatus(t, s, r.Code))
	active, _ := trOccupancy(t, s, r.OccupancyID)
	require.True(t, active)
}

func TestExpireHoldScheduledJob(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{Workers: true, NoSweep: true})
	ctx := context.Background()
	p := s.Property(t)
	// The hold's expiry (clock + 30 min) lands about one real second ahead, which is when River runs its job.
	s.Clock.Set(time.Now().Add(-30*time.Minute + time.Second))
	ci, co := s.Today().AddDate(0, 0, 15), s.Today().AddDate(0, 0, 17)
	r := s.Hold(t, p.ID, ci, co)
	require.Equal(t, booking.StatusPreReserved, r.Status)
	s.Clock.Set(time.Now().Add(time.Hour))

	deadline := time.Now().Add(20 * time.Second)
	status := r.Status
	for time.Now().Before(deadline) {
		got, err := s.Booking.Get(ctx, r.Code)
		require.NoError(t, err)
		status = got.Status
		if status == booking.StatusExpired {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.Equal(t, booking.StatusExpired, status, "the scheduled River job did not expire the hold")

	expired := 0
	for _, a := range trAudit(t, s, r.ID) {
		if a == "hold_expired" {
			expired++
		}
	}
	require.Equal(t, 1, expired)
	active, _ := trOccupancy(t, s, r.OccupancyID)
	require.False(t, active)
}

func TestPruneIdempotencyKeysKeepsRecentOnes(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	now := s.Clock.Now()
	_, err := s.Pool.Exec(ctx, `INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES
		('prereserve', 'old', '\x00', $1), ('prereserve', 'new', '\x00', $2)`, now.Add(-25*time.Hour), now.Add(-time.Hour))
	require.NoError(t, err)
	w := &booking.PruneIdempotencyWorker{Service: s.Booking}
	require.NoError(t, w.Work(ctx, &river.Job[booking.PruneIdempotencyArgs]{}))
	var keys []string
	rows, err := s.Pool.Query(ctx, `SELECT key FROM idempotency_keys ORDER BY key`)
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
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	netOf := func(code string) *string {
		var n *string
		require.NoError(t, s.Pool.QueryRow(ctx, "SELECT client_net FROM reservations WHERE code = $1", code).Scan(&n))
		return n
	}
	hold := func(days int) booking.Reservation {
		req := trHoldRequest(p.ID, s.Today().AddDate(0, 0, days), s.Today().AddDate(0, 0, days+2))
		req.Actor, req.ClientNet = "api", "2001:db8:1:2::/64"
		h, err := s.Booking.PlaceHold(ctx, req)
		require.NoError(t, err)
		require.Equal(t, "2001:db8:1:2::/64", *netOf(h.Reservation.Code), "a live hold remembers its network")
		return h.Reservation
	}
	confirmed := hold(10)
	_, err := s.Booking.Transition(ctx, confirmed.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	require.Nil(t, netOf(confirmed.Code))

	expired := hold(20)
	s.Clock.Advance(2 * time.Hour)
	ok, err := s.Booking.ExpireHold(ctx, expired.ID)
	require.NoError(t, err)
	require.True(t, ok)
	require.Nil(t, netOf(expired.Code))
}
