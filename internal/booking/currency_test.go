package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
	"alojamientos/internal/money"
)

// A property priced in dollars quotes and holds in dollars; pesos properties
// of the same account stay in pesos.
func TestHoldTakesThePropertyCurrency(t *testing.T) {
	t.Parallel()
	env := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	usd := env.Property(t, dbtest.Priced("USD"), func(p *dbq.CreatePropertyParams) { p.BasePrice = money.FromUnits(120) })
	ars := env.Property(t)
	require.Equal(t, "USD", usd.Currency)
	require.Equal(t, "ARS", ars.Currency, "by default the account's currency")

	p, err := env.Booking.LoadProperty(ctx, usd.ID)
	require.NoError(t, err)
	q, err := booking.Price(p.Rules, p.Seasons, env.Day(10), env.Day(12), 2)
	require.NoError(t, err)
	require.Equal(t, "USD", q.Currency)
	require.Equal(t, money.FromUnits(240), q.Total)

	r := env.Hold(t, usd.ID, env.Day(10), env.Day(12))
	require.Equal(t, "USD", r.Currency)
	require.Equal(t, money.FromUnits(240), r.Total)
	require.Equal(t, money.FromUnits(72), r.Deposit)
	require.Equal(t, "ARS", env.Hold(t, ars.ID, env.Day(10), env.Day(12)).Currency)
}

// Changing a property's currency changes its next quotes, never the
// reservations it already has: they keep the currency they were held in.
func TestCurrencyChangeKeepsReservations(t *testing.T) {
	t.Parallel()
	env := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	prop := env.Property(t)
	held := env.Hold(t, prop.ID, env.Day(5), env.Day(7))
	require.Equal(t, "ARS", held.Currency)

	in := validPropertyInput()
	in.ID, in.Slug, in.Currency = prop.ID, prop.Slug, "usd"
	_, err := booking.SaveProperty(ctx, env.Pool, env.Account.ID, in)
	require.NoError(t, err)

	p, err := env.Booking.LoadProperty(ctx, prop.ID)
	require.NoError(t, err)
	require.Equal(t, "USD", p.Rules.Currency, "upper-cased and saved")
	again, err := env.Booking.Get(ctx, held.Code)
	require.NoError(t, err)
	require.Equal(t, "ARS", again.Currency)
	require.Equal(t, held.Total, again.Total)
	require.Equal(t, "USD", env.Hold(t, prop.ID, env.Day(20), env.Day(22)).Currency)

	// Saving the form without a currency leaves it as it is.
	in.Currency = ""
	_, err = booking.SaveProperty(ctx, env.Pool, env.Account.ID, in)
	require.NoError(t, err)
	p, err = env.Booking.LoadProperty(ctx, prop.ID)
	require.NoError(t, err)
	require.Equal(t, "USD", p.Rules.Currency)
}

func TestCurrencyValidation(t *testing.T) {
	t.Parallel()
	for _, c := range []string{"US$", "dolar", "U5D", "EURO"} {
		in := validPropertyInput()
		in.Currency = c
		_, err := in.Check()
		var verr *booking.ValidationError
		require.True(t, errors.As(err, &verr), c)
		require.Equal(t, "Elegí una moneda válida: un código ISO 4217 de tres letras, como ARS o USD.", verr.Fields["currency"], c)
	}
	in := validPropertyInput()
	in.Currency = " brl "
	f, err := in.Check()
	require.NoError(t, err, "any ISO 4217 code is accepted, not only the two the form offers")
	require.Equal(t, "BRL", f.Rules.Currency)
}

// A reservation is never re-priced in another currency: moving it to a
// property priced in dollars, or changing its guests after its property
// switched currency, is refused with the reason, and nothing changes.
func TestNoRepricingAcrossCurrencies(t *testing.T) {
	t.Parallel()
	env := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	ars := env.Property(t)
	usd := env.Property(t, dbtest.Priced("USD"))
	r := env.Hold(t, ars.ID, env.Day(10), env.Day(12))
	want := "Ese alojamiento cobra en USD y esta reserva está en ARS: no se puede recalcular su precio en otra moneda."

	_, err := env.Booking.ChangeStay(ctx, r.ID, env.Account.ID, usd.ID, booking.FormatDate(env.Day(10)),
		booking.FormatDate(env.Day(12)), "test")
	var verr *booking.ValidationError
	require.True(t, errors.As(err, &verr), "%v", err)
	require.Equal(t, want, verr.Fields["property_id"])

	_, err = env.Pool.Exec(ctx, `UPDATE properties SET currency = 'USD' WHERE id = $1`, ars.ID)
	require.NoError(t, err)
	p, err := env.Booking.LoadProperty(ctx, ars.ID) // no cache in this env: read fresh
	require.NoError(t, err)
	require.Equal(t, "USD", p.Rules.Currency)
	_, err = env.Booking.UpdateGuest(ctx, booking.GuestUpdate{ReservationID: r.ID, AccountID: env.Account.ID,
		Name: r.GuestName, Phone: r.GuestPhone, Email: r.GuestEmail, Guests: 3, Actor: "test"})
	require.True(t, errors.As(err, &verr), "%v", err)
	require.Equal(t, want, verr.Fields["guests"])

	got, err := env.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, "ARS", got.Currency)
	require.Equal(t, r.Total, got.Total)
	require.Equal(t, r.PropertyID, got.PropertyID)
}
