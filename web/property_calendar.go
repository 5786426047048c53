package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/views/calendar"
)

// propertyCalendar is one property's months, weeks as rows, with the same
// entries and navigation as the grid. Another account's property is a 404.
func (s *Server) propertyCalendar(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	p, err := db.Q(s.pool).GetCalendarProperty(ctx, dbq.GetCalendarPropertyParams{ID: id, AccountID: u.AccountID})
	if err != nil {
		return fmt.Errorf("web: property calendar %d: %w", id, err)
	}
	pid := strconv.FormatInt(p.ID, 10)
	path := "/admin/properties/" + pid + "/calendar"
	w := s.calWindowFor(c)
	self := w.self(path)
	vm := calendar.PropertyView{PropertyID: pid, Name: p.Name, Inactive: !p.Active, Nav: w.nav(path)}
	vm.Nav.PropertyID = pid

	blockID, err := calBlockParam(c)
	if err != nil {
		return err
	}
	if blockID != 0 {
		b, err := s.booking.GetBlock(ctx, u.AccountID, blockID)
		if err == nil && b.PropertyID != p.ID {
			return errNotFound
		}
		if err != nil {
			return err
		}
		vm.Block = calBlockView(b, s.booking.Locations.Get(u.Timezone), csrfToken(c), self)
		if isHTMX(c) && c.Request().Header.Get("HX-Target") == "cal-panel" {
			return s.render(c, http.StatusOK, calendar.BlockPanel(*vm.Block))
		}
	}

	entries, err := s.calEntries(ctx, u.AccountID, &p.ID, w, func(id int64) string {
		return self + "&block=" + strconv.FormatInt(id, 10)
	})
	if err != nil {
		return err
	}
	for m := range w.months {
		vm.Months = append(vm.Months, calMonth(w, w.first.AddDate(0, m, 0), p.Name, pid, self, entries[p.ID]))
	}
	if isHTMX(c) {
		return s.calRender(c, calendar.PropertyCalendar(vm))
	}
	return s.calRender(c, calendar.PropertyPage(s.adminPage(c, "Calendario de "+p.Name, "calendario"), vm))
}

// calMonth lays out one month, Monday first. An entry reads as one bar: its
// first night in each week shows the text, the others continue it.
func calMonth(w calWindow, first time.Time, name, pid, self string, es []calEntry) calendar.MonthView {
	next := first.AddDate(0, 1, 0)
	mv := calendar.MonthView{Title: format.Month(first)}
	start := first.AddDate(0, 0, -((int(first.Weekday()) + 6) % 7))
	k := 0
	for ws := start; ws.Before(next); ws = ws.AddDate(0, 0, 7) {
		week := make([]calendar.DayCell, 7)
		for j := range 7 {
			d := ws.AddDate(0, 0, j)
			if d.Before(first) || !d.Before(next) {
				week[j] = calendar.DayCell{Outside: true}
				continue
			}
			date := booking.FormatDate(d)
			dc := calendar.DayCell{Date: date, Num: strconv.Itoa(d.Day()), Weekend: calWeekend(d),
				Today: d.Equal(w.today), Past: d.Before(w.today)}
			for k < len(es) && !es[k].end.After(d) {
				k++
			}
			if k < len(es) && !es[k].start.After(d) {
				e := &es[k]
				after := d.AddDate(0, 0, 1)
				dc.Entry = &e.view
				dc.Start = e.start.Equal(d) || j == 0 || d.Equal(first)
				dc.End = e.end.Equal(after) || j == 6 || after.Equal(next)
			} else if !dc.Past {
				dc.NewURL = calNewURL(pid, date, self)
				dc.Label = name + ", " + format.Weekday(d) + " " + format.Date(d) + ": libre"
			}
			week[j] = dc
		}
		mv.Weeks = append(mv.Weeks, week)
	}
	return mv
}
