package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/views/calendar"
)

// What the calendar pages share: the months shown, one query for everything
// that takes a night in them, and the mapping from rows to the view's entries.

// calMaxMonths is the most months a calendar page shows at once.
const calMaxMonths = 3

// calWindow is the months a calendar page shows.
type calWindow struct {
	first  time.Time // first day of the first month shown
	months int
	to     time.Time // the day after the last night shown
	today  time.Time // the account's local date
	now    time.Time
}

// calWindowFor reads ?month=YYYY-MM (default: this month in the account's
// timezone) and ?months=1..3. Anything else falls back to the defaults.
func (s *Server) calWindowFor(c echo.Context) calWindow {
	now := s.clock.Now()
	today := booking.LocalDate(now, s.booking.Locations.Get(currentUser(c).Timezone))
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	if m, err := time.Parse("2006-01", c.QueryParam("month")); err == nil && m.Year() >= 2000 && m.Year() <= 2100 {
		first = m
	}
	months := 1
	if n, err := strconv.Atoi(c.QueryParam("months")); err == nil && n >= 1 && n <= calMaxMonths {
		months = n
	}
	return calWindow{first: first, months: months, to: first.AddDate(0, months, 0), today: today, now: now}
}

// url is path showing the window's months, starting monthDelta months later.
func (w calWindow) url(path string, monthDelta, months int) string {
	u := path + "?month=" + w.first.AddDate(0, monthDelta, 0).Format("2006-01")
	if months != 1 {
		u += "&months=" + strconv.Itoa(months)
	}
	return u
}

// self is the window's own URL on path.
func (w calWindow) self(path string) string { return w.url(path, 0, w.months) }

func (w calWindow) nav(path string) calendar.Nav {
	todayFirst := time.Date(w.today.Year(), w.today.Month(), 1, 0, 0, 0, 0, time.UTC)
	todayURL := path + "?month=" + todayFirst.Format("2006-01")
	if w.months != 1 {
		todayURL += "&months=" + strconv.Itoa(w.months)
	}
	title := format.Month(w.first)
	if w.months > 1 {
		title += " – " + format.Month(w.to.AddDate(0, -1, 0))
	}
	return calendar.Nav{
		Title: title, Action: path, Month: w.first.Format("2006-01"), Months: w.months,
		Prev: w.url(path, -w.months, w.months), Next: w.url(path, w.months, w.months), Today: todayURL,
		One: w.url(path, 0, 1), Three: w.url(path, 0, 3),
	}
}

var calBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// calRender writes a calendar page like s.render, but renders it in memory
// first: a three-month grid is a quarter of a megabyte, which then goes out
// in one write with its Content-Length instead of sixty 4 KB chunks.
func (s *Server) calRender(c echo.Context, comp templ.Component) error {
	buf := calBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 4<<20 {
			calBuffers.Put(buf)
		}
	}()
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	c.Response().WriteHeader(http.StatusOK)
	_, err := c.Response().Write(buf.Bytes())
	return err
}

// calEntry is an interval of a property with what the view shows of it.
type calEntry struct {
	start, end time.Time
	view       calendar.Entry
}

// calEntries loads everything that takes a night of the window, for the
// whole account or one property, in one query, grouped by property.
// blockURL is where a block's link goes.
func (s *Server) calEntries(ctx context.Context, accountID int64, propertyID *int64, w calWindow,
	blockURL func(id int64) string) (map[int64][]calEntry, error) {
	rows, err := db.Q(s.pool).ListCalendarEntries(ctx, dbq.ListCalendarEntriesParams{
		AccountID: accountID, FromDate: w.first, ToDate: w.to, PropertyID: propertyID,
	})
	if err != nil {
		return nil, fmt.Errorf("web: calendar entries: %w", err)
	}
	out := map[int64][]calEntry{}
	for _, r := range rows {
		out[r.PropertyID] = append(out[r.PropertyID], calEntry{start: r.StartsOn, end: r.EndsOn,
			view: calEntryView(r, w.now, blockURL)})
	}
	return out, nil
}

