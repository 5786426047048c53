package web_test

import (
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/web/webtest"
)

// In a real browser (which sends Sec-Fetch-Site and runs htmx under the CSP):
// invite a user, read the temporary password, sign in with it in a second
// browser, change it there, and stay signed in.
func TestBrowserUserInvitedChangesPassword(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	ctx := webtest.Browser(t, 1280, 900)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/login?next=%2Fadmin%2Fusers"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, email),
		chromedp.SendKeys(`#password`, password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#user-name`),
		chromedp.SendKeys(`#user-name`, "Rosa Benítez"),
		chromedp.SendKeys(`#user-email`, "no-es-un-email"),
		chromedp.Click(`.user-new button[type=submit]`),
		chromedp.WaitVisible(`#user-email-error`),
		webtest.HTMXIdle(),
	))
	webtest.Screenshot(t, ctx, "users-invalid-email")
	kept, err := chromedp.Run(ctx, chromedp.Value(`#user-name`))
	require.NoError(t, err)
	require.Equal(t, "Rosa Benítez", kept)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Clear(`#user-email`),
		chromedp.SendKeys(`#user-email`, "rosa@example.com"),
		chromedp.Click(`.user-new button[type=submit]`),
		chromedp.WaitVisible(`#temp-password`),
		webtest.HTMXIdle(),
	))
	webtest.Screenshot(t, ctx, "user-created")
	temp, err := chromedp.Run(ctx, chromedp.Text(`#temp-password`))
	require.NoError(t, err)
	require.Regexp(t, regexp.MustCompile(`^[a-z2-9]{4}(-[a-z2-9]{4}){3}$`), temp)

	rosa := webtest.Browser(t, 390, 844)
	require.NoError(t, chromedp.Do(rosa,
		chromedp.Navigate(s.URL+"/login?next=%2Fadmin%2Faccount"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, "rosa@example.com"),
		chromedp.SendKeys(`#password`, temp),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#password-current`),
		webtest.HTMXIdle(),
		chromedp.SendKeys(`#password-current`, temp),
		chromedp.SendKeys(`#password-new`, "mi-clave-propia-2027"),
		chromedp.SendKeys(`#password-repeat`, "mi-clave-propia-2027"),
		chromedp.Click(`.password-change button[type=submit]`),
		chromedp.WaitVisible(`.flash`),
	))
	webtest.Screenshot(t, rosa, "password-changed-phone")
	flash, err := chromedp.Run(rosa, chromedp.Text(`.flash`))
	require.NoError(t, err)
	require.Equal(t, "Contraseña cambiada. Cerramos las otras sesiones.", flash)

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.URL+"/admin/users"), chromedp.WaitVisible(`.user-list`)))
	webtest.Screenshot(t, ctx, "users-list")
	list, err := chromedp.Run(ctx, chromedp.Text(`.user-list`))
	require.NoError(t, err)
	require.Contains(t, list, "rosa@example.com")
	require.NotContains(t, list, "Nunca", "both have signed in")
}
