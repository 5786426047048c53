package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// calOwner starts a server and signs in its owner.
func calOwner(t *testing.T) (*webtest.Server, *webtest.Session) {
	t.Helper()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	return s, s.Login(t, email, password)
}

// calHold places a hold for guest through the booking core.
func calHold(t *testing.T, s *webtest.Server, propertyID int64, in, out time.Time, guest string) booking.Reservation {
	t.Helper()
	h, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{
		PropertyID: propertyID, CheckIn: booking.FormatDate(in), CheckOut: booking.FormatDate(out), Guests: 2,
		GuestName: guest, GuestPhone: "+5491155551234", Channel: "direct", Actor: "test",
	})
	require.NoError(t, err)
	return h.Reservation
}

// calStay places a hold and confirms it.
func calStay(t *testing.T, s *webtest.Server, propertyID int64, in, out time.Time, guest string) booking.Reservation {
	t.Helper()
	r := calHold(t, s, propertyID, in, out, guest)
	r, err := s.Booking.Transition(context.Background(), r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	return r
}

// calCell finds the grid cell of a property that starts at date and returns
// its classes, attributes and content; ok is false when no cell starts there.
func calCell(body []byte, propertyID int64, date time.Time) (class, attrs, inner string, ok bool) {
	re := regexp.MustCompile(`(?s)<td class="([^"]*)" data-property="` + strconv.FormatInt(propertyID, 10) +
		`" data-date="` + booking.FormatDate(date) + `"([^>]*)>(.*?)</td>`)
	m := re.FindSubmatch(body)
	if m == nil {
		return "", "", "", false
	}
	return string(m[1]), string(m[2]), string(m[3]), true
}

func calMonthOf(d time.Time) string { return d.Format("2006-01") }

// calGetHTMX fetches path as htmx would.
func calGetHTMX(t *testing.T, s *webtest.Server, se *webtest.Session, path string, header map[string]string) webtest.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/html")
	req.Header.Set("HX-Request", "true")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return se.Do(req)
}

func TestCalendarGridShowsStaysHoldsAndBlocks(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 3)
	stay := calStay(t, s, p.ID, in, in.AddDate(0, 0, 3), "Marta Gómez")
	hold := calHold(t, s, p.ID, in.AddDate(0, 0, 3), in.AddDate(0, 0, 5), "Raúl Díaz")
	s.Clock.Advance(18 * time.Minute) // holds last 30 minutes
	blockIn := in.AddDate(0, 0, 6)
	r := se.PostForm("/admin/blocks", calBlockForm(p.ID, blockIn, blockIn.AddDate(0, 0, 2), "Pintura"))
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))

	r = se.Get("/admin/calendar?month=" + calMonthOf(in) + "&months=3")
	require.Equal(t, http.StatusOK, r.Status)
	body := r.Body

	class, attrs, inner, ok := calCell(body, p.ID, in)
	require.True(t, ok, "a cell starts at the stay's check-in")
	require.Contains(t, class, "e-stay")
	require.Contains(t, class, "st-confirmed")
	require.Contains(t, attrs, `data-kind="stay"`)
	require.Contains(t, attrs, `colspan="3"`, "a three-night stay is one bar")
	require.Contains(t, inner, "Marta Gómez")
	require.Contains(t, inner, `href="/admin/reservations/`+stay.Code+`"`)
	for i := 1; i < 3; i++ {
		_, _, _, ok := calCell(body, p.ID, in.AddDate(0, 0, i))
		require.False(t, ok, "the stay's other nights are part of its bar, not cells of their own")
	}

	class, _, inner, ok = calCell(body, p.ID, in.AddDate(0, 0, 3))
	require.True(t, ok)
	require.Contains(t, class, "e-hold")
	require.Contains(t, inner, "Pre-reserva")
	require.Contains(t, inner, "Raúl Díaz")
	require.Contains(t, inner, "vence en 12 min")
	require.Contains(t, inner, "/admin/reservations/"+hold.Code)

	class, _, inner, ok = calCell(body, p.ID, in.AddDate(0, 0, 5))
	require.True(t, ok, "the night between the hold and the block is free")
	require.Contains(t, class, "cal-free")
	require.Contains(t, inner, "/admin/reservations/new?property_id="+strconv.FormatInt(p.ID, 10)+"&amp;check_in="+
		booking.FormatDate(in.AddDate(0, 0, 5)))

	class, attrs, inner, ok = calCell(body, p.ID, blockIn)
	require.True(t, ok)
	require.Contains(t, class, "e-block")
	require.Contains(t, attrs, `colspan="2"`)
	require.Contains(t, inner, "Bloqueo")
	require.Contains(t, inner, "Pintura")
	require.Contains(t, inner, "block=", "a block opens its details")

	// The legend names every kind in words.
	for _, w := range []string{"Reserva confirmada", "Pre-reserva", "Bloqueo", "otro canal", "Noche libre"} {
		require.Contains(t, string(body), w)
	}

	// Cancelled reservations leave the grid: their nights are free again.
	_, err := s.Booking.Transition(context.Background(), stay.ID, booking.ActionCancel, "test", "")
	require.NoError(t, err)
	r = se.Get("/admin/calendar?month=" + calMonthOf(in) + "&months=3")
	require.NotContains(t, string(r.Body), "Marta Gómez")
	class, _, _, ok = calCell(r.Body, p.ID, in.AddDate(0, 0, 1))
	require.True(t, ok)
	require.Contains(t, class, "cal-free")
}

