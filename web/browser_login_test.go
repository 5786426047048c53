package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/web/webtest"
)

func TestBrowserLoginShowsErrorsThenSignsIn(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	ctx := webtest.Browser(t, 1280, 900)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/admin/"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, email),
		chromedp.SendKeys(`#password`, "no-es-la-clave"),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#login-error`),
	))
	errText, err := chromedp.Run(ctx, chromedp.Text(`#login-error`))
	require.NoError(t, err)
	require.Equal(t, "Email o contraseña incorrectos.", errText)
	webtest.Screenshot(t, ctx, "login-error")

	kept, err := chromedp.Run(ctx, chromedp.Value(`#email`))
	require.NoError(t, err)
	require.Equal(t, email, kept, "the email typed is kept")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(`#password`, password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`header.topbar`),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	require.Equal(t, s.URL+"/admin/", loc, "signed in and sent to the dashboard")
	brand, err := chromedp.Run(ctx, chromedp.Text(`header.topbar .brand`))
	require.NoError(t, err)
	require.Equal(t, s.Account.Name, brand)
	webtest.Screenshot(t, ctx, "home")
}
