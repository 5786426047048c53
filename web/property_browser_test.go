package web_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// In a real browser (htmx under the CSP): typing a price in the edit form
// re-prices the preview before anything is saved; saving stores it; a bad
// season keeps what was typed beside its message.
func TestBrowserPropertyLivePreview(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	p := s.Property(t) // 10.000 a night, no weekend price, no fees
	ctx := webtest.Browser(t, 1280, 1000)
	edit := fmt.Sprintf("%s/admin/properties/%d/edit", s.URL, p.ID)
	totalIs := func(want string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](fmt.Sprintf(
			`(document.querySelector('#preview-total') || {}).textContent === %q`, want),
			chromedp.WithPollingTimeout(10*time.Second))
	}

	// chromedp.Clear only resets the value attribute, which a field the user typed in ignores.
	propClear := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, sel))
	}

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/login?next="+fmt.Sprintf("%%2Fadmin%%2Fproperties%%2F%d%%2Fedit", p.ID)),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, email),
		chromedp.SendKeys(`#password`, password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#preview-total`),
		totalIs("$ 30.000,00"), // three nights at the saved price
		propClear(`#f-base_price`),
		chromedp.SendKeys(`#f-base_price`, "20.000,50"),
		totalIs("$ 60.001,50"),
		propClear(`#p-nights`),
		chromedp.SendKeys(`#p-nights`, "2"),
		totalIs("$ 40.001,00"),
	))
	webtest.Screenshot(t, ctx, "preview-typed")
	require.Equal(t, money.FromUnits(10000), propRow(t, s, p.ID).BasePrice, "typing saves nothing")

	// A typed rule that forbids the stay says why, and goes away when fixed.
	require.NoError(t, chromedp.Do(ctx,
		propClear(`#f-min_nights`),
		chromedp.SendKeys(`#f-min_nights`, "4"),
		chromedp.Poll[chromedp.Void](`(document.querySelector('#preview-result') || {}).textContent.includes('La estadía mínima para esas fechas es de 4 noches.')`,
			chromedp.WithPollingTimeout(10*time.Second)),
		propClear(`#f-min_nights`),
		chromedp.SendKeys(`#f-min_nights`, "1"),
		totalIs("$ 40.001,00"),
		chromedp.Click(`#property-form button[type=submit]`),
		chromedp.WaitVisible(`.flash`),
	))
	flash, err := chromedp.Run(ctx, chromedp.Text(`.flash`))
	require.NoError(t, err)
	require.Contains(t, flash, "Guardaste los cambios")
	require.Equal(t, money.Money(2_000_050), propRow(t, s, p.ID).BasePrice)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(edit),
		chromedp.WaitVisible(`#snueva-name`),
		chromedp.SendKeys(`#snueva-name`, "Invierno"),
		chromedp.SendKeys(`#snueva-nightly_price`, "cara"),
		chromedp.Click(`.season.new button[type=submit]`),
		chromedp.WaitVisible(`#snueva-nightly_price-error`),
	))
	webtest.Screenshot(t, ctx, "season-error")
	kept, err := chromedp.Run(ctx, chromedp.Value(`#snueva-name`))
	require.NoError(t, err)
	require.Equal(t, "Invierno", kept)
}
