package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/web/webtest"
)

// TestBrowserWithdrawalFromTheFooter: a visitor on a guest page, without the
// reservation's token, follows "Botón de arrepentimiento" in the footer,
// types the code with a phone that is not the booking's (the one generic
// answer, what was typed kept), then the right phone as people write it, and
// gets a withdrawal code at once. At a phone's size and at a desktop's.
func TestBrowserWithdrawalFromTheFooter(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	for i, size := range abuseSizes {
		t.Run(size.name, func(t *testing.T) {
			ci := s.Today().AddDate(0, 0, 30+5*i)
			r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 3)) // phone +54 9 11 5555-1234
			ctx := abuseBrowser(t, size)
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Navigate(s.URL+"/p/"+p.Slug),
				chromedp.WaitVisible(`footer .withdraw-link`),
				chromedp.ScrollIntoView(`footer .withdraw-link`),
			))
			require.Equal(t, "Botón de arrepentimiento", abuseText(t, ctx, `footer .withdraw-link`))
			abuseShot(t, ctx, size, "1-pagina-con-el-boton")
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Click(`footer .withdraw-link`),
				chromedp.WaitVisible(`#w-code`),
			))
			require.Contains(t, abuseText(t, ctx, `.withdraw-rights`), "10 días corridos")
			require.False(t, abuseJS(t, ctx, `!!document.querySelector('input[type=password]')`), "no sign-in")
			abuseShot(t, ctx, size, "2-formulario")

			require.NoError(t, chromedp.Do(ctx,
				chromedp.SendKeys(`#w-code`, r.Code),
				chromedp.SendKeys(`#w-contact`, "11 4444-0000"),
				chromedp.Click(`#arrepentirme`),
				chromedp.WaitVisible(`#withdraw-problem`),
			))
			require.Contains(t, abuseText(t, ctx, `#withdraw-problem`), "No encontramos una reserva con ese código y ese teléfono o e-mail")
			require.Equal(t, r.Code, abuseValue(t, ctx, `#w-code`), "what was typed stays")
			abuseShot(t, ctx, size, "3-no-coincide")

			require.NoError(t, chromedp.Do(ctx,
				abuseClear(`#w-contact`),
				chromedp.SendKeys(`#w-contact`, "011 15 5555-1234"),
				chromedp.Click(`#arrepentirme`),
				chromedp.WaitVisible(`#codigo-arrepentimiento`),
			))
			code := abuseText(t, ctx, `#codigo-arrepentimiento`)
			require.Regexp(t, `^ARR-[2-9A-HJ-NP-Z]{8}$`, code)
			require.Contains(t, abuseText(t, ctx, `.withdraw-done`), "Listo: tu reserva quedó cancelada")
			require.Contains(t, abuseText(t, ctx, `.withdraw-done`), "No hay dinero para devolver")
			require.NotContains(t, abuseText(t, ctx, `main`), p.Name, "nothing about the stay")
			abuseShot(t, ctx, size, "4-codigo")
			require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM withdrawals WHERE reservation_id = $1 AND code = $2", r.ID, code))
			require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM reservations WHERE id = $1 AND status = 'cancelled'", r.ID))
		})
	}
}
