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

const calendarPath = "/admin/calendar"

// calendar is every property of the account as a row and the nights of one
// or three months as columns. Two queries whatever the size: the properties,
// and everything that takes their nights (see calEntries). htmx navigation
// gets #calendar only; a block's link (?block=ID) opens its panel.
func (s *Server) calendar(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	w := s.calWindowFor(c)
	self := w.self(calendarPath)

	vm := calendar.GridView{Nav: w.nav(calendarPath)}
	blockID, err := calBlockParam(c)
	if err != nil {
		return err
	}
	if blockID != 0 {
		b, err := s.booking.GetBlock(ctx, u.AccountID, blockID)
		if err != nil {
			return err
		}
		vm.Block = calBlockView(b, s.booking.Locations.Get(u.Timezone), csrfToken(c), self)
		if isHTMX(c) && c.Request().Header.Get("HX-Target") == "cal-panel" {
			return s.render(c, http.StatusOK, calendar.BlockPanel(*vm.Block))
		}
	}

	props, err := db.Q(s.pool).ListCalendarProperties(ctx, u.AccountID)
	if err != nil {
		return fmt.Errorf("web: calendar properties: %w", err)
	}
	entries, err := s.calEntries(ctx, u.AccountID, nil, w, func(id int64) string {
		return self + "&block=" + strconv.FormatInt(id, 10)
	})
	if err != nil {
		return err
	}
	calFillGrid(&vm, w, props, entries)
	conflicts, err := db.Q(s.pool).HomeOpenConflicts(ctx, u.AccountID)
	if err != nil {
		return fmt.Errorf("web: calendar conflicts: %w", err)
	}
	for _, cf := range conflicts {
		if cf.Kind == "ical_collision" {
			vm.ChannelConflicts = append(vm.ChannelConflicts, homeText(cf.PropertyName)+": "+cf.Detail)
		}
	}
	if isHTMX(c) {
		return s.calRender(c, calendar.Grid(vm))
	}
	return s.calRender(c, calendar.GridPage(s.adminPage(c, "Calendario", "calendario"), vm))
}

// calFillGrid lays the entries out: one cell per free night, one cell
// spanning its nights per entry (one bar), clipped to the window.
func calFillGrid(vm *calendar.GridView, w calWindow, props []dbq.ListCalendarPropertiesRow, entries map[int64][]calEntry) {
	n := booking.NightsBetween(w.first, w.to)
	days := make([]time.Time, n)
	dates := make([]string, n)
	vm.Days = make([]calendar.Day, n)
	for i := range n {
		d := w.first.AddDate(0, 0, i)
		days[i], dates[i] = d, booking.FormatDate(d)
		vm.Days[i] = calendar.Day{Date: dates[i], Num: strconv.Itoa(d.Day()), Weekday: format.Weekday(d),
			Weekend: calWeekend(d), Today: d.Equal(w.today), Past: d.Before(w.today), First: d.Day() == 1 && i > 0}
	}
	for m := range w.months {
		first := w.first.AddDate(0, m, 0)
		vm.MonthSpans = append(vm.MonthSpans, calendar.MonthSpan{Label: format.Month(first),
			Days: booking.NightsBetween(first, first.AddDate(0, 1, 0))})
	}
	for _, p := range props {
		es := entries[p.ID]
		// An inactive property shows only while something still takes its nights.
		if !p.Active && len(es) == 0 {
			continue
		}
		pid := strconv.FormatInt(p.ID, 10)
		row := calendar.Row{PropertyID: pid, Name: p.Name, Inactive: !p.Active,
			URL:   w.self("/admin/properties/" + pid + "/calendar"),
			Cells: make([]calendar.Cell, 0, n)}
		k := 0
		for i := 0; i < n; {
			d := days[i]
			for k < len(es) && !es[k].end.After(d) {
				k++
			}
			if k < len(es) && !es[k].start.After(d) {
				e := &es[k]
				span := min(booking.NightsBetween(d, e.end), n-i)
				row.Cells = append(row.Cells, calendar.Cell{Date: dates[i], Span: span, Entry: &e.view,
					ClipStart: e.start.Before(d), ClipEnd: e.end.After(w.to), First: vm.Days[i].First})
				i += span
				k++
				continue
			}
			cell := calendar.Cell{Date: dates[i], Span: 1}
			if !vm.Days[i].Past {
				cell.NewURL = calNewURL(pid, dates[i], "")
				cell.Label = p.Name + ", " + vm.Days[i].Weekday + " " + format.Date(d) + ": libre"
			}
			row.Cells = append(row.Cells, cell)
			i++
		}
		vm.Rows = append(vm.Rows, row)
	}
}
