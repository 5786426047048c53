package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// mpUSDCabin is the dollar cabin (US$ 120 a night, cleaning US$ 25) with a
// 6 % Mercado Pago surcharge and at most 3 cuotas, and the owner's manual
// rate of 1 USD = $ 1.185,50 set from the rates page.
func mpUSDCabin(t *testing.T, s *webtest.Server, owner *webtest.Session) (id int64, slug string) {
	t.Helper()
	usd := usdCabin(t, s)
	_, err := s.Pool.Exec(context.Background(),
		`UPDATE properties SET mp_surcharge_bp = 600, mp_max_installments = 3 WHERE id = $1`, usd.ID)
	require.NoError(t, err)
	r := owner.PostForm("/admin/tipo-de-cambio", url.Values{"currency": {"USD"}, "rate": {"1185,50"}})
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	return usd.ID, usd.Slug
}

func stayQuery(in time.Time, nights int) url.Values {
	return url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, nights))},
		"guests": {"2"}}
}

// Every amount shown to a guest is the amount charged (issue 12): a dollar
// stay walked from the quote to the payment agrees to the peso at every
// step — the API quote, the booking box, the hold, the preference Mercado
// Pago receives, the guest page, the payment that confirms — and a later
// rate change moves new quotes only: the reservation and its balance link
// keep the rate locked on the hold.
//
// Two nights: US$ 265, seña 30 % US$ 79,50 × 1.185,50 = 94.247,25 → $ 94.247;
// recargo 6 % = 5.654,82 → $ 5.655; charged $ 99.902.
func TestMercadoPagoChargesPesosForADollarStay(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	owner := rvLogin(t, s, "owner")
	id, slug := mpUSDCabin(t, s, owner)
	day := rateDay(s)
	in := s.Today().AddDate(0, 0, 10)
	line := "Seña: US$ 79,50 — a pagar con Mercado Pago: $ 94.247 (cotización 1 USD = $ 1.185,50 del " + day + ")"
	surcharge := "+ recargo Mercado Pago 6 %: $ 5.655 → total $ 99.902"

	// The API quote says what Mercado Pago will charge.
	quotePath := fmt.Sprintf("/api/v1/properties/%d/quote?%s", id, stayQuery(in, 2).Encode())
	var quote map[string]any
	s.GetUntil(t, quotePath, nil, func(r webtest.Response) bool {
		return strings.Contains(string(r.Body), `"mercadopago_surcharge_ars"`)
	}).JSON(t, &quote)
	require.Equal(t, "79.50", quote["deposit_amount"])
	require.Equal(t, "94247.00", quote["deposit_ars"])
	require.Equal(t, "99902.00", quote["mercadopago_ars"])
	require.Equal(t, "5655.00", quote["mercadopago_surcharge_ars"])

	// So does the booking box, and its button names the pesos.
	box := string(s.NewSession(t).Get("/p/" + slug + "/quote?" + stayQuery(in, 2).Encode()).Body)
	require.Contains(t, box, `<td colspan="2" id="quote-mp">`+line+`</td>`)
	require.Contains(t, box, `<td colspan="2" id="quote-mp-recargo">`+surcharge+`</td>`)
	require.Contains(t, box, `<button type="submit" id="reservar">Reservar y pagar $ 99.902 de seña</button>`)

	// The hold answers the same, at the rate it locked.
	r := s.Do(t, http.MethodPost, prereservePath, holdBody(id, in, in.AddDate(0, 0, 2)), nil)
	require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
	var hold map[string]any
	r.JSON(t, &hold)
	require.Equal(t, "79.50", hold["deposit_amount"])
	require.Equal(t, "99902.00", hold["mercadopago_ars"])
	require.NotNil(t, hold["payment_url"])
	code := hold["code"].(string)
	guestPath := strings.TrimPrefix(hold["guest_url"].(string), s.URL)

	// The preference Mercado Pago receives: pesos, the same figure, 3 cuotas at most.
	res := rvStored(t, s, code)
	dbtest.Eventually(t, "payment link", func() bool {
		return s.Count(t, `SELECT count(*) FROM payment_links WHERE reservation_id = $1 AND init_point <> ''`, res.ID) == 1
	})
	pref := fake.LastPreference()
	item := pref["items"].([]any)[0].(map[string]any)
	require.Equal(t, "ARS", item["currency_id"])
	require.EqualValues(t, 99902, item["unit_price"])
	require.Contains(t, item["title"], "(US$ 79,50 a $ 1.185,50)")
	require.Contains(t, item["description"], "recargo por pago con Mercado Pago (6 %) $ 5.655")
	require.Equal(t, map[string]any{"installments": float64(3)}, pref["payment_methods"])
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM payment_links WHERE reservation_id = $1 AND amount = 99902 AND currency = 'ARS'`, res.ID))

	// The guest page says it before the button, and the button names the pesos.
	page := string(s.NewSession(t).Get(guestPath).Body)
	require.Contains(t, page, `<p id="mp-monto">`+line+`</p>`)
	require.Contains(t, page, `<p id="mp-recargo">`+surcharge+`</p>`)
	require.Contains(t, page, ">Pagar $ 99.902 con Mercado Pago</a>")
	require.Less(t, strings.Index(page, `id="mp-recargo"`), strings.Index(page, `id="pagar"`), "the surcharge is shown before paying")

	// A payment of exactly that confirms: the seña is paid, in dollars.
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", StatusDetail: "accredited", Reference: code,
		Amount: money.FromUnits(99902), Fee: money.FromUnits(6394)})
	mpDeliver(t, s, pid)
	dbtest.Eventually(t, "confirmation", func() bool { return rvStored(t, s, code).Status == booking.StatusConfirmed })
	got := rvStored(t, s, code)
	require.Equal(t, money.Money(7950), got.Paid, "paid == deposit, in USD")
	require.Equal(t, got.Deposit, got.Paid)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM payments WHERE provider_id = $1 AND amount = 99902 AND currency = 'ARS'
		AND fee = 6394`, pid))
	require.Zero(t, s.Count(t, `SELECT count(*) FROM conflicts WHERE reservation_id = $1`, res.ID))
	require.Contains(t, rvPage(t, owner, code), "Mercado Pago informó el pago "+pid+" de $ 99.902,00 (acreditado en la reserva: US$ 79,50): ")
	// The fee follows what Mercado Pago says on every update; the credit does not move.
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", StatusDetail: "accredited", Reference: code,
		Amount: money.FromUnits(99902), Fee: money.FromUnits(6500)})
	mpDeliver(t, s, pid)
	dbtest.Eventually(t, "fee updated", func() bool {
		return s.Count(t, `SELECT count(*) FROM payments WHERE provider_id = $1 AND fee = 6500`, pid) == 1
	})
	require.Equal(t, money.Money(7950), rvStored(t, s, code).Paid)

	// The owner moves the rate to 1.300.
	r = owner.PostForm("/admin/tipo-de-cambio", url.Values{"currency": {"USD"}, "rate": {"1300"}})
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))

	// The reservation keeps 1.185,50: its page and its balance link in pesos.
	page = string(s.NewSession(t).Get(guestPath).Body)
	require.Contains(t, page, `id="deposit-ars">≈ $ 94.247 (cotización 1 USD = $ 1.185,50 del `+day+`)`)
	r = owner.PostForm("/admin/reservations/"+code+"/balance-link", nil)
	require.Equal(t, http.StatusSeeOther, r.Status)
	// Balance US$ 185,50 × 1.185,50 = 219.910,25 → 219.910; 6 % = 13.194,60 → 13.195.
	require.Contains(t, rvPage(t, owner, code),
		"Link de pago del saldo (US$ 185,50 = $ 219.910 a $ 1.185,50 + recargo 6 % $ 13.195 → $ 233.105), para enviar al huésped: "+fake.URL)
	pref = fake.LastPreference()
	item = pref["items"].([]any)[0].(map[string]any)
	require.Equal(t, "ARS", item["currency_id"])
	require.EqualValues(t, 233105, item["unit_price"])
	require.Equal(t, "Saldo - "+res.PropertyName+", "+in.Format("02/01")+" al "+in.AddDate(0, 0, 2).Format("02/01")+
		" (US$ 185,50 a $ 1.185,50)", item["title"])
	require.Equal(t, map[string]any{"installments": float64(3)}, pref["payment_methods"])

	// A new quote uses today's 1.300: 79,50 × 1.300 = 103.350, + 6.201.
	later := in.AddDate(0, 0, 7)
	s.GetUntil(t, fmt.Sprintf("/api/v1/properties/%d/quote?%s", id, stayQuery(later, 2).Encode()), nil, func(r webtest.Response) bool {
		return strings.Contains(string(r.Body), `"exchange_rate":"1300.0000"`)
	}).JSON(t, &quote)
	require.Equal(t, "103350.00", quote["deposit_ars"])
	require.Equal(t, "109551.00", quote["mercadopago_ars"])
	require.Equal(t, "6201.00", quote["mercadopago_surcharge_ars"])
	box = string(s.NewSession(t).Get("/p/" + slug + "/quote?" + stayQuery(later, 2).Encode()).Body)
	require.Contains(t, box, "Reservar y pagar $ 109.551 de seña")
}

