package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

func gcPath(r booking.Reservation, sub ...string) string {
	return booking.GuestPath(r.Code, r.GuestToken, sub...)
}

// gcState is what a guest's cancellation may change.
func gcState(t *testing.T, s *webtest.Server, r booking.Reservation) [4]int {
	t.Helper()
	return [4]int{
		s.Count(t, `SELECT count(*) FROM reservations WHERE id = $1 AND status = 'cancelled'`, r.ID),
		s.Count(t, `SELECT count(*) FROM cancellations WHERE reservation_id = $1`, r.ID),
		s.Count(t, `SELECT count(*) FROM refunds WHERE reservation_id = $1`, r.ID),
		s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'cancel'`, r.ID),
	}
}

// The guest reads the terms on their page, opens the preview, confirms the
// refund it shows, and then sees the cancellation and where the refund is.
func TestGuestCancelFromGuestPage(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, false)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 3)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 3))
	gcPay(t, s, fake, r.Code, money.FromUnits(9000))
	guest := s.NewSession(t)

	page := string(guest.Get(gcPath(r)).Body)
	require.Contains(t, page, `id="cancelar-h">Cancelar reserva</h2>`)
	require.Contains(t, page, "Política: Moderada")
	require.Contains(t, page, "Si cancelás hasta 5 días antes de la llegada, se devuelve todo lo pagado")
	require.Contains(t, page, `href="`+gcPath(r, "cancelar")+`"`)

	prev := guest.Get(gcPath(r, "cancelar"))
	require.Equal(t, http.StatusOK, prev.Status)
	body := string(prev.Body)
	require.Contains(t, body, `id="pagado">$ 9.000,00</dd>`)
	require.Contains(t, body, `id="devolucion"><strong>$ 4.500,00</strong>`)
	require.Contains(t, body, `id="retenido">$ 4.500,00</dd>`)
	require.Contains(t, body, "Política Moderada, cancelación a 3 días de la llegada: se devuelve el 50 % de lo pagado")
	require.Contains(t, body, "<strong>$ 4.500,00</strong> · Mercado Pago, a la tarjeta o cuenta con que pagaste")
	require.Contains(t, body, `name="expected_refund" value="4500.00"`)
	require.Equal(t, [4]int{0, 0, 0, 0}, gcState(t, s, r), "the preview writes nothing")

	resp := guest.PostForm(gcPath(r, "cancelar"), url.Values{"expected_refund": {"4500.00"}})
	require.Equal(t, http.StatusSeeOther, resp.Status, "%.400s", resp.Body)
	require.Equal(t, gcPath(r)+"#cancelacion", resp.Header.Get("Location"))
	require.Equal(t, [4]int{1, 1, 1, 1}, gcState(t, s, r))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM cancellations WHERE reservation_id = $1 AND by = 'guest' AND actor = 'guest'
		AND refund = 4500 AND computed = 4500 AND paid = 9000`, r.ID))

	page = string(guest.Get(gcPath(r)).Body)
	require.Contains(t, page, "Reserva cancelada")
	require.Contains(t, page, `id="devolucion-total">$ 4.500,00</dd>`)
	require.Contains(t, page, "en proceso en Mercado Pago")
	require.NotContains(t, page, `id="cancelar-link"`)

	var refundID int64
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT id FROM refunds WHERE reservation_id = $1`, r.ID).Scan(&refundID))
	require.NoError(t, s.MercadoPago.CarryOutRefund(context.Background(), refundID))
	page = string(guest.Get(gcPath(r)).Body)
	require.Contains(t, page, `<span class="refund-status">devuelto</span>`)

	// Already cancelled: the preview and a second confirmation say so and change nothing.
	prev = guest.Get(gcPath(r, "cancelar"))
	require.Equal(t, http.StatusConflict, prev.Status)
	require.Contains(t, string(prev.Body), "Esta reserva ya está cancelada.")
	require.NotContains(t, string(prev.Body), `id="confirmar-cancelacion"`)
	resp = guest.PostForm(gcPath(r, "cancelar"), url.Values{"expected_refund": {"4500.00"}})
	require.Equal(t, http.StatusConflict, resp.Status)
	require.Contains(t, string(resp.Body), "Esta reserva ya está cancelada.")
	require.Equal(t, [4]int{1, 1, 1, 1}, gcState(t, s, r))
	require.Len(t, fake.RefundsMade(), 1)
}

// A hold nobody paid yet: nothing goes back, and it says so.
func TestGuestCancelUnpaidHold(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 20)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2))
	guest := s.NewSession(t)
	body := string(guest.Get(gcPath(r, "cancelar")).Body)
	require.Contains(t, body, `id="devolucion"><strong>$ 0,00</strong>`)
	require.NotContains(t, body, `id="como-vuelve"`)
	resp := guest.PostForm(gcPath(r, "cancelar"), url.Values{"expected_refund": {"0.00"}})
	require.Equal(t, http.StatusSeeOther, resp.Status, "%.400s", resp.Body)
	require.Equal(t, [4]int{1, 1, 0, 1}, gcState(t, s, r))
	// The nights are free again.
	require.Zero(t, s.Count(t, `SELECT count(*) FROM occupancy o JOIN reservations r ON r.occupancy_id = o.id WHERE r.id = $1 AND o.active`, r.ID))
}

// Bad forms, wrong tokens, a refund that changed since the preview, a stay
// that is over: each is refused with the reason and changes nothing.
func TestGuestCancelRefused(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, false)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 6)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 3))
	gcPay(t, s, fake, r.Code, money.FromUnits(9000))
	guest := s.NewSession(t)
	none := [4]int{0, 0, 0, 0}

	for _, v := range []string{"", "abc", "-1", "4.500,00", "1e3"} {
		resp := guest.PostForm(gcPath(r, "cancelar"), url.Values{"expected_refund": {v}})
		require.Equal(t, http.StatusUnprocessableEntity, resp.Status, "%q", v)
		require.Contains(t, string(resp.Body), "No pudimos leer la devolución que confirmaste", "%q", v)
		require.Contains(t, string(resp.Body), `name="expected_refund" value="9000.00"`, "the preview again")
	}
	for name, path := range map[string]string{
		"no token":    "/r/" + r.Code + "/cancelar",
		"wrong token": booking.GuestPath(r.Code, "x"+r.GuestToken[1:], "cancelar"),
		"other code":  booking.GuestPath("RES000000AAAAAA", r.GuestToken, "cancelar"),
	} {
		require.Equal(t, http.StatusNotFound, guest.Get(path).Status, name)
		require.Equal(t, http.StatusNotFound, guest.PostForm(path, url.Values{"expected_refund": {"9000.00"}}).Status, name)
	}
	require.Equal(t, none, gcState(t, s, r))

	// Seen six days before arrival (everything back), confirmed two days later (half back).
	require.Contains(t, string(guest.Get(gcPath(r, "cancelar")).Body), `name="expected_refund" value="9000.00"`)
	s.Clock.Advance(48 * time.Hour)
	resp := guest.PostForm(gcPath(r, "cancelar"), url.Values{"expected_refund": {"9000.00"}})
	require.Equal(t, http.StatusConflict, resp.Status)
	require.Contains(t, string(resp.Body), "La devolución cambió desde que la viste (entró un pago o pasó un día): ahora es $ 4.500,00.")
	require.Contains(t, string(resp.Body), `name="expected_refund" value="4500.00"`)
	require.Equal(t, none, gcState(t, s, r))

	// A payment arrives between the preview and the confirmation.
	gcPay(t, s, fake, r.Code, money.FromUnits(1000))
	resp = guest.PostForm(gcPath(r, "cancelar"), url.Values{"expected_refund": {"4500.00"}})
	require.Equal(t, http.StatusConflict, resp.Status)
	require.Contains(t, string(resp.Body), "ahora es $ 5.000,00")
	require.Equal(t, none, gcState(t, s, r))
	require.Empty(t, fake.RefundsMade())

	// The stay started: no longer the guest's to cancel here.
	started := s.Hold(t, p.ID, ci.AddDate(0, 0, 10), ci.AddDate(0, 0, 12))
	_, err := s.Booking.Transition(context.Background(), started.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	_, err = s.Booking.Transition(context.Background(), started.ID, booking.ActionCheckIn, "test", "")
	require.NoError(t, err)
	resp = guest.PostForm(gcPath(started, "cancelar"), url.Values{"expected_refund": {"0.00"}})
	require.Equal(t, http.StatusConflict, resp.Status)
	require.Contains(t, string(resp.Body), "La estadía ya empezó o terminó")
	require.NotContains(t, string(guest.Get(gcPath(started)).Body), `id="cancelar-link"`)
}

// A stay held before terms existed (no frozen policy) may be cancelled too:
// the page says there are no terms, so the refund is the owner's to decide.
func TestGuestCancelWithoutTerms(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, false)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 15)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2))
	gcPay(t, s, fake, r.Code, money.FromUnits(6000))
	_, err := s.Pool.Exec(context.Background(), `UPDATE reservations SET cancel_policy = NULL WHERE id = $1`, r.ID)
	require.NoError(t, err)
	guest := s.NewSession(t)
	page := string(guest.Get(gcPath(r)).Body)
	require.Contains(t, page, "Esta reserva no tiene condiciones de cancelación guardadas")
	body := string(guest.Get(gcPath(r, "cancelar")).Body)
	require.Contains(t, body, `id="pagado">$ 6.000,00</dd>`)
	require.Contains(t, body, `id="devolucion"><strong>$ 0,00</strong>`)
	require.Contains(t, body, "lo que se devuelve lo decide el alojamiento")
	resp := guest.PostForm(gcPath(r, "cancelar"), url.Values{"expected_refund": {"0.00"}})
	require.Equal(t, http.StatusSeeOther, resp.Status, "%.300s", resp.Body)
	require.Equal(t, [4]int{1, 1, 0, 1}, gcState(t, s, r))
	require.Empty(t, fake.RefundsMade())
}
