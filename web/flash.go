package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

const flashCookie = "aloj_flash"

// secureCookiesKey tells cookie writers whether the site is served over
// HTTPS (BASE_URL), so every cookie we set carries Secure there.
const secureCookiesKey = "secure_cookies"

// setFlash leaves a one-time message for the page the browser is redirected to.
func setFlash(c echo.Context, msg string) {
	secure, _ := c.Get(secureCookiesKey).(bool)
	// #nosec G124 -- HttpOnly and SameSite=Lax always; Secure whenever BASE_URL is https (TestSecurityCookies)
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: 60, Secure: secure})
}

func popFlash(c echo.Context) string {
	ck, err := c.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	secure, _ := c.Get(secureCookiesKey).(bool)
	// #nosec G124 -- a deletion; same attributes as setFlash
	c.SetCookie(&http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	msg, err := url.QueryUnescape(ck.Value)
	if err != nil || len(msg) > 300 {
		return ""
	}
	return msg
}
