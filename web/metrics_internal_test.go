package web

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/mercadopago"
	"alojamientos/internal/whatsapp"
)

// Every result counted in webhook_events_total with a literal is in
// webhookResults, so it is listed at 0 before its first event.
func TestWebhookResultsListed(t *testing.T) {
	t.Parallel()
	counted := regexp.MustCompile(`WebhookEvents\.WithLabelValues\((?:(mercadopago|whatsapp)\.)?Provider, "([a-z_]+)"\)`)
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, dir := range []string{"../internal/mercadopago", "../internal/whatsapp"} {
		more, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		files = append(files, more...)
	}
	found := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range counted.FindAllStringSubmatch(string(b), -1) {
			provider := m[1]
			if provider == "" { // inside the provider's own package
				provider = filepath.Base(filepath.Dir(f))
			}
			found++
			require.Contains(t, []string{mercadopago.Provider, whatsapp.Provider}, provider, f)
			require.True(t, slices.Contains(webhookResults[provider], m[2]),
				"%s counts webhook_events_total{provider=%q,result=%q}: add it to webhookResults", f, provider, m[2])
		}
	}
	require.GreaterOrEqual(t, found, 10, "the pattern still finds the counters")
}
