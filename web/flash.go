package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

const flashCookie = "aloj_flash"

// setFlash leaves a one-time message for the page the browser is redirected to.
func setFlash(c echo.Context, msg string) {
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func popFlash(c echo.Context) string {
	ck, err := c.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1})
	msg, err := url.QueryUnescape(ck.Value)
	if err != nil || len(msg) > 300 {
		return ""
	}
	return msg
}
