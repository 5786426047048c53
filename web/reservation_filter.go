package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	resviews "alojamientos/views/reservations"
)

// reservationsPerPage is the size of a page of the reservations list.
const reservationsPerPage = 50

// reservationFilter is the list's query string (the CSV export takes the
// same one): ?q=&estado=&alojamiento=&canal=&desde=&hasta=&pagina=. Values that
// make no sense are dropped, so the form always shows what was applied.
type reservationFilter struct {
	Q          string
	Status     string
	PropertyID int64
	Channel    string
	From, To   *time.Time // stays with a night in [From, To]
	Page       int
}

func parseReservationFilter(c echo.Context) reservationFilter {
	f := reservationFilter{Q: strings.TrimSpace(c.QueryParam("q")), Page: 1}
	if utf8.RuneCountInString(f.Q) > 100 {
		f.Q = string([]rune(f.Q)[:100])
	}
	if st := c.QueryParam("estado"); slices.Contains(resviews.Statuses, st) {
		f.Status = st
	}
	if ch := c.QueryParam("canal"); booking.Channels[ch] {
		f.Channel = ch
	}
	if id, err := strconv.ParseInt(c.QueryParam("alojamiento"), 10, 64); err == nil && id > 0 {
		f.PropertyID = id
	}
	if d, err := booking.ParseDate(c.QueryParam("desde")); err == nil {
		f.From = &d
	}
	if d, err := booking.ParseDate(c.QueryParam("hasta")); err == nil {
		f.To = &d
	}
	if p, err := strconv.Atoi(c.QueryParam("pagina")); err == nil && p > 1 {
		f.Page = p
	}
	return f
}

// filtered reports whether any filter narrows the list.
func (f reservationFilter) filtered() bool {
	return f.Q != "" || f.Status != "" || f.PropertyID != 0 || f.Channel != "" || f.From != nil || f.To != nil
}

// values is the filter as a query string; page 1 is left out.
func (f reservationFilter) values(page int) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", f.Q)
	set("estado", f.Status)
	if f.PropertyID != 0 {
		v.Set("alojamiento", strconv.FormatInt(f.PropertyID, 10))
	}
	set("canal", f.Channel)
	if f.From != nil {
		v.Set("desde", booking.FormatDate(*f.From))
	}
	if f.To != nil {
		v.Set("hasta", booking.FormatDate(*f.To))
	}
	if page > 1 {
		v.Set("pagina", strconv.Itoa(page))
	}
	return v
}

// url is path with the filter's query string.
func (f reservationFilter) url(path string, page int) string {
	if q := f.values(page).Encode(); q != "" {
		return path + "?" + q
	}
	return path
}

// searchPhone is the part of an E.164 phone the search box can match: a
// number as people type it ("11 5555-1234") normalised, or at least four digits
// of one. Text that is not phone-like does not search phones at all.
func searchPhone(q string) *string {
	if q == "" || strings.Trim(q, "0123456789+-() .") != "" {
		return nil
	}
	if p, err := booking.NormalizePhone(q); err == nil {
		d := strings.TrimPrefix(p, "+")
		return &d
	}
	var b strings.Builder
	for _, r := range q {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() < 4 {
		return nil
	}
	d := b.String()
	return &d
}

func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func (f reservationFilter) countParams(accountID int64) dbq.AdminCountReservationsParams {
	return dbq.AdminCountReservationsParams{
		AccountID: accountID, Status: optional(f.Status), PropertyID: optional(f.PropertyID),
		Channel: optional(f.Channel), StayFrom: f.From, StayTo: f.To, Search: optional(f.Q), PhoneDigits: searchPhone(f.Q),
	}
}

func (f reservationFilter) listParams(accountID int64, skip, limit int) dbq.AdminListReservationsParams {
	p := f.countParams(accountID)
	return dbq.AdminListReservationsParams{
		AccountID: p.AccountID, Status: p.Status, PropertyID: p.PropertyID, Channel: p.Channel, StayFrom: p.StayFrom,
		StayTo: p.StayTo, Search: p.Search, PhoneDigits: p.PhoneDigits, SkipRows: int32(skip), MaxRows: int32(limit),
	}
}
