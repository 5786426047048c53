package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

func TestReservationPaymentAdd(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := rvHold(t, s, p.ID, 3, 8, rvGuest{}) // 50.000, deposit 15.000
	se := rvLogin(t, s, "staff")
	path := "/admin/reservations/" + r.Code + "/payments"

	bad := se.PostForm(path, url.Values{"amount": {"12,345.67"}, "method": {"transfer"}, "note": {"CBU 123"}})
	require.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	require.Contains(t, string(bad.Body), `id="pay-amount-error">Monto inválido: escribilo como 12.345,67.`)
	require.Contains(t, string(bad.Body), `value="12,345.67"`)
	require.Contains(t, string(bad.Body), `value="CBU 123"`)
	require.Contains(t, string(bad.Body), `<option value="transfer" selected>Transferencia</option>`)
	over := se.PostForm(path, url.Values{"amount": {"50.000,01"}, "method": {"cash"}})
	require.Equal(t, http.StatusUnprocessableEntity, over.Status)
	require.Contains(t, string(over.Body), "El pago supera el saldo pendiente")
	require.Zero(t, rvStored(t, s, r.Code).Paid)

	// Below the deposit: recorded, still a hold.
	rvPost(t, se, r.Code, "payments", url.Values{"amount": {"12.345,67"}, "method": {"transfer"}, "note": {"CBU 123"}})
	got := rvStored(t, s, r.Code)
	require.Equal(t, money.Money(1234567), got.Paid)
	require.Equal(t, booking.StatusPreReserved, got.Status)
	body := rvPage(t, se, r.Code)
	require.Contains(t, body, "Pago registrado.")
	require.Contains(t, body, "$ 12.345,67")
	require.Contains(t, body, "$ 37.654,33", "balance")
	require.Contains(t, body, "Transferencia")
	require.Contains(t, body, "CBU 123")
	require.Contains(t, body, "Usuario staff")
	require.Contains(t, body, "Registró un pago de $ 12.345,67 (transferencia): CBU 123")

	// Reaching the deposit confirms the hold.
	rvPost(t, se, r.Code, "payments", url.Values{"amount": {"2654,33"}, "method": {"cash"}})
	got = rvStored(t, s, r.Code)
	require.Equal(t, money.FromUnits(15000), got.Paid)
	require.Equal(t, booking.StatusConfirmed, got.Status)
	body = rvPage(t, se, r.Code)
	require.Contains(t, body, "Pago registrado. La seña quedó cubierta y la reserva está confirmada.")
	require.Contains(t, body, "Confirmó la reserva: Seña cubierta con un pago registrado a mano.")
	require.Contains(t, body, "$ 35.000,00", "balance")

	// Paid in full: no more payment form.
	rvPost(t, se, r.Code, "payments", url.Values{"amount": {"35.000"}, "method": {"other"}})
	body = rvPage(t, se, r.Code)
	require.NotContains(t, body, `action="/admin/reservations/`+r.Code+`/payments"`)
	require.Equal(t, money.FromUnits(50000), rvStored(t, s, r.Code).Paid)
}

func TestReservationPaymentOnCancelled(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := rvHold(t, s, p.ID, 3, 5, rvGuest{})
	rvMove(t, s, r, booking.ActionCancel)
	se := rvLogin(t, s, "owner")
	require.NotContains(t, rvPage(t, se, r.Code), "/payments\"")
	rvPost(t, se, r.Code, "payments", url.Values{"amount": {"100"}, "method": {"cash"}})
	require.Contains(t, rvPage(t, se, r.Code), "No se puede registrar un pago en una reserva cancelada.")
	require.Zero(t, rvStored(t, s, r.Code).Paid)
}
