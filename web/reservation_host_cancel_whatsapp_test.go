package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/internal/whatsapp"
	"alojamientos/internal/whatsapp/watest"
)

// The guest hears that the host cancelled, with what goes back: inside the
// 24-hour window as a text naming the refund and the seña once more; the
// guest-asked cancellation keeps the plain notice.
func TestHostCancelTellsTheGuest(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	r := hcStay(t, s, 30, hcPreset(t, booking.PresetPenitencial), money.FromUnits(6000))
	// The guest wrote a while ago: the window is open, free text may go.
	_, err := s.Pool.Exec(context.Background(), `INSERT INTO wa_conversations (account_id, wa_id, last_inbound_at)
		VALUES ($1, '5491155551234', $2) ON CONFLICT (account_id, wa_id) DO UPDATE SET last_inbound_at = $2`,
		s.Account.ID, s.Clock.Now())
	require.NoError(t, err)

	owner := rvLogin(t, s, "owner")
	rvPost(t, owner, r.Code, "cancel", cancelForm("host", "", "Se rompió la caldera"))
	var msg watest.Request
	dbtest.Eventually(t, "the cancellation notice", func() bool {
		for _, m := range e.to("5491155551234") {
			if strings.Contains(m.Text, "cancel") {
				msg = m
				return true
			}
		}
		return false
	})
	require.Equal(t, "text", msg.Type)
	require.Contains(t, msg.Text, "Lucía, lamentamos avisarte que el alojamiento tuvo que cancelar tu reserva "+r.Code)
	require.Contains(t, msg.Text, "Te devolvemos $ 6.000 de lo que pagaste")
	require.Contains(t, msg.Text, "la seña una vez más, $ 6.000: en total *$ 12.000*")
	require.Contains(t, msg.Text, "art. 1059")
	require.NotContains(t, msg.Text, "quedó cancelada", "one notice, the host's")
}

func TestHostCancelRefundText(t *testing.T) {
	t.Parallel()
	require.Equal(t, "No habías hecho pagos, así que no hay nada que devolver.",
		whatsapp.HostCancelRefundText(map[string]any{"refund": "0.00", "penalty": "0.00", "currency": "ARS"}))
	got := whatsapp.HostCancelRefundText(map[string]any{"refund": "10000.00", "penalty": "0.00", "currency": "USD"})
	require.Contains(t, got, "Te devolvemos *US$ 10.000* de lo que pagaste.")
	require.NotContains(t, got, "penitencial")
}
