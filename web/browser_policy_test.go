package web_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// The owner opens the cancellation page, picks "Seña penitencial" (the
// preview and the tier rows follow it), saves; then a guest books with the
// box ticked (refused first without it) and reads the frozen terms on the
// guest page. At a phone's and a desktop's size, a screenshot of each state.
func TestBrowserCancellationPolicy(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	pen, _ := booking.Preset(booking.PresetPenitencial)
	for _, size := range abuseSizes {
		p := s.Property(t)
		path := policyPath(p.ID)
		b := abuseBrowser(t, size)
		abuseLogin(t, b, s, email, password, path, `#policy-form`)
		require.Contains(t, abuseText(t, b, `#policy-current`), "Moderada (versión 1)")
		abuseShot(t, b, size, "1-policy-"+size.name)

		require.NoError(t, chromedp.Do(b,
			chromedp.Click(`#preset-sena_penitencial`),
			chromedp.Poll[chromedp.Void](`document.querySelector('#policy-preview-text') &&
				document.querySelector('#policy-preview-text').textContent.startsWith('Seña penitencial')`),
			webtest.HTMXIdle(),
		))
		require.Equal(t, "0", abuseValue(t, b, `#f-tier-days-0`), "the rows follow the preset")
		require.Equal(t, "penitencial", abuseValue(t, b, `#f-sena`))
		require.NoError(t, chromedp.Do(b, chromedp.ScrollIntoView(`#policy-preview`)))
		abuseShot(t, b, size, "2-policy-picked-"+size.name)

		require.NoError(t, chromedp.Do(b,
			chromedp.Click(`#policy-save`),
			chromedp.WaitVisible(`.flash`),
		))
		require.Equal(t, "Seña penitencial (versión 2)", abuseText(t, b, `#policy-current`))
		abuseShot(t, b, size, "3-policy-saved-"+size.name)

		// A guest books: the cache heard the change a moment after the commit.
		in := s.Today().AddDate(0, 0, 30)
		q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))}, "guests": {"2"}}
		g := abuseBrowser(t, size)
		dbtest.Eventually(t, "the booking box shows the new terms", func() bool {
			_ = chromedp.Do(g, chromedp.Navigate(s.URL+"/p/"+p.Slug+"?"+q.Encode()), chromedp.WaitVisible(`#reservar`))
			return abuseJS(t, g, `document.querySelector('#terms-text').textContent.includes('Seña penitencial')`)
		})
		require.NoError(t, chromedp.Do(g,
			chromedp.SendKeys(`#guest_name`, "Lucía Fernández"),
			chromedp.SendKeys(`#guest_phone`, "11 5555-1234"),
			chromedp.Click(`#reservar`),
			chromedp.WaitVisible(`#accept_terms-error`),
			webtest.HTMXIdle(),
			chromedp.ScrollIntoView(`#condiciones`),
		))
		require.Equal(t, "Para reservar, leé las condiciones de cancelación y marcá «Leí y acepto».", abuseText(t, g, `#accept_terms-error`))
		require.Equal(t, "Lucía Fernández", abuseValue(t, g, `#guest_name`), "what was typed stays")
		require.Zero(t, s.Count(t, `SELECT count(*) FROM reservations WHERE property_id = $1`, p.ID))
		abuseShot(t, g, size, "4-booking-terms-refused-"+size.name)

		require.NoError(t, chromedp.Do(g,
			chromedp.Click(`#accept_terms`),
			chromedp.Click(`#reservar`),
			chromedp.WaitVisible(`#tiempo-restante`),
			chromedp.ScrollIntoView(`#condiciones`),
		))
		require.Contains(t, abuseText(t, g, `#condiciones`), pen.Text())
		require.Equal(t, "Todavía no pagaste nada: si cancelás hoy, no hay nada que devolver.", abuseText(t, g, `#terms-now`))
		abuseShot(t, g, size, "5-guest-page-terms-"+size.name)
		require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE property_id = $1 AND terms_accepted_at IS NOT NULL
			AND cancel_policy->>'preset' = 'sena_penitencial' AND (cancel_policy->>'version')::int = 2`, p.ID))
	}
}
