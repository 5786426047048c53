package web_test

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/web/webtest"
)

// The owner's Cobros page in chromium at a phone's and a desktop's size: a
// CBU with a wrong check digit is refused beside its field with what was
// typed kept, and the corrected account is saved. A screenshot of each state.
func TestBrowserPropertyPaymentsPage(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	for _, size := range []abuseSize{{"phone", phoneW, phoneH}, {"desktop", 1280, 900}} {
		p := s.Property(t, dbtest.Priced("USD"))
		path := "/admin/properties/" + strconv.FormatInt(p.ID, 10) + "/cobros"
		b := abuseBrowser(t, size)
		abuseLogin(t, b, s, email, password, path, `#payments-form`)
		abuseShot(t, b, size, "cobros-"+size.name)
		require.NoError(t, chromedp.Do(b,
			chromedp.Click(`#f-pay_transfer`),
			chromedp.SendKeys(`#f-transfer_cbu`, "0340001200000123456780"), // wrong second check digit
			chromedp.SendKeys(`#f-transfer_alias`, "cabana.bosque"),
			chromedp.SendKeys(`#f-transfer_holder`, "Ana Pérez"),
			chromedp.Click(`#payments-form button[type=submit]`),
			chromedp.WaitVisible(`#f-transfer_cbu[aria-invalid=true]`),
			chromedp.ScrollIntoView(`#transferencia`),
		))
		require.Contains(t, abuseText(t, b, `#transferencia`), "CBU")
		require.Equal(t, "cabana.bosque", abuseValue(t, b, `#f-transfer_alias`), "what was typed is kept")
		abuseShot(t, b, size, "cobros-error-"+size.name)

		require.NoError(t, chromedp.Do(b,
			chromedp.SetValue(`#f-transfer_cbu`, "0340001200000123456784"),
			chromedp.Click(`#payments-form button[type=submit]`),
			chromedp.WaitNotPresent(`[aria-invalid=true]`),
		))
		abuseShot(t, b, size, "cobros-saved-"+size.name)
		require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND pay_transfer
			AND transfer_cbu = '0340001200000123456784' AND transfer_alias = 'cabana.bosque'`, p.ID))
	}
}
