package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

// homeSection cuts one list of the home page by its id.
func homeSection(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<ul class="home-list" id="` + id + `">.*?</ul>`).FindString(body)
	return html.UnescapeString(m)
}

// The owner's home page lists a guest's cancellation refunds: Mercado
// Pago's while it works, the transfer the owner owes, and what was done
// in the last days.
func TestGuestCancelHomeCard(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, false)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 10)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 3)) // deposit 9.000
	gcPay(t, s, fake, r.Code, money.FromUnits(6000))
	owner := rvLogin(t, s, "owner")
	rvPost(t, owner, r.Code, "payments", url.Values{"amount": {"3.000"}, "method": {"transfer"}})
	require.Equal(t, booking.StatusConfirmed, rvStored(t, s, r.Code).Status)
	require.NotContains(t, string(owner.Get("/admin/").Body), `id="refunds"`, "no card without refunds")

	guest := s.NewSession(t)
	resp := guest.PostForm(gcPath(r, "cancelar"), url.Values{"expected_refund": {"9000.00"}})
	require.Equal(t, http.StatusSeeOther, resp.Status, "%.300s", resp.Body)
	page := string(guest.Get(gcPath(r)).Body)
	require.Contains(t, page, "en proceso en Mercado Pago")
	require.Contains(t, page, "te lo transfiere el alojamiento")

	home := string(owner.Get("/admin/").Body)
	require.Contains(t, home, `<h2 id="refunds">Devoluciones</h2>`)
	open := homeSection(t, home, "devoluciones-abiertas")
	require.Contains(t, open, "$ 6.000,00")
	require.Contains(t, open, "Mercado Pago: en proceso en Mercado Pago")
	require.Contains(t, open, "$ 3.000,00")
	require.Contains(t, open, "Transferencia: tenés que devolverlo vos y marcarlo como hecho")
	require.Contains(t, open, r.Code+" · Cancelación del huésped")
	require.Contains(t, open, `href="/admin/reservations/`+r.Code+`#devoluciones"`)
	require.Contains(t, open, r.GuestName)
	require.Empty(t, homeSection(t, home, "devoluciones-hechas"))

	var mpRefund int64
	require.NoError(t, s.Pool.QueryRow(context.Background(),
		`SELECT id FROM refunds WHERE reservation_id = $1 AND method = 'mercadopago'`, r.ID).Scan(&mpRefund))
	require.NoError(t, s.MercadoPago.CarryOutRefund(context.Background(), mpRefund))
	home = string(owner.Get("/admin/").Body)
	open, done := homeSection(t, home, "devoluciones-abiertas"), homeSection(t, home, "devoluciones-hechas")
	require.NotContains(t, open, "$ 6.000,00")
	require.Contains(t, open, "$ 3.000,00")
	require.Contains(t, done, "$ 6.000,00")
	require.Contains(t, done, "Mercado Pago: devuelto")
	require.Equal(t, money.FromUnits(3000), rvStored(t, s, r.Code).Paid, "Mercado Pago's part is off paid")

	// A few days later the done one has left the page; the owed one has not.
	s.Clock.Advance(4 * 24 * time.Hour)
	owner = rvLogin(t, s, "owner") // the session has lapsed meanwhile
	home = string(owner.Get("/admin/").Body)
	require.Empty(t, homeSection(t, home, "devoluciones-hechas"))
	require.Contains(t, homeSection(t, home, "devoluciones-abiertas"), "$ 3.000,00")

	// Another account sees none of it.
	_, email, password := s.OtherAccount(t)
	require.NotContains(t, string(s.Login(t, email, password).Get("/admin/").Body), r.Code)
}
