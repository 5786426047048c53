package whatsapp

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/whatsapp/cloudapi"
)

// The package's pure steps; the flows through the database (inbox, chat,
// queue, notices) are tested from web/ against PostgreSQL.

func TestPreviewOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		m    cloudapi.InboundMessage
		want string
	}{
		{cloudapi.InboundMessage{Type: "text", Text: "  hola  "}, "hola"},
		{cloudapi.InboundMessage{Type: "image"}, "📷 Foto"},
		{cloudapi.InboundMessage{Type: "image", Text: "la vista"}, "la vista"},
		{cloudapi.InboundMessage{Type: "audio"}, "🎤 Audio"},
		{cloudapi.InboundMessage{Type: "reaction"}, "[reaction]"},
		{cloudapi.InboundMessage{Type: "text", Text: strings.Repeat("ñ", 200)}, strings.Repeat("ñ", 119) + "…"},
	} {
		require.Equal(t, c.want, previewOf(c.m))
	}
}

func TestTemplateText(t *testing.T) {
	t.Parallel()
	require.Equal(t, "[plantilla hello_world]", templateText(&cloudapi.Outgoing{Template: "hello_world"}))
	require.Equal(t, "[plantilla reserva_vencida] Ana · RES1", templateText(&cloudapi.Outgoing{Template: "reserva_vencida",
		Params: []string{"Ana", "RES1"}}))
}

func TestTemplatesWithDefaults(t *testing.T) {
	t.Parallel()
	got := templatesWithDefaults(map[string]string{EventFollowUp: "mi_plantilla", "unknown": "x", EventCancelled: ""})
	require.Len(t, got, len(DefaultTemplates))
	require.Equal(t, "mi_plantilla", got[EventFollowUp])
	require.Equal(t, DefaultTemplates[EventCancelled], got[EventCancelled])
	require.NotContains(t, got, "unknown")
}

func TestOwnerKey(t *testing.T) {
	t.Parallel()
	require.Empty(t, ownerKey(""))
	require.Equal(t, "owner:abc", ownerKey("abc"))
	require.Len(t, []rune(ownerKey(strings.Repeat("x", 100))), len("owner:")+64)
}
