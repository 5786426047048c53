package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/web/webtest"
)

func TestFeedsPage(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 10).Format("20060102")
	outD := s.Today().AddDate(0, 0, 12).Format("20060102")
	ch := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:r1\r\nDTSTART;VALUE=DATE:" + in +
			"\r\nDTEND;VALUE=DATE:" + outD + "\r\nSUMMARY:CLOSED - Not available\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	}))
	t.Cleanup(ch.Close)
	oe, op := s.User(t, "owner")
	owner := s.Login(t, oe, op)
	page := fmt.Sprintf("/admin/properties/%d/feeds", p.ID)

	r := owner.Get(page)
	require.Equal(t, 200, r.Status)
	body := string(r.Body)
	require.Contains(t, body, s.URL+"/ical/"+p.IcsToken+".ics", "the full export URL")
	require.Contains(t, body, "sin lo importado de Booking.com")
	require.Contains(t, body, "Todavía no importás ningún calendario")

	// A bad URL is refused beside its field, with what was typed kept.
	r = owner.PostForm(page, url.Values{"channel": {"booking"}, "url": {"ftp://x"}, "interval": {"10"}})
	require.Equal(t, 422, r.Status)
	require.Contains(t, string(r.Body), "tiene que empezar con https://")
	require.Contains(t, string(r.Body), `value="ftp://x"`)

	secret := ch.URL + "/ical/hotel.ics?t=supersecreto"
	r = owner.PostForm(page, url.Values{"channel": {"booking"}, "url": {secret}, "interval": {"15"}})
	require.Equal(t, 303, r.Status, string(r.Body))
	body = string(owner.Get(page).Body)
	require.Contains(t, body, "Calendario de Booking.com agregado")
	require.Contains(t, body, "Pendiente")
	require.NotContains(t, body, "supersecreto", "the feed URL is masked")

	// Staff may sync now but not add, remove or rotate.
	se, sp := s.User(t, "staff")
	staff := s.Login(t, se, sp)
	var fid int64
	require.NoError(t, s.Pool.QueryRow(t.Context(), `SELECT id FROM channel_feeds WHERE property_id = $1`, p.ID).Scan(&fid))
	r = staff.PostForm(fmt.Sprintf("%s/%d/sync", page, fid), nil)
	require.Equal(t, 303, r.Status, string(r.Body))
	body = html.UnescapeString(string(staff.Get(page).Body))
	require.Contains(t, body, "Booking.com: 1 eventos; 1 nuevos")
	require.Contains(t, body, "Al día")
	require.Contains(t, body, "hasta ~2 h")
	require.NotContains(t, body, "Agregar un calendario")
	require.Equal(t, 403, staff.PostForm(page, url.Values{"channel": {"booking"}, "url": {secret + "2"}}).Status)
	require.Equal(t, 403, staff.PostForm(page+"/rotate", nil).Status)
	require.Equal(t, 403, staff.PostForm(fmt.Sprintf("%s/%d/delete", page, fid), nil).Status)

	// Another account sees nothing of it.
	_, xe, xp := s.OtherAccount(t)
	other := s.Login(t, xe, xp)
	require.Equal(t, 404, other.Get(page).Status)
	require.Equal(t, 404, other.PostForm(fmt.Sprintf("%s/%d/sync", page, fid), nil).Status)

	// Rotating retires the old export URL.
	require.Equal(t, 303, owner.PostForm(page+"/rotate", nil).Status)
	require.Equal(t, 404, s.Do(t, "GET", "/ical/"+p.IcsToken+".ics", nil, nil).Status)
	body = string(owner.Get(page).Body)
	require.NotContains(t, body, p.IcsToken)

	// Removing the feed frees its future nights.
	require.Equal(t, 303, owner.PostForm(fmt.Sprintf("%s/%d/delete", page, fid), nil).Status)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM occupancy WHERE property_id = $1 AND kind = 'imported' AND active`, p.ID))
	require.True(t, strings.Contains(string(owner.Get(page).Body), "Todavía no importás"))
}

// TestFeedsPageReleasesOrphans: imported nights that no imported event
// points to (nothing else can free them) are shown on the feeds page, and the
// owner frees them from today on; past nights stay as history.
func TestFeedsPageReleasesOrphans(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	ctx := t.Context()
	today := s.Today()
	orphan := func(from, to int) int64 {
		var id int64
		require.NoError(t, s.Pool.QueryRow(ctx, `INSERT INTO occupancy (property_id, nights, kind, note)
			VALUES ($1, daterange($2::date, $3::date), 'imported', 'Airbnb · Reserva') RETURNING id`,
			p.ID, today.AddDate(0, 0, from), today.AddDate(0, 0, to)).Scan(&id))
		return id
	}
	future, running, past := orphan(10, 13), orphan(-2, 2), orphan(-9, -7)
	page := fmt.Sprintf("/admin/properties/%d/feeds", p.ID)
	release := page + "/orphans/release"

	se, sp := s.User(t, "staff")
	staff := s.Login(t, se, sp)
	body := html.UnescapeString(string(staff.Get(page).Body))
	require.Contains(t, body, "2 estadías importadas ya no corresponden a ningún calendario")
	require.Contains(t, body, "del "+today.AddDate(0, 0, 10).Format("02/01/2006")+" al "+today.AddDate(0, 0, 13).Format("02/01/2006"))
	require.NotContains(t, body, today.AddDate(0, 0, -9).Format("02/01/2006"), "past nights are history, not listed")
	require.NotContains(t, body, "Liberar esas noches", "staff cannot free them")
	require.Equal(t, 403, staff.PostForm(release, nil).Status)

	oe, op := s.User(t, "owner")
	owner := s.Login(t, oe, op)
	require.Contains(t, string(owner.Get(page).Body), "Liberar esas noches")
	r := owner.PostForm(release, nil)
	require.Equal(t, 303, r.Status, string(r.Body))
	body = html.UnescapeString(string(owner.Get(page).Body))
	require.Contains(t, body, "Liberamos las noches de 2 estadías importadas sin calendario.")
	require.NotContains(t, body, "ya no corresponden a ningún calendario")

	active := func(id int64) string {
		var nights string
		require.NoError(t, s.Pool.QueryRow(ctx, `SELECT CASE WHEN active THEN nights::text ELSE 'free' END FROM occupancy WHERE id = $1`, id).Scan(&nights))
		return nights
	}
	require.Equal(t, "free", active(future))
	require.Equal(t, "["+today.AddDate(0, 0, -2).Format("2006-01-02")+","+today.Format("2006-01-02")+")", active(running),
		"a stay in progress keeps its past nights")
	require.Equal(t, "["+today.AddDate(0, 0, -9).Format("2006-01-02")+","+today.AddDate(0, 0, -7).Format("2006-01-02")+")", active(past))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'ical_orphans_released' AND account_id = $1`, s.Account.ID))

	// Nothing left: a second release says so.
	require.Equal(t, 303, owner.PostForm(release, nil).Status)
	require.Contains(t, html.UnescapeString(string(owner.Get(page).Body)), "No había noches importadas sin calendario.")
}