func TestCalendarDefaultsToThisMonthAndNavigates(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	today := s.Today()
	thisMonth := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	next := thisMonth.AddDate(0, 1, 0)
	calStay(t, s, p.ID, next.AddDate(0, 0, 9), next.AddDate(0, 0, 11), "Lucía Next")

	r := se.Get("/admin/calendar")
	require.Equal(t, http.StatusOK, r.Status)
	body := string(r.Body)
	require.Contains(t, body, "<html", "a normal request gets the whole page")
	require.Contains(t, body, `data-date="`+booking.FormatDate(thisMonth)+`"`)
	require.Contains(t, body, `aria-current="date"`, "today is marked")
	require.Contains(t, body, `data-date="`+booking.FormatDate(today)+`" aria-current="date"`)
	require.NotContains(t, body, "Lucía Next")
	nextURL := "/admin/calendar?month=" + calMonthOf(next)
	require.Contains(t, body, `href="`+nextURL+`" hx-get="`+nextURL+`"`, "the next link works with and without htmx")
	require.Contains(t, body, `hx-target="#calendar"`)
	require.Contains(t, body, `hx-push-url="true"`)

	// htmx gets the grid alone.
	r = calGetHTMX(t, s, se, nextURL, map[string]string{"HX-Target": "calendar"})
	require.Equal(t, http.StatusOK, r.Status)
	frag := string(r.Body)
	require.True(t, strings.HasPrefix(frag, `<section id="calendar"`), frag[:min(200, len(frag))])
	require.NotContains(t, frag, "<html")
	require.NotContains(t, frag, `class="topbar"`)
	require.Contains(t, frag, "Lucía Next")
	require.Contains(t, frag, `data-date="`+booking.FormatDate(next)+`"`)
	require.NotContains(t, frag, `data-date="`+booking.FormatDate(thisMonth)+`"`)

	// The same URL without htmx (a reload, a shared link) is the whole page.
	r = se.Get(nextURL)
	require.Contains(t, string(r.Body), "<html")
	require.Contains(t, string(r.Body), "Lucía Next")
	// A history restore after a cache miss wants the whole page too.
	r = calGetHTMX(t, s, se, nextURL, map[string]string{"HX-History-Restore-Request": "true"})
	require.Contains(t, string(r.Body), "<html")

	// Three months at once, and back.
	r = se.Get("/admin/calendar?month=" + calMonthOf(thisMonth) + "&months=3")
	body = string(r.Body)
	require.Contains(t, body, "Lucía Next")
	require.Contains(t, body, `data-date="`+booking.FormatDate(thisMonth.AddDate(0, 3, -1))+`"`)
	require.NotContains(t, body, `data-date="`+booking.FormatDate(thisMonth.AddDate(0, 3, 0))+`"`)
	require.Contains(t, body, "/admin/calendar?month="+calMonthOf(thisMonth.AddDate(0, 3, 0))+"&amp;months=3", "next moves three months")

	// Nonsense parameters fall back to this month.
	r = se.Get("/admin/calendar?month=banana&months=99")
	require.Equal(t, http.StatusOK, r.Status)
	require.Contains(t, string(r.Body), `data-date="`+booking.FormatDate(thisMonth)+`"`)
}

