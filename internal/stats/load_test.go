package stats_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
	"alojamientos/internal/money"
	"alojamientos/internal/stats"
)

// stay holds [in, out) on property p through the booking core and moves it
// along actions.
func stay(t *testing.T, e *bookingtest.Env, p int64, in, out time.Time, channel string, actions ...booking.Action) booking.Reservation {
	t.Helper()
	h, err := e.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: p,
		CheckIn: booking.FormatDate(in), CheckOut: booking.FormatDate(out), Guests: 2, GuestName: "Ana Gómez",
		GuestPhone: "+5491155550000", Channel: channel, Actor: "test"})
	require.NoError(t, err)
	r := h.Reservation
	for _, a := range actions {
		r, err = e.Booking.Transition(context.Background(), r.ID, a, "test", "")
		require.NoError(t, err)
	}
	return r
}

func block(t *testing.T, e *bookingtest.Env, p int64, from, to time.Time) int64 {
	t.Helper()
	var id int64
	require.NoError(t, e.Pool.QueryRow(context.Background(),
		`INSERT INTO occupancy (property_id, nights, kind) VALUES ($1, daterange($2, $3), 'block') RETURNING id`,
		p, from, to).Scan(&id))
	return id
}

// at sets the server clock to noon of d in Buenos Aires.
func at(e *bookingtest.Env, d time.Time) {
	e.Clock.Set(time.Date(d.Year(), d.Month(), d.Day(), 15, 0, 0, 0, time.UTC))
}

func TestStatsLoadSplitsStaysAndBlocksByMonth(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	weekend := money.FromUnits(15000)
	a := e.Property(t, func(p *dbq.CreatePropertyParams) {
		p.Name, p.WeekendPrice, p.CleaningFee = "A", &weekend, money.FromUnits(5000)
	})
	b := e.Property(t, func(p *dbq.CreatePropertyParams) { p.Name = "B" })
	c := e.Property(t, func(p *dbq.CreatePropertyParams) { p.Name = "C" })

	// Before the window: a stay from Dec 30 to Jan 2 leaves Jan 1 in January,
	// and its cleaning fee in December, outside.
	at(e, day(2029, time.December, 20))
	stay(t, e, a.ID, day(2029, time.December, 30), day(2030, time.January, 2), "direct", booking.ActionConfirm)

	at(e, day(2030, time.January, 10))
	// Wed Jan 30 to Sun Feb 3, 2030: two weekday nights in January (10000
	// each, plus the 5000 cleaning fee), Friday and Saturday in February (15000 each).
	stay(t, e, a.ID, day(2030, time.January, 30), day(2030, time.February, 3), "airbnb", booking.ActionConfirm)
	// A completed stay counts; a hold, a cancelled stay and a no-show do not.
	stay(t, e, c.ID, day(2030, time.January, 10), day(2030, time.January, 12), "whatsapp",
		booking.ActionConfirm, booking.ActionCheckIn, booking.ActionComplete)
	stay(t, e, c.ID, day(2030, time.January, 20), day(2030, time.January, 22), "direct")
	stay(t, e, c.ID, day(2030, time.January, 22), day(2030, time.January, 24), "direct", booking.ActionConfirm, booking.ActionCancel)
	stay(t, e, c.ID, day(2030, time.January, 24), day(2030, time.January, 26), "direct", booking.ActionConfirm, booking.ActionNoShow)
	// After the window.
	stay(t, e, c.ID, day(2030, time.March, 1), day(2030, time.March, 3), "direct", booking.ActionConfirm)
	// A block from Jan 29 to Feb 4 is cut at the month's edge; a released block does not count.
	block(t, e, b.ID, day(2030, time.January, 29), day(2030, time.February, 4))
	gone := block(t, e, b.ID, day(2030, time.February, 10), day(2030, time.February, 12))
	_, err := e.Pool.Exec(ctx, `UPDATE occupancy SET active = false, released_at = now() WHERE id = $1`, gone)
	require.NoError(t, err)

	// Another account's stays and blocks never show.
	otherAcc := dbtest.Account(t, e.Pool).ID
	other := dbtest.Property(t, e.Pool, otherAcc)
	stay(t, e, other.ID, day(2030, time.January, 15), day(2030, time.January, 20), "direct", booking.ActionConfirm)
	block(t, e, other.ID, day(2030, time.January, 1), day(2030, time.January, 5))

	jan, feb := day(2030, time.January, 1), day(2030, time.February, 1)
	in, err := stats.Load(ctx, e.Pool, e.Account.ID, stats.ThisAndNext(e.Today()))
	require.NoError(t, err)
	require.Equal(t, "ARS", in.Currency, "the account's currency")
	// Rows are per reservation; the expectations below leave the ids out.
	for i := range in.Stays {
		require.Positive(t, in.Stays[i].ReservationID)
		require.Zero(t, in.Stays[i].Rate, "peso stays lock no rate")
		in.Stays[i].ReservationID = 0
	}
	require.Equal(t, []stats.Property{{ID: a.ID, Name: "A", Active: true}, {ID: b.ID, Name: "B", Active: true},
		{ID: c.ID, Name: "C", Active: true}}, in.Properties)
	require.ElementsMatch(t, []stats.StayMonth{
		{PropertyID: a.ID, Channel: "direct", Month: jan, Nights: 1, Revenue: money.In(money.FromUnits(10000), "ARS")},
		{PropertyID: a.ID, Channel: "airbnb", Month: jan, Nights: 2, Revenue: money.In(money.FromUnits(25000), "ARS")},
		{PropertyID: a.ID, Channel: "airbnb", Month: feb, Nights: 2, Revenue: money.In(money.FromUnits(30000), "ARS")},
		{PropertyID: c.ID, Channel: "whatsapp", Month: jan, Nights: 2, Revenue: money.In(money.FromUnits(20000), "ARS")},
	}, in.Stays)
	require.ElementsMatch(t, []stats.BlockMonth{
		{PropertyID: b.ID, Month: jan, Nights: 3},
		{PropertyID: b.ID, Month: feb, Nights: 3},
	}, in.Blocks)

	r := stats.Build(in)
	require.Equal(t, 5, r.MonthTotal[0].Nights)
	require.Equal(t, 3*31, r.MonthTotal[0].Capacity)
	require.Equal(t, stats.Revenue{money.In(money.FromUnits(55000), "ARS")}, r.MonthTotal[0].Revenue)
	require.Equal(t, 3*28, r.MonthTotal[1].Capacity)

	// The whole stay's revenue over both months is its total.
	in, err = stats.Load(ctx, e.Pool, e.Account.ID, stats.Window{From: day(2029, time.December, 1), Months: 3})
	require.NoError(t, err)
	var sum money.Money
	for _, st := range in.Stays {
		if st.PropertyID == a.ID {
			sum += st.Revenue.Value
		}
	}
	require.Equal(t, money.FromUnits(5000+30000+5000+20000+30000), sum)

	first, err := stats.FirstYear(ctx, e.Pool, e.Account.ID)
	require.NoError(t, err)
	require.Equal(t, 2029, first)
	none, err := stats.FirstYear(ctx, e.Pool, dbtest.Account(t, e.Pool).ID)
	require.NoError(t, err)
	require.Zero(t, none)
}
