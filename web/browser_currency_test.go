package web_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// A guest on a phone sees a cabin priced in dollars in dollars, from the
// price tag to the hold, with the pesos beside them at the rate of the day
// (the quote) and at the rate the hold locked (the reservation page).
func TestBrowserUSDPropertyOnAPhone(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := usdCabin(t, s)
	setRate(t, s, 11_855_000) // $ 1.185,50
	in := s.Today().AddDate(0, 0, 6)
	q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 3))}, "guests": {"2"}}
	phone := abuseSize{"phone", phoneW, phoneH}
	ctx := abuseBrowser(t, phone)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/p/"+p.Slug+"?"+q.Encode()),
		chromedp.WaitVisible(`#quote-total`),
	))
	require.Equal(t, "US$ 120,00", abuseText(t, ctx, `.price strong`))
	require.Equal(t, "US$ 385,00", abuseText(t, ctx, `#quote-total`)) // 3 × 120 + 25 cleaning
	require.Equal(t, "US$ 115,50", abuseText(t, ctx, `#quote-deposit`))
	require.Contains(t, abuseText(t, ctx, `#quote-total-ars`), "≈ $ 456.418 (cotización 1 USD = $ 1.185,50")
	require.True(t, abuseJS(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`), "no sideways scroll")
	abuseShot(t, ctx, phone, "1-quote-usd")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(`#guest_name`, "John Miller"),
		chromedp.SendKeys(`#guest_phone`, "+1 415 555 0134"),
		chromedp.Click(`#accept_terms`),
		chromedp.Click(`#reservar`),
		chromedp.WaitVisible(`#tiempo-restante`),
	))
	abuseShot(t, ctx, phone, "2-reservation-usd")
	require.Contains(t, abuseText(t, ctx, `dl.summary`), "US$ 385,00")
	require.Contains(t, abuseText(t, ctx, `#contacto`), "US$ 115,50")
	require.Contains(t, abuseText(t, ctx, `#total-ars`), "≈ $ 456.418 (cotización 1 USD = $ 1.185,50")

	// The owner's form says which currency the prices are in.
	owner := abuseBrowser(t, phone)
	email, password := s.User(t, "owner")
	abuseLogin(t, owner, s, email, password, fmt.Sprintf("/admin/properties/%d/edit", p.ID), `#f-currency`)
	require.Equal(t, "USD", abuseValue(t, owner, `#f-currency`))
	require.NoError(t, chromedp.Do(owner, chromedp.ScrollIntoView(`#f-currency`)))
	require.Equal(t, "US$", abuseText(t, owner, `#f-base_price ~ span, .money span`))
	abuseShot(t, owner, phone, "3-owner-form-usd")
	require.NoError(t, chromedp.Do(owner, chromedp.Navigate(s.URL+"/admin/properties"), chromedp.WaitVisible(`main`)))
	require.Contains(t, abuseText(t, owner, `main`), "US$ 120,00")
	abuseShot(t, owner, phone, "4-owner-list-usd")
}
