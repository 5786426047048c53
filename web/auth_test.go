package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/web/webtest"
)

func TestLoginLogoutAndSessionRevocation(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")

	anon := s.NewSession(t)
	r := anon.Get("/admin/reservations")
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Equal(t, "/login?next=%2Fadmin%2Freservations", r.Header.Get("Location"))

	bad := anon.PostForm("/login", url.Values{"email": {email}, "password": {"incorrecta-123"}})
	require.Equal(t, http.StatusUnauthorized, bad.Status)
	require.Contains(t, string(bad.Body), "Email o contraseña incorrectos.")
	require.Contains(t, string(bad.Body), `value="`+email+`"`, "the form keeps what was typed")

	se := anon
	ok := se.PostForm("/login", url.Values{"email": {strings.ToUpper(email)}, "password": {password}, "next": {"/admin/reservations"}})
	require.Equal(t, http.StatusSeeOther, ok.Status, string(ok.Body))
	require.Equal(t, "/admin/reservations", ok.Header.Get("Location"))
	cookie := ""
	for _, c := range ok.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "aloj_session=") {
			cookie = c
		}
	}
	require.Contains(t, cookie, "HttpOnly")
	require.Contains(t, cookie, "SameSite=Lax")
	require.NotEqual(t, http.StatusSeeOther, se.Get("/admin/").Status, "signed in")

	// An open redirect through ?next= is refused.
	other := s.NewSession(t)
	r = other.PostForm("/login", url.Values{"email": {email}, "password": {password}, "next": {"//evil.example/admin"}})
	require.Equal(t, "/admin/", r.Header.Get("Location"))

	// The session id changes at login (no fixation): the pre-login cookie is not the post-login one.
	u, _ := url.Parse(s.URL)
	before := ""
	for _, c := range se.Client.Jar.Cookies(u) {
		if c.Name == "aloj_session" {
			before = c.Value
		}
	}
	again := se.PostForm("/login", url.Values{"email": {email}, "password": {password}})
	require.Equal(t, http.StatusSeeOther, again.Status)
	after := ""
	for _, c := range se.Client.Jar.Cookies(u) {
		if c.Name == "aloj_session" {
			after = c.Value
		}
	}
	require.NotEqual(t, before, after)

	// Logout without the CSRF token is refused and changes nothing.
	require.Equal(t, http.StatusForbidden, se.PostFormNoCSRF("/logout", nil).Status)
	require.NotEqual(t, http.StatusSeeOther, se.Get("/admin/").Status)

	// A copy of the cookie taken before logout is worthless after it.
	stolen := s.NewSession(t)
	stolen.Client.Jar.SetCookies(u, []*http.Cookie{{Name: "aloj_session", Value: after, Path: "/"}})
	require.NotEqual(t, http.StatusSeeOther, stolen.Get("/admin/").Status)
	out := se.PostForm("/logout", nil)
	require.Equal(t, http.StatusSeeOther, out.Status)
	require.Equal(t, http.StatusSeeOther, stolen.Get("/admin/").Status, "revoked on the server, not just in the browser")
	require.Equal(t, http.StatusSeeOther, se.Get("/admin/").Status)
}

func TestLoginThrottledPerAccount(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	se := s.NewSession(t)
	for i := 0; i < 10; i++ {
		r := se.PostForm("/login", url.Values{"email": {email}, "password": {"mala-clave-" + string(rune('a'+i))}})
		require.Equal(t, http.StatusUnauthorized, r.Status)
	}
	r := se.PostForm("/login", url.Values{"email": {email}, "password": {password}})
	require.Equal(t, http.StatusTooManyRequests, r.Status, "even the right password waits once the account is throttled")
	require.Contains(t, string(r.Body), "Demasiados intentos de ingreso")
	require.NotEmpty(t, r.Header.Get("Retry-After"))
}
