package booking_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
)

// Text reads as Spanish for every preset: "todo lo pagado", never "todo de lo pagado".
func TestPolicyTextGrammar(t *testing.T) {
	t.Parallel()
	mod, _ := booking.Preset(booking.PresetModerada)
	require.Equal(t, "Si cancelás hasta 5 días antes de la llegada, se devuelve todo lo pagado; "+
		"hasta 1 día antes de la llegada, el 50 %; después, nada. Si no llegás sin avisar, no se devuelve nada.", mod.Text())
	none := booking.Policy{Sena: booking.SenaNone, Tiers: []booking.Tier{{DaysBefore: 10, RefundPercent: 0}}}
	require.Contains(t, none.Text(), "Si cancelás hasta 10 días antes de la llegada, no se devuelve nada de lo pagado")
	for _, name := range booking.PresetNames {
		p, _ := booking.Preset(name)
		require.NotContains(t, p.Text(), "todo de", name)
	}
}