// A peso short of what the link asked does not confirm a dollar hold: the
// payment counts what it covers (less than the seña), the owner is alerted
// in pesos and dollars, and the hold, held before a rate change, still asks
// the pesos of its own rate.
func TestMercadoPagoDollarHoldPaidShort(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	owner := rvLogin(t, s, "owner")
	id, _ := mpUSDCabin(t, s, owner)
	in := s.Today().AddDate(0, 0, 20)
	res := s.Hold(t, id, in, in.AddDate(0, 0, 2))
	require.Equal(t, 600, res.SurchargeBP)

	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: res.Code, Amount: money.FromUnits(99901)})
	mpDeliver(t, s, pid)
	got := rvStored(t, s, res.Code)
	require.Equal(t, booking.StatusPreReserved, got.Status)
	require.Less(t, got.Paid, got.Deposit)
	require.Positive(t, got.Paid)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM conflicts WHERE kind = $1 AND reservation_id = $2 AND detail =
		'El pago '||$3||' de Mercado Pago por $ 99.901,00 (acreditado en la reserva: US$ 79,49) no cubre la seña de US$ 79,50: la reserva sigue sin confirmar.'`,
		mercadopago.ConflictPartial, res.ID, pid))

	// The rate moves; the hold's page still charges at its own.
	r := owner.PostForm("/admin/tipo-de-cambio", url.Values{"currency": {"USD"}, "rate": {"1300"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	page := string(s.NewSession(t).Get(booking.GuestPath(res.Code, res.GuestToken)).Body)
	require.Contains(t, page, "a pagar con Mercado Pago: $ 94.247 (cotización 1 USD = $ 1.185,50")
}

// A dollar hold without a rate, on a property that takes transfers, is told
// to pay by transfer; no link is made.
func TestMercadoPagoNoRateSaysTransfer(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	usd := usdCabin(t, s)
	_, err := s.Pool.Exec(context.Background(), `UPDATE properties SET pay_transfer = true, transfer_alias = 'cabana.bosque',
		transfer_holder = 'Ana Pérez' WHERE id = $1`, usd.ID)
	require.NoError(t, err)
	in := s.Today().AddDate(0, 0, 10)
	res := s.Hold(t, usd.ID, in, in.AddDate(0, 0, 2))
	page := s.GetUntil(t, booking.GuestPath(res.Code, res.GuestToken), nil, func(r webtest.Response) bool {
		return strings.Contains(string(r.Body), "Podés pagar la seña por transferencia")
	})
	require.NotContains(t, string(page.Body), `id="pagar"`)
	require.NotContains(t, string(page.Body), "a pagar con Mercado Pago")
	require.Zero(t, fake.PreferenceCount())
}

// The WhatsApp notice of a dollar hold gives the Mercado Pago link with the
// pesos it charges, the figure of the preference.
func TestWhatsAppDollarHoldNoticeSaysThePesos(t *testing.T) {
	t.Parallel()
	e := waStart(t, true)
	s := e.s
	usd := usdCabin(t, s)
	_, err := s.Pool.Exec(context.Background(), `UPDATE properties SET mp_surcharge_bp = 600 WHERE id = $1`, usd.ID)
	require.NoError(t, err)
	setRate(t, s, 11_855_000)
	guest := "5491155550901"
	e.say(t, guest, "Ana", "hola")
	e.waitTo(t, guest, 1)
	in := s.Today().AddDate(0, 0, 30)
	h, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: usd.ID, CheckIn: booking.FormatDate(in),
		CheckOut: booking.FormatDate(in.AddDate(0, 0, 2)), Guests: 2, GuestName: "Ana Gómez", GuestPhone: "+" + guest,
		Channel: "web", Actor: "guest"})
	require.NoError(t, err)
	require.Equal(t, 600, h.Reservation.SurchargeBP)
	m := e.waitTo(t, guest, 2)
	require.Contains(t, m.Text, "Seña para confirmar: *US$ 79,50 (con Mercado Pago: $ 99.902)*")
	require.Contains(t, m.Text, e.mp.URL+"/checkout/v1/redirect?pref_id=")
	require.EqualValues(t, 99902, e.mp.LastPreference()["items"].([]any)[0].(map[string]any)["unit_price"])
}
