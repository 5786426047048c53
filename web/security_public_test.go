package web_test

// The public writes outside the guest reservation page, generated from the
// route table: every anonymous POST that is not the dashboard (/admin,
// /login, /logout: security_test.go), the JSON API, a webhook, or a guest
// reservation page write (/r/: security_guest_test.go) is described below
// and checked for a missing or foreign CSRF token (403), an oversized body
// (413), the per-network rate limit (429), the database unchanged by every
// refusal, and, where the form names a reservation, nothing of the stay in
// the answer. A new route fails TestSecurityPublicRouteTable until it is
// described here.

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// publicPost is how the suite sends a valid-looking request to one route.
type publicPost struct {
	// form builds the fields for a property and a held reservation.
	form func(p dbq.Property, r booking.Reservation, s *webtest.Server) url.Values
	// bodyMax is the route's own body limit, in bytes (0: the server's 16 MB).
	bodyMax int
	// namesStay: the form names a reservation; its answer must tell nothing of it.
	namesStay bool
}

// publicPosts describes every anonymous POST outside /admin, /api, /webhooks and /r/.
var publicPosts = map[string]publicPost{
	"/p/:slug/hold": {form: func(p dbq.Property, _ booking.Reservation, s *webtest.Server) url.Values {
		return url.Values{"check_in": {booking.FormatDate(s.Today().AddDate(0, 0, 40))},
			"check_out": {booking.FormatDate(s.Today().AddDate(0, 0, 42))}, "guests": {"2"},
			"guest_name": {"Ana Pérez"}, "guest_phone": {"+5491155550001"}}
	}},
	// The withdrawal button: the real code with another phone, the request
	// of someone who has only the code.
	"/arrepentimiento": {bodyMax: 4 << 10, namesStay: true,
		form: func(_ dbq.Property, r booking.Reservation, _ *webtest.Server) url.Values {
			return url.Values{"code": {r.Code}, "contact": {"+5491155559999"}}
		}},
}

func TestSecurityPublicRouteTable(t *testing.T) {
	t.Parallel()
	n := 0
	for _, r := range serverRoutes(t) {
		if r.method != http.MethodPost {
			continue
		}
		switch {
		case strings.HasPrefix(r.path, "/admin"), strings.HasPrefix(r.path, "/api/"), strings.HasPrefix(r.path, "/webhooks/"),
			strings.HasPrefix(r.path, "/r/"), r.path == "/login", r.path == "/logout":
			continue
		}
		n++
		if _, ok := publicPosts[r.path]; !ok {
			t.Errorf("POST %s is public and not in publicPosts (web/security_public_test.go): add it, so its CSRF, "+
				"body size, rate limit and answers are checked", r.path)
		}
	}
	require.Positive(t, n)
	for path := range publicPosts {
		found := false
		for _, r := range serverRoutes(t) {
			found = found || (r.method == http.MethodPost && r.path == path)
		}
		require.True(t, found, "publicPosts names %s, which the server no longer declares", path)
	}
}

// publicPath fills a public route's parameters.
func publicPath(route string, p dbq.Property) string {
	return strings.Replace(route, ":slug", p.Slug, 1)
}

// stayWords are what an answer must not show of a reservation to someone
// who has only its code.
func stayWords(p dbq.Property, r booking.Reservation) []string {
	return []string{p.Name, r.GuestName, r.GuestToken, r.GuestPhone, strings.TrimPrefix(r.GuestPhone, "+549"), booking.FormatDate(r.CheckIn),
		r.Total.String(), "Reserva pendiente", "pendiente de seña", "confirmada"}
}

