package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking/bookingtest"
	"alojamientos/internal/money"
	"alojamientos/internal/rates"
)

// A hold in dollars locks the account's rate of that moment with its kind
// and time; a later rate change changes the next holds, never this one.
func TestHoldLocksTheRate(t *testing.T) {
	t.Parallel()
	env := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	usd := env.Property(t, dbtest.Priced("USD"), func(p *dbq.CreatePropertyParams) { p.BasePrice = money.FromUnits(120) })
	set, err := env.Rates.SetManual(ctx, env.Account.ID, "USD", rates.Rate(11_855_000), nil)
	require.NoError(t, err)

	first := env.Hold(t, usd.ID, env.Day(10), env.Day(12))
	require.NotNil(t, first.Rate)
	require.Equal(t, rates.Rate(11_855_000), first.Rate.Rate)
	require.Equal(t, rates.KindManual, first.Rate.Source)
	require.True(t, set.At.Equal(first.Rate.At))
	require.Equal(t, int64(284_520), first.Rate.Pesos(int64(first.Total)), "US$ 240 × 1185,50")

	env.Clock.Advance(time.Hour)
	_, err = env.Rates.SetManual(ctx, env.Account.ID, "USD", rates.Rate(12_000_000), nil)
	require.NoError(t, err)
	again, err := env.Booking.Get(ctx, first.Code)
	require.NoError(t, err)
	require.Equal(t, first.Rate, again.Rate, "a rate change never changes an existing reservation")

	second := env.Hold(t, usd.ID, env.Day(20), env.Day(22))
	require.Equal(t, rates.Rate(12_000_000), second.Rate.Rate, "the next hold locks the new rate")
}

// Without a rate a dollar hold still succeeds, with no rate ("sin
// cotización"); a peso hold never has one.
func TestHoldWithoutRate(t *testing.T) {
	t.Parallel()
	env := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	usd := env.Property(t, dbtest.Priced("USD"))
	r := env.Hold(t, usd.ID, env.Day(10), env.Day(12))
	require.Nil(t, r.Rate)

	_, err := env.Rates.SetManual(ctx, env.Account.ID, "USD", rates.Rate(11_855_000), nil)
	require.NoError(t, err)
	again, err := env.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Nil(t, again.Rate, "a rate set later is not locked on an earlier hold")

	ars := env.Hold(t, env.Property(t).ID, env.Day(10), env.Day(12))
	require.Equal(t, "ARS", ars.Currency)
	require.Nil(t, ars.Rate)
	l, err := env.Booking.RateToday(ctx, env.Account.ID, "USD")
	require.NoError(t, err)
	require.Equal(t, rates.Rate(11_855_000), l.Rate)
}
