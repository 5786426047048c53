package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// waHold holds a stay for a WhatsApp guest's phone.
func waHold(t *testing.T, s *webtest.Server, propertyID int64, phone string, days int) booking.Reservation {
	t.Helper()
	ci := s.Today().AddDate(0, 0, days)
	h, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: propertyID,
		CheckIn: booking.FormatDate(ci), CheckOut: booking.FormatDate(ci.AddDate(0, 0, 3)), Guests: 2,
		GuestName: "Fede Ruiz", GuestPhone: "+" + phone, Channel: "web", Actor: "guest"})
	require.NoError(t, err)
	return h.Reservation
}

// waitSays waits for a message to number that contains every part, and returns its text.
func (e waEnv) waitSays(t *testing.T, number string, parts ...string) string {
	t.Helper()
	var found string
	dbtest.Eventually(t, fmt.Sprintf("a message to %s with %q", number, parts), func() bool {
		for _, m := range e.to(number) {
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(m.Text, p)
			}
			if ok {
				found = m.Text
				return true
			}
		}
		return false
	})
	return found
}

// A guest with one confirmed booking writes "quiero cancelar": the
// assistant states the refund the terms give and asks for SÍ; "sí"
// cancels, the notice says what goes back and how, Mercado Pago refunds
// it (a job), and the guest is told the money was sent.
func TestWhatsAppGuestCancels(t *testing.T) {
	t.Parallel()
	e := waStart(t, true)
	s := e.s
	p := s.Property(t)
	guest := "5491155550911"
	r := waHold(t, s, p.ID, guest, 10) // 30.000, seña 9.000; ten days ahead: everything back (Moderada)
	gcPay(t, s, e.mp, r.Code, money.FromUnits(9000))
	require.Equal(t, booking.StatusConfirmed, rvStored(t, s, r.Code).Status)

	e.say(t, guest, "Fede", "hola, al final no vamos a poder ir 😔")
	ask := e.waitSays(t, guest, "Respondé *SÍ* para cancelar")
	require.Contains(t, ask, "Tu reserva "+r.Code)
	require.Contains(t, ask, "Condiciones de cancelación (Moderada)")
	require.Contains(t, ask, "Pagaste $ 9.000. Si cancelás ahora te devolvemos *$ 9.000*: $ 9.000 por Mercado Pago")
	require.Contains(t, ask, "Política Moderada, cancelación a 10 días de la llegada: se devuelve el 100 %")
	require.Equal(t, booking.StatusConfirmed, rvStored(t, s, r.Code).Status, "asking changes nothing")

	e.say(t, guest, "Fede", "Sí")
	notice := e.waitSays(t, guest, "quedó cancelada")
	require.Contains(t, notice, "Te devolvemos *$ 9.000*:")
	require.Contains(t, notice, "• $ 9.000 por Mercado Pago, a la tarjeta o cuenta con que pagaste")
	require.Equal(t, booking.StatusCancelled, rvStored(t, s, r.Code).Status)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM cancellations WHERE reservation_id = $1 AND by = 'guest' AND actor = 'whatsapp'`, r.ID))

	owner := e.waitText(t, strings.TrimPrefix(waOwner, "+"), "Fede Ruiz canceló por WhatsApp la reserva "+r.Code)
	require.Equal(t, 1, owner)
	done := e.waitSays(t, guest, "Mercado Pago ya te devolvió *$ 9.000*")
	require.Contains(t, done, r.Code)
	require.Equal(t, []string{e.mp.RefundsMade()[0].PaymentID}, e.mp.Refunds)
	e.settle(t)
	n := 0
	for _, m := range e.to(guest) {
		if strings.Contains(m.Text, "quedó cancelada") {
			n++
		}
	}
	require.Equal(t, 1, n, "the assistant's answer and the cancellation's notice are one message")
}

// Anything but "sí" keeps the booking; with several bookings the assistant
// asks which, and cancels only that one.
func TestWhatsAppGuestCancelKeepsOrAsksWhich(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	p := s.Property(t)
	guest := "5491155550912"
	a := waHold(t, s, p.ID, guest, 20)

	e.say(t, guest, "Fede", "cancelar la reserva")
	e.waitSays(t, guest, "Tu reserva "+a.Code, "Si cancelás ahora te devolvemos *$ 0*")
	e.say(t, guest, "Fede", "mmm no, mejor la dejo")
	e.waitSays(t, guest, "no cancelé nada: tu reserva "+a.Code+" sigue en pie")
	require.Equal(t, booking.StatusPreReserved, rvStored(t, s, a.Code).Status)

	b := waHold(t, s, p.ID, guest, 30)
	e.say(t, guest, "Fede", "quiero cancelar")
	which := e.waitSays(t, guest, "¿Cuál querés cancelar?")
	require.Contains(t, which, a.Code)
	require.Contains(t, which, b.Code)
	e.say(t, guest, "Fede", "la "+strings.ToLower(b.Code))
	e.waitSays(t, guest, "Tu reserva "+b.Code, "Respondé *SÍ*")
	e.say(t, guest, "Fede", "si")
	e.waitSays(t, guest, b.Code, "quedó cancelada")
	require.Equal(t, booking.StatusCancelled, rvStored(t, s, b.Code).Status)
	require.Equal(t, booking.StatusPreReserved, rvStored(t, s, a.Code).Status)

	// Another phone naming the code learns nothing and cancels nothing.
	e.say(t, "5491155550913", "Otro", "cancelar "+a.Code)
	e.waitSays(t, "5491155550913", "No encuentro la reserva "+a.Code)
	require.Equal(t, booking.StatusPreReserved, rvStored(t, s, a.Code).Status)
}
