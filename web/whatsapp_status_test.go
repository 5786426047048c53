package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
)

// A reservation code is not a password: whoever writes one from another
// phone gets the answer for a code that does not exist, and nothing of the stay.
func TestWhatsAppStatusByCodeOnlyForTheReservationsPhone(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	p := s.Property(t, waName("Cabaña Secreta"))
	guest, stranger := "5491155551401", "5491155551402"
	ci := s.Today().AddDate(0, 0, 25)
	h, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci),
		CheckOut: booking.FormatDate(ci.AddDate(0, 0, 2)), Guests: 2, GuestName: "Olga", GuestPhone: "+" + guest, Channel: "web", Actor: "guest"})
	require.NoError(t, err)
	code := h.Reservation.Code
	e.waitTo(t, guest, 1) // the hold's notice

	e.say(t, stranger, "Pablo", "como esta la reserva "+code+"?")
	got := e.waitTo(t, stranger, 1)
	require.NotContains(t, got.Text, "Cabaña Secreta")
	require.NotContains(t, got.Text, "pendiente")
	fake := "RES" + strings.Repeat("0", len(code)-3)
	e.say(t, stranger, "Pablo", "como esta la reserva "+fake+"?")
	unknown := e.waitTo(t, stranger, 2)
	require.Contains(t, unknown.Text, "No encuentro la reserva "+fake)
	require.Equal(t, strings.ReplaceAll(unknown.Text, fake, code), got.Text, "the same answer as for a code that does not exist")

	e.say(t, guest, "Olga", "estado de mi reserva "+strings.ToLower(code))
	own := e.waitTo(t, guest, 2)
	require.Contains(t, own.Text, "Reserva "+code+": Cabaña Secreta")
	require.Contains(t, own.Text, "pendiente de la seña")
}