// TestFeedsPageRemovalWaits: a feed whose only future stay vanishes keeps
// its nights until a second answer agrees, and the page says so.
func TestFeedsPageRemovalWaits(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 10).Format("20060102")
	outD := s.Today().AddDate(0, 0, 12).Format("20060102")
	var empty atomic.Bool
	ch := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if empty.Load() {
			return // Booking.com: an empty body is an empty calendar
		}
		_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:r1\r\nDTSTART;VALUE=DATE:" + in +
			"\r\nDTEND;VALUE=DATE:" + outD + "\r\nSUMMARY:CLOSED - Not available\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	}))
	t.Cleanup(ch.Close)
	oe, op := s.User(t, "owner")
	owner := s.Login(t, oe, op)
	page := fmt.Sprintf("/admin/properties/%d/feeds", p.ID)
	require.Equal(t, 303, owner.PostForm(page, url.Values{"channel": {"booking"}, "url": {ch.URL + "/b.ics"}, "interval": {"10"}}).Status)
	var fid int64
	require.NoError(t, s.Pool.QueryRow(t.Context(), `SELECT id FROM channel_feeds WHERE property_id = $1`, p.ID).Scan(&fid))
	syncNow := func() string {
		s.Clock.Advance(3 * time.Minute)
		r := owner.PostForm(fmt.Sprintf("%s/%d/sync", page, fid), nil)
		require.Equal(t, 303, r.Status, string(r.Body))
		return html.UnescapeString(string(owner.Get(page).Body))
	}
	blocked := func() int {
		return s.Count(t, `SELECT count(*) FROM occupancy WHERE property_id = $1 AND kind = 'imported' AND active`, p.ID)
	}
	require.Contains(t, syncNow(), "Booking.com: 1 eventos; 1 nuevos")
	empty.Store(true)
	body := syncNow()
	require.Contains(t, body, "Booking.com: 0 eventos; 0 nuevos, 0 movidos, 0 conflictos. El calendario perdió 1 de 1 eventos futuros")
	require.Contains(t, body, "Esperando confirmación")
	require.Equal(t, 1, blocked(), "one empty answer does not free the nights")
	body = syncNow()
	require.Contains(t, body, "Booking.com: 0 eventos; 0 nuevos, 0 movidos, 1 liberados")
	require.Contains(t, body, "Al día")
	require.Equal(t, 0, blocked())
}
