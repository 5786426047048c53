package booking_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/internal/rates"
)

func usdRate(t *testing.T, s string) *booking.LockedRate {
	t.Helper()
	r, err := rates.Parse(s)
	require.NoError(t, err)
	return &booking.LockedRate{Currency: "USD", Rate: r, Source: "manual"}
}

// A seña in dollars is charged in whole pesos, half-up, and the surcharge
// on top of that, also in whole pesos.
func TestPesosChargeRounding(t *testing.T) {
	t.Parallel()
	rate := usdRate(t, "1185,50")
	c, err := booking.PesosCharge(money.Money(7200), "USD", rate, 0) // US$ 72,00
	require.NoError(t, err)
	require.Equal(t, money.Money(8535600), c.Pesos, "72 × 1185,50 = 85.356")
	require.Equal(t, c.Pesos, c.Total)

	c, err = booking.PesosCharge(money.Money(1), "USD", rate, 0) // 1 cent = 11,855 pesos
	require.NoError(t, err)
	require.Equal(t, money.Money(1200), c.Pesos, "11,855 rounds up to 12")

	half := usdRate(t, "50") // 1 cent = 0,50 pesos: exactly half rounds up
	c, err = booking.PesosCharge(money.Money(1), "USD", half, 0)
	require.NoError(t, err)
	require.Equal(t, money.Money(100), c.Pesos)
	c, err = booking.PesosCharge(money.Money(3), "USD", usdRate(t, "49,99"), 0) // 1,4997 pesos
	require.NoError(t, err)
	require.Equal(t, money.Money(100), c.Pesos)

	c, err = booking.PesosCharge(money.Money(7200), "USD", rate, 600) // 6 %
	require.NoError(t, err)
	require.Equal(t, money.Money(512100), c.Surcharge, "85.356 × 6 % = 5.121,36 → 5.121")
	require.Equal(t, money.Money(8535600+512100), c.Total)

	c, err = booking.PesosCharge(money.Money(1234567), "ARS", nil, 600) // $ 12.345,67 + 6 %
	require.NoError(t, err)
	require.Equal(t, money.Money(1234567), c.Pesos)
	require.Equal(t, money.Money(74074), c.Surcharge, "740,7402 → 740,74: pesos keep their cents")

	_, err = booking.PesosCharge(money.Money(7200), "USD", nil, 0)
	require.ErrorIs(t, err, booking.ErrNoRate)
}

// Paying exactly what was asked credits the amount asked, whatever the
// rate and surcharge; paying a peso less credits less.
func TestCreditedInvertsCharge(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		rate := &booking.LockedRate{Currency: "USD", Rate: rates.Rate(100*rates.Scale + rng.Int64N(3000*rates.Scale))}
		bp := []int{0, 350, 600, 1000}[rng.IntN(4)]
		amount := money.Money(1 + rng.Int64N(500_000_00))
		c, err := booking.PesosCharge(amount, "USD", rate, bp)
		require.NoError(t, err)
		require.Equal(t, amount, booking.Credited(c.Total, "USD", rate, bp), "rate %s bp %d amount %s", rate.Rate, bp, amount)
		require.Less(t, booking.Credited(c.Total-100, "USD", rate, bp), amount)

		ars, err := booking.PesosCharge(amount, "ARS", nil, bp)
		require.NoError(t, err)
		require.Equal(t, amount, booking.Credited(ars.Total, "ARS", nil, bp))
		require.Less(t, booking.Credited(ars.Total-1, "ARS", nil, bp), amount)
	}
	require.Zero(t, booking.Credited(money.Money(100000), "USD", nil, 0), "no rate, no credit")
	require.Equal(t, money.Money(100000), booking.Credited(money.Money(100000), "ARS", nil, 0))
}

func TestPaymentTermsOffers(t *testing.T) {
	t.Parallel()
	terms := booking.PaymentTerms{MercadoPago: true}
	require.True(t, terms.Offers(""))
	require.True(t, terms.Offers(booking.MethodMercadoPago))
	require.False(t, terms.Offers(booking.MethodTransfer))
	require.False(t, terms.Offers("bitcoin"))
	terms.Transfer = true
	require.True(t, terms.Offers(booking.MethodTransfer))
}
