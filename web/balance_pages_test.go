package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/web/webtest"
)

// A confirmed stay with a balance: the owner's page says when it is due and
// offers the cash form prefilled with it; the guest page gives the due date
// and the ways the property takes it, and Pagar con Mercado Pago leads to
// Mercado Pago's link for the balance. Once paid, neither shows a balance.
func TestBalanceOnReservationAndGuestPages(t *testing.T) {
	t.Parallel()
	fake := mptest.Start(t)
	s := webtest.Start(t, webtest.Options{MercadoPagoURL: fake.URL, MercadoPagoToken: mptest.Token,
		MercadoPagoSecret: mptest.Secret})
	ctx := context.Background()
	p := s.Property(t)
	_, err := s.Pool.Exec(ctx, `UPDATE properties SET balance_due_days = 5, pay_transfer = true, pay_cash = true,
		transfer_cbu = '2850590940090418135201', transfer_alias = 'cabana.bosque', transfer_holder = 'Ana Pérez',
		transfer_cuit = '20123456786', transfer_bank = 'Banco Macro' WHERE id = $1`, p.ID)
	require.NoError(t, err)
	r := rvHold(t, s, p.ID, 10, 12, rvGuest{}) // 20.000, seña 6.000
	se := rvLogin(t, s, "staff")
	rvPost(t, se, r.Code, "payments", url.Values{"amount": {"6.000"}, "method": {"transfer"}}) // confirms
	due := s.Today().AddDate(0, 0, 5)

	body := html.UnescapeString(rvPage(t, se, r.Code))
	require.Contains(t, body, "Saldo de $ 14.000,00: vence el <strong>"+format.Weekday(due)+" "+format.Date(due)+"</strong>")
	require.Contains(t, body, `<input id="cash-amount" name="amount" type="text" inputmode="decimal" value="14.000" required>`)
	require.Contains(t, body, "Registrar pago en efectivo")

	guestPath := booking.GuestPath(r.Code, r.GuestToken)
	guest := s.NewSession(t)
	gp := guest.Get(guestPath)
	require.Equal(t, http.StatusOK, gp.Status)
	g := html.UnescapeString(string(gp.Body))
	require.Contains(t, g, "Saldo a pagar: $ 14.000,00")
	require.Contains(t, g, "Vence el <strong>"+format.Date(due)+"</strong>.")
	require.Contains(t, g, "Pagar el saldo con Mercado Pago")
	for _, v := range []string{"2850590940090418135201", "cabana.bosque", "Ana Pérez", "20123456786", "Banco Macro",
		"<dt>Referencia</dt><dd>" + r.Code + "</dd>", "Por transferencia de <strong>$ 14.000,00</strong>", "En efectivo al llegar."} {
		require.Contains(t, g, v)
	}
	pay := guest.PostForm(booking.GuestPath(r.Code, r.GuestToken, "saldo"), url.Values{})
	require.Equal(t, http.StatusSeeOther, pay.Status, string(pay.Body))
	require.True(t, strings.HasPrefix(pay.Header.Get("Location"), fake.URL+"/checkout/"), pay.Header.Get("Location"))
	require.Equal(t, http.StatusNotFound, guest.PostForm("/r/"+r.Code+"/saldo?t=otro", url.Values{}).Status)

	// The cash form records the balance.
	rvPost(t, se, r.Code, "payments", url.Values{"amount": {"14.000,00"}, "method": {"cash"}, "note": {"Saldo en efectivo al llegar"}})
	body = rvPage(t, se, r.Code)
	require.NotContains(t, body, "Registrar pago en efectivo")
	require.NotContains(t, body, `id="saldo-vence"`)
	g = string(guest.Get(guestPath).Body)
	require.NotContains(t, g, "Saldo a pagar")
	nothing := guest.PostForm(booking.GuestPath(r.Code, r.GuestToken, "saldo"), url.Values{})
	require.Equal(t, http.StatusOK, nothing.Status)
	require.Contains(t, string(nothing.Body), "Esta reserva no tiene saldo para pagar con Mercado Pago.")
}

// A property that takes neither cash nor Mercado Pago: no cash form, and the
// guest is told only the transfer; at check-in the balance is "al llegar".
func TestBalanceWithoutCash(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	_, err := s.Pool.Exec(context.Background(), `UPDATE properties SET pay_mercadopago = false, pay_cash = false,
		pay_transfer = true, transfer_alias = 'cabana.bosque', transfer_holder = 'Ana Pérez' WHERE id = $1`, p.ID)
	require.NoError(t, err)
	r := rvHold(t, s, p.ID, 10, 12, rvGuest{})
	se := rvLogin(t, s, "owner")
	rvPost(t, se, r.Code, "confirm", url.Values{})
	body := html.UnescapeString(rvPage(t, se, r.Code))
	require.Contains(t, body, "Saldo de $ 20.000,00: vence el")
	require.Contains(t, body, "(al llegar)")
	require.NotContains(t, body, "Registrar pago en efectivo")

	g := html.UnescapeString(string(s.NewSession(t).Get(booking.GuestPath(r.Code, r.GuestToken)).Body))
	require.Contains(t, g, "Vence al llegar, el <strong>")
	require.Contains(t, g, "cabana.bosque")
	require.NotContains(t, g, "Pagar el saldo con Mercado Pago")
	require.NotContains(t, g, "En efectivo al llegar.")
}
