package webtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"alojamientos/db/dbtest"
	"alojamientos/internal/auth"
)

// User creates a dashboard user in the server's account and returns its
// email and password. role is "owner" or "staff".
func (s *Server) User(t testing.TB, role string) (string, string) {
	t.Helper()
	email := fmt.Sprintf("%s-%d@example.com", role, nextID())
	password := "clave-de-prueba-123"
	if _, err := auth.CreateUser(context.Background(), s.Pool, auth.NewUser{AccountID: s.Account.ID, Email: email,
		Name: "Usuario " + role, Password: password, Role: role}); err != nil {
		t.Fatalf("webtest: user: %v", err)
	}
	return email, password
}

// OtherAccount creates a second account with an owner, for isolation tests.
func (s *Server) OtherAccount(t testing.TB) (accountID int64, email, password string) {
	t.Helper()
	acc := dbtest.Account(t, s.Pool)
	email = fmt.Sprintf("otra-%d@example.com", nextID())
	password = "clave-de-prueba-123"
	if _, err := auth.CreateUser(context.Background(), s.Pool, auth.NewUser{AccountID: acc.ID, Email: email,
		Password: password, Role: "owner"}); err != nil {
		t.Fatal(err)
	}
	return acc.ID, email, password
}

// Session is a browser-like client: a cookie jar, no automatic redirects,
// and the CSRF token added to every form it posts.
type Session struct {
	t      testing.TB
	s      *Server
	Client *http.Client
}

// NewSession returns a client with an empty cookie jar.
func (s *Server) NewSession(t testing.TB) *Session {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Session{t: t, s: s, Client: &http.Client{Jar: jar, Transport: s.Client.Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Login signs in and fails the test unless the login page redirects.
func (s *Server) Login(t testing.TB, email, password string) *Session {
	t.Helper()
	se := s.NewSession(t)
	r := se.PostForm("/login", url.Values{"email": {email}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("webtest: login as %s: %d %s", email, r.Status, r.Body)
	}
	return se
}

// CSRF returns the token the server set in its cookie, fetching the login
// page first if there is none yet.
func (se *Session) CSRF() string {
	u, _ := url.Parse(se.s.URL)
	for _, c := range se.Client.Jar.Cookies(u) {
		if c.Name == "aloj_csrf" {
			return c.Value
		}
	}
	se.Get("/login")
	for _, c := range se.Client.Jar.Cookies(u) {
		if c.Name == "aloj_csrf" {
			return c.Value
		}
	}
	se.t.Fatal("webtest: no CSRF cookie")
	return ""
}

// Get fetches path.
func (se *Session) Get(path string) Response {
	se.t.Helper()
	return se.do(http.MethodGet, path, nil, "")
}

// PostForm posts form with the CSRF token.
func (se *Session) PostForm(path string, form url.Values) Response {
	se.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" {
		form.Set("_csrf", se.CSRF())
	}
	return se.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// PostFormNoCSRF posts form exactly as given, to test the CSRF check.
func (se *Session) PostFormNoCSRF(path string, form url.Values) Response {
	se.t.Helper()
	return se.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// Do sends any request with the session's cookies.
func (se *Session) Do(req *http.Request) Response {
	se.t.Helper()
	resp, err := se.Client.Do(req)
	if err != nil {
		se.t.Fatalf("webtest: %s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		se.t.Fatal(err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func (se *Session) do(method, path string, body io.Reader, contentType string) Response {
	se.t.Helper()
	req, err := http.NewRequest(method, se.s.URL+path, body)
	if err != nil {
		se.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "text/html")
	return se.Do(req)
}

// On is the same browser talking to another instance: cookies are kept per
// host, not per port, exactly as a load balancer's clients see them.
func (se *Session) On(other *Server) *Session {
	return &Session{t: se.t, s: other, Client: se.Client}
}
