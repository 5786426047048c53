package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/web/webtest"
)

// Handlers return what the domain says (db.ErrNotFound, booking.ErrNotFound,
// auth.ErrNoUser, a malformed id) and web/errors.go answers it: the same 404
// page for a browser, the same JSON for the API, whichever handler it was.
func TestNotFoundAnsweredInOnePlace(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	prop := s.Property(t)
	email, password := s.User(t, "owner")
	owner := s.Login(t, email, password)
	guest := s.NewSession(t)
	r := s.Hold(t, prop.ID, s.Today().AddDate(0, 0, 10), s.Today().AddDate(0, 0, 12))

	pages := []struct {
		se   *webtest.Session
		path string
	}{
		{guest, "/r/RES000000000000?t=x"},                                                    // booking.ErrNotFound
		{guest, "/r/" + r.Code + "?t=wrong"},                                                 // a wrong token is the same 404
		{guest, "/p/no-such-property"},                                                       // db.ErrNotFound
		{guest, "/a/no-such-account"},                                                        // db.ErrNotFound
		{guest, "/ical/" + "0123456789abcdef.ics"},                                           // ical.ErrNotFound
		{guest, "/media/0123456789abcdef0123456789abcdef.jpg"},                               // media.ErrNotFound
		{owner, "/admin/reservations/RES000000000000"},                                       // db.ErrNotFound
		{owner, "/admin/properties/abc/edit"},                                                // a malformed id
		{owner, "/admin/properties/999999999/edit"},                                          // db.ErrNotFound
		{owner, "/admin/whatsapp/999999999"},                                                 // db.ErrNotFound
		{owner, "/admin/calendar?block=999999999"},                                           // booking.ErrNotFound
		{owner, "/admin/properties/" + strconv.FormatInt(prop.ID, 10) + "/calendar?block=x"}, // a malformed id
	}
	for _, p := range pages {
		resp := p.se.Get(p.path)
		require.Equal(t, http.StatusNotFound, resp.Status, p.path)
		require.Contains(t, resp.Header.Get("Content-Type"), "text/html", p.path)
		require.Contains(t, string(resp.Body), "No encontramos esta página.", p.path)
	}

	resp := owner.PostForm("/admin/users/999999999/delete", url.Values{}) // auth.ErrNoUser
	require.Equal(t, http.StatusNotFound, resp.Status)
	require.Contains(t, string(resp.Body), "No encontramos esta página.")

	for _, path := range []string{
		"/api/v1/reservations/RES000000000000?t=x",
		"/api/v1/reservations/" + r.Code + "?t=wrong",
		"/api/v1/properties/999999999/availability",
		"/api/v1/properties/abc/quote",
	} {
		resp := s.Do(t, http.MethodGet, path, nil, map[string]string{"Accept": "text/html"})
		require.Equal(t, http.StatusNotFound, resp.Status, path)
		require.Contains(t, resp.Header.Get("Content-Type"), "application/json", path)
		require.JSONEq(t, `{"error":"not_found"}`, string(resp.Body), path)
	}
}