func TestCalendarPropertyMonthView(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t, func(p *dbq.CreatePropertyParams) { p.Name = "Cabaña del Lago" })
	other := s.Property(t)
	in := s.Today().AddDate(0, 0, 2)
	calStay(t, s, p.ID, in, in.AddDate(0, 0, 2), "Sofía Ruiz")
	calStay(t, s, other.ID, in, in.AddDate(0, 0, 2), "De Otra Cabaña")

	path := fmt.Sprintf("/admin/properties/%d/calendar?month=%s", p.ID, calMonthOf(in))
	r := se.Get(path)
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	body := string(r.Body)
	require.Contains(t, body, "Cabaña del Lago")
	require.Contains(t, body, "Sofía Ruiz")
	require.NotContains(t, body, "De Otra Cabaña", "one property only")
	require.Regexp(t, `<td class="cal-e e-stay st-confirmed[^"]*bar-start[^"]*" data-property="`+strconv.FormatInt(p.ID, 10)+
		`" data-date="`+booking.FormatDate(in)+`" data-kind="stay">`, body)
	require.Contains(t, body, "<caption>")
	require.Contains(t, body, "<th scope=\"col\">lun</th>", "weeks start on Monday")

	next := time.Date(in.Year(), in.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
	r = calGetHTMX(t, s, se, fmt.Sprintf("/admin/properties/%d/calendar?month=%s", p.ID, calMonthOf(next)), nil)
	require.Equal(t, http.StatusOK, r.Status)
	require.True(t, strings.HasPrefix(string(r.Body), `<section id="calendar"`))
	require.Contains(t, string(r.Body), `data-date="`+booking.FormatDate(next)+`"`)

	require.Equal(t, http.StatusNotFound, se.Get("/admin/properties/999999/calendar").Status)
	require.Equal(t, http.StatusNotFound, se.Get("/admin/properties/abc/calendar").Status)
}

func TestCalendarAccountIsolation(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	mine := s.Property(t, func(p *dbq.CreatePropertyParams) { p.Name = "Mi Cabaña" })
	otherAccount, otherEmail, otherPassword := s.OtherAccount(t)
	theirs := s.Property(t, func(p *dbq.CreatePropertyParams) {
		p.AccountID = otherAccount
		p.Name = "Cabaña Ajena"
	})
	in := s.Today().AddDate(0, 0, 4)
	calStay(t, s, theirs.ID, in, in.AddDate(0, 0, 2), "Huésped Ajeno")

	r := se.Get("/admin/calendar?month=" + calMonthOf(in))
	require.Equal(t, http.StatusOK, r.Status)
	require.Contains(t, string(r.Body), "Mi Cabaña")
	require.NotContains(t, string(r.Body), "Cabaña Ajena")
	require.NotContains(t, string(r.Body), "Huésped Ajeno")
	require.NotContains(t, string(r.Body), `data-property="`+strconv.FormatInt(theirs.ID, 10)+`"`)

	require.Equal(t, http.StatusNotFound, se.Get(fmt.Sprintf("/admin/properties/%d/calendar", theirs.ID)).Status)
	require.Equal(t, http.StatusNotFound,
		se.Get(fmt.Sprintf("/admin/reservations/new?property_id=%d&check_in=%s", theirs.ID, booking.FormatDate(in))).Status)

	// Their block is invisible and untouchable from here.
	them := s.Login(t, otherEmail, otherPassword)
	r = them.PostForm("/admin/blocks", calBlockForm(theirs.ID, in.AddDate(0, 0, 5), in.AddDate(0, 0, 6), "De ellos"))
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	var blockID int64
	require.NoError(t, s.Pool.QueryRow(context.Background(),
		`SELECT id FROM occupancy WHERE property_id = $1 AND kind = 'block'`, theirs.ID).Scan(&blockID))
	require.Equal(t, http.StatusNotFound, se.Get(fmt.Sprintf("/admin/calendar?block=%d", blockID)).Status)
	require.Equal(t, http.StatusNotFound, se.Get(fmt.Sprintf("/admin/properties/%d/calendar?block=%d", mine.ID, blockID)).Status)
	require.Equal(t, http.StatusNotFound, se.PostForm(fmt.Sprintf("/admin/blocks/%d/delete", blockID), nil).Status)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM occupancy WHERE id = $1 AND active`, blockID))

	// Nor can a block be put on their property.
	r = se.PostForm("/admin/blocks", calBlockForm(theirs.ID, in.AddDate(0, 0, 8), in.AddDate(0, 0, 9), ""))
	require.Equal(t, http.StatusNotFound, r.Status)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM occupancy WHERE property_id = $1 AND kind = 'block'`, theirs.ID))

	// And their own calendar does not show ours.
	r = them.Get("/admin/calendar?month=" + calMonthOf(in))
	require.Contains(t, string(r.Body), "Cabaña Ajena")
	require.NotContains(t, string(r.Body), "Mi Cabaña")
}