func TestSecurityPublicPosts(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p := s.Property(t)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 5), s.Today().AddDate(0, 0, 8))
	for route, pp := range publicPosts {
		t.Run(route, func(t *testing.T) {
			guest, stranger := s.NewSession(t), s.NewSession(t)
			path, form := publicPath(route, p), pp.form(p, r, s)
			before := idorState(t, s)
			evil := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
			for name, c := range map[string]struct {
				token  string
				header map[string]string
			}{
				"no CSRF token":           {},
				"a made-up CSRF token":    {token: strings.Repeat("z", 32)},
				"another browser's token": {token: stranger.CSRF()},
				"cross-site with a token": {token: guest.CSRF(), header: evil},
			} {
				resp := sendGuest(t, s, guest, path, guestPost{form: form}, c.token, c.header)
				require.Equal(t, http.StatusForbidden, resp.Status, "%s: %.300s", name, resp.Body)
				if pp.namesStay {
					for _, w := range stayWords(p, r) {
						require.NotContains(t, string(resp.Body), w, name)
					}
				}
			}
			hdr := map[string]string{"Cookie": "aloj_csrf=" + guest.CSRF(), "X-CSRF-Token": guest.CSRF()}
			ct := "application/x-www-form-urlencoded"
			require.Equal(t, http.StatusRequestEntityTooLarge, declaredBody(t, s, path, ct, 1<<30, hdr), "announced 1 GB")
			if pp.bodyMax > 0 {
				// One byte over its own limit, sent whole (a small body the
				// server would read anyway).
				over, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(strings.Repeat("a", pp.bodyMax+1)))
				require.NoError(t, err)
				over.Header.Set("Content-Type", ct)
				for k, v := range hdr {
					over.Header.Set(k, v)
				}
				require.Equal(t, http.StatusRequestEntityTooLarge, s.NewSession(t).Do(over).Status, "one byte over its own limit")
				// Streamed past the limit: cut, never stored.
				big := with(form, "_csrf", guest.CSRF())
				big.Set("contact", strings.Repeat("1", pp.bodyMax))
				req, err := http.NewRequest(http.MethodPost, s.URL+path, bytes.NewBufferString(big.Encode()))
				require.NoError(t, err)
				req.ContentLength = -1
				req.Header.Set("Content-Type", ct)
				req.Header.Set("Accept", "text/html")
				require.Contains(t, []int{http.StatusRequestEntityTooLarge, http.StatusForbidden}, guest.Do(req).Status)
			}
			require.Equal(t, before, idorState(t, s), "a refused request changes nothing")

			// The control: the same request with the token reaches the handler.
			resp := sendGuest(t, s, guest, path, guestPost{form: form}, guest.CSRF(), nil)
			require.NotContains(t, []int{http.StatusForbidden, http.StatusNotFound}, resp.Status, "%.300s", resp.Body)
			require.Less(t, resp.Status, 500)
			if pp.namesStay {
				require.Equal(t, http.StatusUnprocessableEntity, resp.Status, "the code alone is not enough")
				for _, w := range stayWords(p, r) {
					require.NotContains(t, string(resp.Body), w, "the code alone reveals nothing of the stay")
				}
				require.Equal(t, before, idorState(t, s), "…and changes nothing")
			}
		})
	}
}

// Every public write is counted per client network: past the limit, 429.
func TestSecurityPublicPostsRateLimited(t *testing.T) {
	t.Parallel()
	for route, pp := range publicPosts {
		t.Run(route, func(t *testing.T) {
			t.Parallel()
			s := webtest.Start(t, webtest.Options{NoPropertyCache: true, RateLimit: 3})
			p := s.Property(t)
			r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 5), s.Today().AddDate(0, 0, 8))
			se := s.NewSession(t)
			token := se.CSRF()
			var last webtest.Response
			for range 4 {
				last = sendGuest(t, s, se, publicPath(route, p), guestPost{form: pp.form(p, r, s)}, token, nil)
			}
			require.Equal(t, http.StatusTooManyRequests, last.Status, "%.300s", last.Body)
			require.NotEmpty(t, last.Header.Get("Retry-After"))
			require.Contains(t, string(last.Body), "Demasiados pedidos seguidos")
		})
	}
}
