package web_test

// The guest reservation page's writes, generated from the route table: every
// POST under /r/:code is public and keyed by the guest token alone, so each
// one is checked for a wrong or missing token (404), a missing or foreign
// CSRF token (403), an oversized body (413) and the per-network rate limit
// (429), with the database unchanged by every refusal. A new route there
// fails TestSecurityGuestRouteTable until it is described below.

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/web/webtest"
)

// guestPost is how the suite sends a valid-looking request to one route.
type guestPost struct {
	form      url.Values
	multipart bool // a receipt upload: the file in field receipt
}

// guestPosts describes every POST route of the guest reservation page.
var guestPosts = map[string]guestPost{
	"/r/:code/pago/reintentar": {},
	"/r/:code/saldo":           {},
	"/r/:code/medio-de-pago":   {form: url.Values{"method": {"mercadopago"}}},
	"/r/:code/comprobantes":    {multipart: true},
	"/r/:code/cancelar":        {},
}

func TestSecurityGuestRouteTable(t *testing.T) {
	t.Parallel()
	n := 0
	for _, r := range serverRoutes(t) {
		if r.method == http.MethodPost && strings.HasPrefix(r.path, "/r/") {
			n++
			if _, ok := guestPosts[r.path]; !ok {
				t.Errorf("POST %s is not in guestPosts (web/security_guest_test.go): add it, so its token, CSRF, "+
					"body size and rate limit are checked", r.path)
			}
		}
	}
	require.Positive(t, n)
}

// sendGuest posts to a guest route: path with the given query, the CSRF
// token (empty: none) and any header.
func sendGuest(t *testing.T, s *webtest.Server, se *webtest.Session, path string, p guestPost, token string, header map[string]string) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	contentType := "application/x-www-form-urlencoded"
	form := url.Values{}
	for k, v := range p.form {
		form[k] = v
	}
	if token != "" {
		form.Set("_csrf", token)
	}
	if p.multipart {
		w := multipart.NewWriter(&body)
		for k, vs := range form {
			for _, v := range vs {
				require.NoError(t, w.WriteField(k, v))
			}
		}
		fw, err := w.CreateFormFile("receipt", "comprobante.png")
		require.NoError(t, err)
		_, _ = fw.Write(tinyPNG(t))
		require.NoError(t, w.Close())
		contentType = w.FormDataContentType()
	} else {
		body.WriteString(form.Encode())
	}
	req, err := http.NewRequest(http.MethodPost, s.URL+path, &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "text/html")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return se.Do(req)
}

func TestSecurityGuestReservationPosts(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p := transferCabin(t, s)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 5), s.Today().AddDate(0, 0, 8))
	other := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 10), s.Today().AddDate(0, 0, 12))
	guest, stranger := s.NewSession(t), s.NewSession(t)
	require.NotEqual(t, guest.CSRF(), stranger.CSRF())

	for route, gp := range guestPosts {
		t.Run(route, func(t *testing.T) {
			at := func(token string) string {
				return strings.Replace(route, ":code", r.Code, 1) + "?t=" + url.QueryEscape(token)
			}
			before := idorState(t, s)
			for name, path := range map[string]string{
				"no token":                    strings.Replace(route, ":code", r.Code, 1),
				"empty token":                 at(""),
				"made-up token":               at(strings.Repeat("a", 32)),
				"another reservation's token": at(other.GuestToken),
			} {
				resp := sendGuest(t, s, guest, path, gp, guest.CSRF(), nil)
				require.Equal(t, http.StatusNotFound, resp.Status, "%s: %.300s", name, resp.Body)
			}
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
				resp := sendGuest(t, s, guest, at(r.GuestToken), gp, c.token, c.header)
				require.Equal(t, http.StatusForbidden, resp.Status, "%s: %.300s", name, resp.Body)
			}
			hdr := map[string]string{"Cookie": "aloj_csrf=" + guest.CSRF(), "X-CSRF-Token": guest.CSRF()}
			ct := "application/x-www-form-urlencoded"
			if gp.multipart {
				ct = "multipart/form-data; boundary=x"
				require.Equal(t, http.StatusRequestEntityTooLarge, declaredBody(t, s, at(r.GuestToken), ct, 12<<20, hdr),
					"announced 12 MB: above a receipt's limit")
			}
			require.Equal(t, http.StatusRequestEntityTooLarge, declaredBody(t, s, at(r.GuestToken), ct, 1<<30, hdr),
				"announced 1 GB")
			require.Equal(t, before, idorState(t, s), "a refused request changes nothing")

			// The control: the same request with both tokens reaches the handler.
			resp := sendGuest(t, s, guest, at(r.GuestToken), gp, guest.CSRF(), nil)
			require.NotContains(t, []int{http.StatusForbidden, http.StatusNotFound}, resp.Status, "%.300s", resp.Body)
			require.Less(t, resp.Status, 500)
		})
	}
}

// Every guest write is counted per client network: past the limit, 429.
func TestSecurityGuestReservationPostsRateLimited(t *testing.T) {
	t.Parallel()
	for route, gp := range guestPosts {
		t.Run(route, func(t *testing.T) {
			t.Parallel()
			s := webtest.Start(t, webtest.Options{NoPropertyCache: true, RateLimit: 3})
			p := transferCabin(t, s)
			r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 5), s.Today().AddDate(0, 0, 8))
			se := s.NewSession(t)
			token := se.CSRF()
			path := strings.Replace(route, ":code", r.Code, 1) + "?t=" + url.QueryEscape(r.GuestToken)
			var last webtest.Response
			for range 4 {
				last = sendGuest(t, s, se, path, gp, token, nil)
			}
			require.Equal(t, http.StatusTooManyRequests, last.Status, "%.300s", last.Body)
			require.NotEmpty(t, last.Header.Get("Retry-After"))
			require.Contains(t, string(last.Body), "Demasiados pedidos seguidos")
		})
	}
}
