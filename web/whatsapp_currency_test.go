package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/money"
)

// The assistant quotes and holds a cabin priced in dollars in dollars, and,
// since Mercado Pago charges pesos only, sends the guest's page instead of a
// payment link.
func TestWhatsAppQuotesAndHoldsInDollars(t *testing.T) {
	t.Parallel()
	e := waStart(t, true)
	s := e.s
	usd := func(p *dbq.CreatePropertyParams) {
		p.BasePrice, p.CleaningFee = money.FromUnits(120), money.FromUnits(25)
	}
	bosque := s.Property(t, waName("Cabaña del Bosque"), dbtest.Priced("USD"), usd)
	s.Property(t, waName("Cabaña del Río"), dbtest.Priced("USD"), usd)
	guest := "5491155550377"

	e.say(t, guest, "John Miller", "hola, tienen lugar este finde? somos 2")
	list := e.waitTo(t, guest, 1)
	require.Contains(t, list.Text, "Cabaña del Bosque")
	require.Contains(t, list.Text, "US$ ")
	require.NotRegexp(t, `(^|[^S])\$ \d`, list.Text, "no amount written as pesos")

	e.pick(t, guest, "John Miller", fmt.Sprintf("pick:%d", bosque.ID), "Cabaña del Bosque", true)
	e.waitTo(t, guest, 2)
	e.say(t, guest, "John Miller", "John Miller")
	hold := e.waitTo(t, guest, 3)
	var code, token string
	require.NoError(t, s.Pool.QueryRow(context.Background(),
		`SELECT code, guest_token FROM reservations WHERE guest_phone = $1 AND currency = 'USD'`, "+"+guest).Scan(&code, &token))
	r := rvStored(t, s, code)
	require.Contains(t, hold.Text, "US$ "+r.Total.Display())
	require.Contains(t, hold.Text, "US$ "+r.Deposit.Display())
	require.Contains(t, hold.Text, "/r/"+code+"?t="+token, "the guest's page, where paying is explained")
	require.NotContains(t, hold.Text, e.mp.URL, "never a Mercado Pago link in dollars")
	require.Equal(t, 0, e.mp.PreferenceCount())
}

// With a dollar rate the assistant's offer adds each total's peso
// equivalent at today's rate, so a guest who thinks in pesos is not left to
// do the sum.
func TestWhatsAppOfferShowsPesos(t *testing.T) {
	t.Parallel()
	e := waStart(t, true)
	s := e.s
	setRate(t, s, 11_855_000) // $ 1.185,50
	s.Property(t, waName("Cabaña del Bosque"), dbtest.Priced("USD"), func(p *dbq.CreatePropertyParams) {
		p.BasePrice, p.CleaningFee = money.FromUnits(120), money.FromUnits(25)
	})
	guest := "5491155550378"
	e.say(t, guest, "John Miller", "hola, tienen lugar este finde? somos 2")
	offer := e.waitTo(t, guest, 1)
	// Two nights at US$ 120 and US$ 25 cleaning: US$ 265 × 1.185,50 = $ 314.157,50 → $ 314.158.
	require.Contains(t, offer.Text, "US$ 265 (≈ $ 314.158)")
}
