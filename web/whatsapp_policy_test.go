package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
)

// The assistant's hold message states the terms frozen on the booking, in
// one line (booking.Policy.Summary).
func TestWhatsAppHoldMessageStatesTheTerms(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	p := s.Property(t, waName("Refugio"))
	pen, _ := booking.Preset(booking.PresetPenitencial)
	_, err := booking.SavePolicy(context.Background(), s.Pool, s.Account.ID, p.ID, pen, "test", s.Clock.Now())
	require.NoError(t, err)
	guest := "5491155550701"
	ci := s.Today().AddDate(0, 0, 30)
	e.say(t, guest, "Eli", fmt.Sprintf("del %d/%d al %d/%d somos 2", ci.Day(), ci.Month(), ci.AddDate(0, 0, 2).Day(), ci.AddDate(0, 0, 2).Month()))
	e.waitTo(t, guest, 1)
	e.say(t, guest, "Eli", "si")
	e.waitTo(t, guest, 2)
	e.say(t, guest, "Eli", "Elisa Gómez")
	m := e.waitTo(t, guest, 3)
	require.Contains(t, m.Text, "Te reservé")
	require.Contains(t, m.Text, "\nCancelación: política Seña penitencial — si cancelás perdés la seña; si cancela el alojamiento, "+
		"te la devuelve doblada; hasta el día de llegada se devuelve todo del resto.\nCódigo: RES")
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE cancel_policy->>'preset' = 'sena_penitencial'`))
}
