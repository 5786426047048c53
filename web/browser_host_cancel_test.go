package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// The owner cancels a confirmed, paid stay as the host, at phone and
// desktop size: picking "Cancela el alojamiento" redraws what goes back
// (everything paid, and the seña once more under seña penitencial), the
// cancellation lists the refunds owed, and one click settles one.
func TestBrowserHostCancelsAPaidStay(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	for _, size := range abuseSizes {
		t.Run(size.name, func(t *testing.T) {
			r := hcStay(t, s, 30, hcPreset(t, booking.PresetPenitencial), money.FromUnits(6000))
			page := "/admin/reservations/" + r.Code
			ctx := abuseBrowser(t, size)
			abuseLogin(t, ctx, s, email, password, page, `#cancelar`)
			require.Equal(t, "$ 0,00", abuseText(t, ctx, `#cancel-computed`), "the guest asking loses the seña")

			require.NoError(t, chromedp.Do(ctx,
				chromedp.ScrollIntoView(`#cancelar`),
				chromedp.Click(`input[name=by][value=host]`),
				chromedp.WaitVisible(`#cancel-penalty`),
				webtest.HTMXIdle(),
			))
			require.Equal(t, "$ 6.000,00", abuseText(t, ctx, `#cancel-computed`))
			require.Contains(t, abuseText(t, ctx, `#cancel-penalty`), "$ 6.000,00")
			require.Equal(t, "$ 12.000,00", abuseText(t, ctx, `#cancel-owed`))
			require.Equal(t, "6.000", abuseValue(t, ctx, `#cancel-refund`))
			require.True(t, abuseJS(t, ctx, `document.querySelector('input[name=by][value=host]').checked`))
			abuseShot(t, ctx, size, "1-host-chosen")
			hcShot(t, ctx, `#cancelar`, "1-form")

			require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(`#cancel-reason`, "Se rompió la caldera")))
			submit(t, ctx, `#cancelar button[type=submit]`, `!!document.querySelector('.flash')`)
			require.Contains(t, abuseText(t, ctx, `.flash`), "Reserva cancelada. Sus noches quedaron libres.")
			require.Contains(t, abuseText(t, ctx, `#devoluciones`), "Seña penitencial (la seña una vez más)")
			require.Equal(t, booking.StatusCancelled, rvStatus(t, s, r.Code))
			require.NoError(t, chromedp.Do(ctx, chromedp.ScrollIntoView(`#devoluciones`)))
			abuseShot(t, ctx, size, "2-cancelled-refunds-owed")
			hcShot(t, ctx, `#devoluciones`, "2-refunds")

			submit(t, ctx, `#devoluciones .res-settle-form button`, `!!document.querySelector('.flash')`)
			require.Contains(t, abuseText(t, ctx, `.flash`), "quedó registrada como devuelta")
			require.Equal(t, []string{"host_cancel transfer done 6000.00", "penalty transfer owed 6000.00"},
				hcRefunds(t, s, r.ID))
			require.NoError(t, chromedp.Do(ctx, chromedp.ScrollIntoView(`#devoluciones`)))
			abuseShot(t, ctx, size, "3-one-settled")
			hcShot(t, ctx, `#devoluciones`, "3-refunds")
		})
	}
}

// hcShot saves a PNG of one element beside the full-page screenshots, to
// look at the part under test at its real size.
func hcShot(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(sel))
	require.NoError(t, err)
	dir := filepath.Join(os.TempDir(), "alojamientos-screenshots", strings.ReplaceAll(t.Name(), "/", "_"))
	require.NoError(t, os.MkdirAll(dir, 0o755))
	path := filepath.Join(dir, name+".png")
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("screenshot: %s", path)
}
