package web_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/whatsapp/watest"
	"alojamientos/web/webtest"
)

// A phone that already has the most unpaid holds it may keep is told so in
// the chat, not asked for other dates (which would be refused the same way),
// and no third hold is made.
func TestWhatsAppPhoneWithTooManyLiveHoldsIsToldWhy(t *testing.T) {
	t.Parallel()
	graph := watest.NewGraph(t)
	e := waEnv{s: webtest.Start(t, webtest.Options{Workers: true, WhatsAppURL: graph.URL, WhatsAppOwnerPhone: waOwner,
		RateLimit: 1000}), graph: graph}
	s := e.s
	p := s.Property(t, waName("Cabaña Única"))
	guest := "5491155551501"
	for i := range booking.MaxLiveHoldsPerPhone {
		ci := s.Today().AddDate(0, 0, 40+5*i)
		_, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: p.ID,
			CheckIn: booking.FormatDate(ci), CheckOut: booking.FormatDate(ci.AddDate(0, 0, 2)), Guests: 2,
			GuestName: "Olga", GuestPhone: "+" + guest, Channel: "web", Actor: "guest"})
		require.NoError(t, err)
	}
	// Hold notices are sent by jobs of their own and may arrive at any point
	// of the chat, so replies are found by what they say, not by position.
	waitText := func(what string) watest.Request {
		var found watest.Request
		dbtest.Eventually(t, what, func() bool {
			for _, m := range e.to(guest) {
				if strings.Contains(m.Text, what) {
					found = m
					return true
				}
			}
			return false
		})
		return found
	}

	ci := s.Today().AddDate(0, 0, 20)
	e.say(t, guest, "Olga", "hola, tienen lugar del "+ci.Format("2/1/2006")+" al "+ci.AddDate(0, 0, 3).Format("2/1/2006")+" para 2?")
	offer := waitText("Cabaña Única")
	dbtest.Eventually(t, "the offer", func() bool {
		for _, m := range e.to(guest) {
			if slices.Contains(m.Buttons, "Reservar") {
				offer = m
				return true
			}
		}
		return false
	})
	require.Contains(t, offer.Text, "Cabaña Única")
	e.pick(t, guest, "Olga", fmt.Sprintf("pick:%d", p.ID), "Reservar", false)
	waitText("A nombre de quién")
	e.say(t, guest, "Olga", "Olga Pérez")
	got := waitText("reservas pendientes")
	require.Contains(t, got.Text, "Ya hay 2 reservas pendientes de seña con este teléfono")
	require.Contains(t, got.Text, "mandame su código")
	require.NotContains(t, got.Text, "otras fechas")
	require.Equal(t, booking.MaxLiveHoldsPerPhone, s.Count(t,
		`SELECT count(*) FROM reservations WHERE guest_phone = $1 AND status = 'pre_reserved'`, "+"+guest))
}