// calEntryView says what an interval is, in words: the bar's text and the
// full description for its title.
func calEntryView(r dbq.ListCalendarEntriesRow, now time.Time, blockURL func(int64) string) calendar.Entry {
	span := "del " + format.Date(r.StartsOn) + " al " + format.Date(r.EndsOn) + ", " +
		format.Nights(booking.NightsBetween(r.StartsOn, r.EndsOn))
	switch {
	case r.Kind == "reservation" && r.Code != nil:
		name, status := calDeref(r.GuestName), calDeref(r.Status)
		e := calendar.Entry{Label: name, URL: "/admin/reservations/" + *r.Code, Status: status}
		if booking.Status(status) == booking.StatusPreReserved {
			e.Kind, e.Tag = calendar.KindHold, "Pre-reserva"
			e.Extra = calHoldLeft(r.HoldExpiresAt, now)
			e.Detail = "Pre-reserva de " + name + ", " + span + ", " + e.Extra + " (" + *r.Code + ")"
			return e
		}
		e.Kind = calendar.KindStay
		word := "Reserva confirmada"
		switch booking.Status(status) {
		case booking.StatusCheckedIn:
			word, e.Extra = "Estadía en curso", "alojado"
		case booking.StatusCompleted:
			word = "Estadía terminada"
		}
		e.Detail = word + " de " + name + ", " + span + " (" + *r.Code + ")"
		return e
	case r.Kind == "block":
		e := calendar.Entry{Kind: calendar.KindBlock, Tag: "Bloqueo", Label: r.Note, URL: blockURL(r.ID), Panel: true,
			Detail: "Bloqueo " + span}
		if r.Note != "" {
			e.Detail += ": " + r.Note
		}
		return e
	case r.Kind == "imported":
		e := calendar.Entry{Kind: calendar.KindImported, Tag: "Canal", Label: r.Note,
			Detail: "Ocupado en otro canal " + span}
		if r.Note != "" {
			e.Detail += ": " + r.Note
		}
		return e
	default:
		return calendar.Entry{Kind: calendar.KindBuffer, Tag: "Margen", Detail: "Noches de margen " + span}
	}
}

// calHoldLeft is the time a hold has left: "vence en 12 min".
func calHoldLeft(expires *time.Time, now time.Time) string {
	if expires == nil {
		return ""
	}
	left := expires.Sub(now)
	if left <= 0 {
		return "vencida, se libera en instantes"
	}
	mins := int((left + time.Minute - 1) / time.Minute)
	switch {
	case mins < 60:
		return "vence en " + strconv.Itoa(mins) + " min"
	case mins < 48*60:
		s := "vence en " + strconv.Itoa(mins/60) + " h"
		if mins%60 != 0 {
			s += " " + strconv.Itoa(mins%60) + " min"
		}
		return s
	default:
		return "vence en " + strconv.Itoa(mins/(24*60)) + " días"
	}
}

func calDeref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func calWeekend(d time.Time) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }

// calNewURL starts a reservation or a block on a free night.
func calNewURL(propertyID, date, back string) string {
	u := "/admin/reservations/new?property_id=" + propertyID + "&check_in=" + date
	if back != "" {
		u += "&back=" + url.QueryEscape(back)
	}
	return u
}

// calBlockView is a block's panel.
func calBlockView(b booking.Block, loc *time.Location, csrf, back string) *calendar.BlockView {
	return &calendar.BlockView{
		ID: strconv.FormatInt(b.ID, 10), Property: b.PropertyName,
		Dates:  "del " + format.Date(b.CheckIn) + " al " + format.Date(b.CheckOut),
		Nights: format.Nights(b.Nights()), Note: b.Note, Created: format.DateTime(b.CreatedAt, loc),
		Delete: "/admin/blocks/" + strconv.FormatInt(b.ID, 10) + "/delete", Back: back, Close: back, CSRF: csrf,
	}
}

// calBack accepts a local calendar page as the place to return to, or def.
func calBack(back, def string) string {
	if safeNext(back) == back && back != "/admin/" {
		return back
	}
	return def
}

// calBlockParam reads ?block=ID; 0 when absent.
func calBlockParam(c echo.Context) (int64, error) {
	v := c.QueryParam("block")
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}
