package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/whatsapp"
)

// waitStatus waits until the outbound message with event key key has status.
func waitStatus(t *testing.T, e waEnv, key, status string) {
	t.Helper()
	dbtest.Eventually(t, key+" "+status, func() bool {
		return e.s.Count(t, `SELECT count(*) FROM wa_messages WHERE event_key = $1 AND status = $2`, key, status) == 1
	})
}

func TestWhatsAppHoldsOfAPhoneThatKeepsRecreatingThemGetNoTemplates(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	p := s.Property(t)
	ctx := context.Background()
	victim := "5491155552201" // never wrote to us: every notice would be a template
	hold := func(days int) booking.Reservation {
		ci := s.Today().AddDate(0, 0, days)
		h, err := s.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci),
			CheckOut: booking.FormatDate(ci.AddDate(0, 0, 2)), Guests: 2, GuestName: "Carla Ruiz", GuestPhone: "+" + victim,
			Channel: "web", Actor: "api"})
		require.NoError(t, err)
		return h.Reservation
	}

	// The first hold: one template, then nothing more for it (its expiry notice is not sent).
	first := hold(10)
	m := e.waitTo(t, victim, 1)
	require.Equal(t, whatsapp.DefaultTemplates[whatsapp.EventHoldCreated], m.Template)
	s.Clock.Advance(31 * time.Minute)
	_, err := s.Booking.ExpireDue(ctx)
	require.NoError(t, err)
	waitStatus(t, e, fmt.Sprintf("hold_expired:%d:guest", first.ID), "skipped")

	// The same phone re-creates holds: none of them sends the phone anything.
	for i := range 3 {
		r := hold(20 + 3*i)
		waitStatus(t, e, fmt.Sprintf("hold_created:%d:guest", r.ID), "skipped")
		s.Clock.Advance(31 * time.Minute)
		_, err := s.Booking.ExpireDue(ctx)
		require.NoError(t, err)
		waitStatus(t, e, fmt.Sprintf("hold_expired:%d:guest", r.ID), "skipped")
	}
	e.settle(t)
	require.Len(t, e.to(victim), 1, "one unsolicited template in all")

	// A day later the phone is a new guest again.
	s.Clock.Advance(25 * time.Hour)
	hold(60)
	m = e.waitTo(t, victim, 2)
	require.Equal(t, whatsapp.DefaultTemplates[whatsapp.EventHoldCreated], m.Template)

	// Inside the window (the guest wrote to us) notices still go, as text.
	chatty := "5491155552202"
	e.say(t, chatty, "Beto", "hola")
	e.waitTo(t, chatty, 1)
	for i := range 2 {
		ci := s.Today().AddDate(0, 0, 80+3*i)
		_, err := s.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci),
			CheckOut: booking.FormatDate(ci.AddDate(0, 0, 2)), Guests: 2, GuestName: "Beto Paz", GuestPhone: "+" + chatty,
			Channel: "web", Actor: "guest"})
		require.NoError(t, err)
		m = e.waitTo(t, chatty, 2+i)
		require.Equal(t, "text", m.Type)
		require.Contains(t, m.Text, "Beto")
	}
}

func TestWhatsAppOwnerAlertsForABurstOfHoldsComeInOneDigest(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	p := s.Property(t)
	ctx := context.Background()
	owner := strings.TrimPrefix(waOwner, "+")
	var codes []string
	for i := range 7 {
		ci := s.Today().AddDate(0, 0, 10+3*i)
		h, err := s.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci),
			CheckOut: booking.FormatDate(ci.AddDate(0, 0, 2)), Guests: 2, GuestName: "Huésped Apurado",
			GuestPhone: fmt.Sprintf("+54911555533%02d", i), Channel: "web", Actor: "api"})
		require.NoError(t, err)
		codes = append(codes, h.Reservation.Code)
	}
	// The first three at once, one by one.
	e.waitTo(t, owner, 3)
	for i := range 7 {
		dbtest.Eventually(t, "guest notice "+codes[i], func() bool {
			return s.Count(t, `SELECT count(*) FROM wa_messages m JOIN reservations r ON r.id = m.reservation_id
				WHERE r.code = $1 AND m.event_key LIKE 'hold_created:%' AND m.status NOT IN ('queued', 'sending')`, codes[i]) == 1
		})
	}
	e.settle(t)
	got := e.to(owner)
	require.Len(t, got, 3, "the rest of the burst waits for the digest")
	var alerted []string
	for _, m := range got {
		text := strings.Join(m.Params, " ") + m.Text
		for _, c := range codes {
			if strings.Contains(text, "Nueva reserva pendiente de seña: "+c) {
				alerted = append(alerted, c)
			}
		}
	}
	require.ElementsMatch(t, codes[:3], alerted, "the first three holds of the window")

	// Before the ten-minute window closes, no digest.
	require.NoError(t, s.WhatsApp.Remind(ctx))
	e.settle(t)
	require.Len(t, e.to(owner), 3)

	// When it closes, one message names the other four.
	s.Clock.Advance(10 * time.Minute)
	require.NoError(t, s.WhatsApp.Remind(ctx))
	require.NoError(t, s.WhatsApp.Remind(ctx))
	m := e.waitTo(t, owner, 4)
	text := strings.Join(m.Params, " ") + m.Text
	require.Contains(t, text, "Llegaron 4 reservas pendientes de seña más entre las ")
	require.Contains(t, text, strings.Join(codes[3:], ", ")+". Revisalas en el panel: "+s.URL+"/admin/reservations")
	e.settle(t)
	require.Len(t, e.to(owner), 4)

	// A quiet hold later is alerted at once again.
	ci := s.Today().AddDate(0, 0, 60)
	h, err := s.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci),
		CheckOut: booking.FormatDate(ci.AddDate(0, 0, 2)), Guests: 2, GuestName: "Huésped Tranquilo",
		GuestPhone: "+5491155553400", Channel: "web", Actor: "api"})
	require.NoError(t, err)
	m = e.waitTo(t, owner, 5)
	require.Contains(t, strings.Join(m.Params, " ")+m.Text, "Nueva reserva pendiente de seña: "+h.Reservation.Code)
}
