package assistant

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/whatsapp/cloudapi"
)

func TestMergeRepliesKeepsOrderInOneMessage(t *testing.T) {
	got := mergeReplies([]cloudapi.Outgoing{{Kind: "text", Body: "Uy, alguien tomó esas noches."},
		{Kind: "list", Body: "Tenemos libre:", Rows: []cloudapi.Choice{{ID: "pick:1", Title: "A"}}}})
	require.Len(t, got, 1)
	require.Equal(t, "list", got[0].Kind)
	require.Equal(t, "Uy, alguien tomó esas noches.\n\nTenemos libre:", got[0].Body)

	got = mergeReplies([]cloudapi.Outgoing{{Kind: "text", Body: "a"}, {Kind: "text", Body: "b"}})
	require.Equal(t, []cloudapi.Outgoing{{Kind: "text", Body: "a\n\nb"}}, got)

	one := []cloudapi.Outgoing{{Kind: "buttons", Body: "x"}}
	require.Equal(t, one, mergeReplies(one))
}

func TestNames(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in    string
		name  bool
		clean string
	}{
		{"ana GÓMEZ", true, "Ana Gómez"},
		{"  juan   pérez ", true, "Juan Pérez"},
		{"a", false, "A"},
		{"quiero 2 noches", false, "Quiero 2 Noches"},
		{"¿y el precio?", false, "¿y El Precio?"},
		{"uno dos tres cuatro cinco seis", false, "Uno Dos Tres Cuatro Cinco Seis"},
	} {
		require.Equal(t, c.name, looksLikeName(c.in), "looksLikeName(%q)", c.in)
		require.Equal(t, c.clean, cleanName(c.in), "cleanName(%q)", c.in)
	}
}

func TestStatusLine(t *testing.T) {
	t.Parallel()
	in, out := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
	for status, want := range map[string]string{
		"pre_reserved": "pendiente de la seña ($ 10.000)",
		"confirmed":    "confirmada ✅ (pagado $ 20.000)",
		"expired":      "vencida (no llegó la seña)",
		"cancelled":    "cancelada",
		"odd":          "odd",
	} {
		require.Equal(t, "Reserva RES270108AB12CD: Cabaña, del viernes 8 al domingo 10 de enero. Estado: "+want+".",
			statusLine("RES270108AB12CD", status, "Cabaña", in, out, "$ 10.000", "$ 20.000"), status)
	}
}
