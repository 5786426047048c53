package booking

import (
	"net/url"
	"strings"
)

// GuestPath is the one way a guest's link is built: the reservation page
// /r/<code>?t=<token>, or one of its sub-pages (GuestPath(code, token,
// "pago", "reintentar") is /r/<code>/pago/reintentar?t=<token>). The code
// and the token are escaped; sub segments are ours and written as given.
func GuestPath(code, token string, sub ...string) string {
	p := "/r/" + url.PathEscape(code)
	if len(sub) > 0 {
		p += "/" + strings.Join(sub, "/")
	}
	return p + "?t=" + url.QueryEscape(token)
}

// GuestURL is GuestPath under the site's base URL (e.g.
// "https://alojamientos.example"), for links that leave the site: WhatsApp
// messages and Mercado Pago's return addresses.
func GuestURL(baseURL, code, token string, sub ...string) string {
	return strings.TrimSuffix(baseURL, "/") + GuestPath(code, token, sub...)
}