func TestCalendarEscapesGuestNames(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 2)
	calStay(t, s, p.ID, in, in.AddDate(0, 0, 2), `<script>alert("x")</script><img src=x onerror=alert(1)>`)
	r := se.Get("/admin/calendar?month=" + calMonthOf(in))
	require.Equal(t, http.StatusOK, r.Status)
	body := string(r.Body)
	require.NotContains(t, body, `<script>alert`)
	require.NotContains(t, body, `<img src=x`)
	require.Contains(t, body, `&lt;script&gt;`)
	r = se.Get(fmt.Sprintf("/admin/properties/%d/calendar?month=%s", p.ID, calMonthOf(in)))
	require.NotContains(t, string(r.Body), `<script>alert`)
	require.NotContains(t, string(r.Body), `<img src=x`)
}

func TestCalendarStaffCanUseIt(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "staff")
	se := s.Login(t, email, password)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 1)
	require.Equal(t, http.StatusOK, se.Get("/admin/calendar").Status)
	require.Equal(t, http.StatusOK, se.Get(fmt.Sprintf("/admin/properties/%d/calendar", p.ID)).Status)
	require.Equal(t, http.StatusOK, se.Get(fmt.Sprintf("/admin/reservations/new?property_id=%d", p.ID)).Status)
	r := se.PostForm("/admin/blocks", calBlockForm(p.ID, in, in.AddDate(0, 0, 2), "Staff"))
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM occupancy WHERE property_id = $1 AND kind = 'block' AND active`, p.ID))
}

// TestCalendarTwentyPropertiesThreeMonths is a sanity check of the size the
// bench measures: every night of every row is accounted for exactly once.
func TestCalendarTwentyPropertiesThreeMonths(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	today := s.Today()
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	var ids []int64
	for i := range 20 {
		p := s.Property(t)
		ids = append(ids, p.ID)
		// A stay every few nights from tomorrow, some of them holds, and one running past the window.
		end := first.AddDate(0, 3, 0)
		calStay(t, s, p.ID, end.AddDate(0, 0, -2), end.AddDate(0, 0, 2), fmt.Sprintf("Huésped %d", i))
		for n, d := 0, today.AddDate(0, 0, 1+i%3); d.Before(end.AddDate(0, 0, -8)); n, d = n+1, d.AddDate(0, 0, 6) {
			if n%3 == 0 {
				calHold(t, s, p.ID, d, d.AddDate(0, 0, 2), fmt.Sprintf("Huésped %d-%d", i, n))
			} else {
				calStay(t, s, p.ID, d, d.AddDate(0, 0, 4), fmt.Sprintf("Huésped %d-%d", i, n))
			}
		}
	}
	r := se.Get("/admin/calendar?month=" + calMonthOf(first) + "&months=3")
	require.Equal(t, http.StatusOK, r.Status)
	nights := booking.NightsBetween(first, first.AddDate(0, 3, 0))
	cells := regexp.MustCompile(`<td class="[^"]*" data-property="(\d+)" data-date="[^"]*"( data-kind="[a-z]+")?( colspan="(\d+)")?`)
	covered := map[string]int{}
	for _, m := range cells.FindAllStringSubmatch(string(r.Body), -1) {
		span := 1
		if m[4] != "" {
			span, _ = strconv.Atoi(m[4])
		}
		covered[m[1]] += span
	}
	require.Len(t, covered, 20)
	for _, id := range ids {
		require.Equal(t, nights, covered[strconv.FormatInt(id, 10)], "property %d", id)
	}
	require.True(t, strings.Contains(string(r.Body), "clip-end"), "a stay running past the window is cut, not lost")
}
