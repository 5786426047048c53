// Package calendar shows the owner's calendar: every property's nights in a
// month grid, one property's month, and the form that blocks nights or takes a
// reservation by phone. View models only; handlers fill them. A package per
// dashboard feature keeps each screen's view models and components together.
package calendar

import "alojamientos/internal/format"

// Entry kinds. Each has its own colour, pattern and words on the bar (see
// Legend), so colour is never the only difference.
const (
	KindStay     = "stay"     // confirmed, checked in or completed
	KindHold     = "hold"     // pre_reserved, with the time left
	KindBlock    = "block"    // owner block
	KindImported = "imported" // an event of a channel's feed
	KindBuffer   = "buffer"   // a night kept free around a stay
)

// Entry is one thing taking nights: a stay, a hold, a block…
type Entry struct {
	Kind   string
	Tag    string // the kind in words, shown before the label: "Pre-reserva", "Bloqueo"… ("" for stays)
	Label  string // the guest's name, the block's note…
	Extra  string // shown after the label: "vence en 12 min"
	Detail string // everything, for title and aria-label
	URL    string // "" when there is nothing to open
	Panel  bool   // the link opens in the side panel (blocks), not a new page
	Status string // reservation status, a class
}

// Nav moves between months; every URL works as a plain link.
type Nav struct {
	Title  string // "diciembre de 2026" or "diciembre de 2026 – febrero de 2027"
	Action string // the page's path, for the month picker
	Month  string // YYYY-MM shown first
	Months int    // 1 or 3
	Prev   string
	Next   string
	Today  string
	One    string // the same month, one month shown
	Three  string // the same month, three months shown
	// PropertyID is set on one property's calendar (the picker keeps it).
	PropertyID string
}

// Day is a column header of the grid.
type Day struct {
	Date    string // YYYY-MM-DD
	Num     string
	Weekday string
	Weekend bool
	Today   bool
	Past    bool
	First   bool // first day of a month (after the first column)
}

// MonthSpan is the month row above the days.
type MonthSpan struct {
	Label string
	Days  int
}

// Cell is one cell of a property's row: a free night, or an entry spanning
// Span nights (one bar). Weekends, today and the past are marked on the
// columns (Day), not on each cell.
type Cell struct {
	Date      string
	Span      int
	Entry     *Entry
	ClipStart bool   // the entry began before the first night shown
	ClipEnd   bool   // the entry goes on after the last night shown
	First     bool   // the first night of a month (a border)
	NewURL    string // a free night from today on: start a reservation or a block here
	Label     string // free nights: "Cabaña 1, lun 3/12: libre"
}

// Row is a property's nights.
type Row struct {
	PropertyID string
	Name       string
	URL        string // the property's own calendar
	Inactive   bool
	Cells      []Cell
}

// GridView is the multi-property calendar.
type GridView struct {
	Nav        Nav
	Days       []Day
	MonthSpans []MonthSpan
	Rows       []Row
	Block      *BlockView
	// ChannelConflicts are open collisions with channel calendars, one sentence each.
	ChannelConflicts []string
}

// PropertyView is one property's calendar: classic months, weeks as rows.
type PropertyView struct {
	PropertyID string
	Name       string
	Inactive   bool
	Nav        Nav
	Months     []MonthView
	Block      *BlockView
}

// MonthView is one month of a property, Monday first.
type MonthView struct {
	Title string
	Weeks [][]DayCell
}

// DayCell is a day of a property's month.
type DayCell struct {
	Date    string
	Num     string
	Outside bool // a day of the previous or next month, to fill the week
	Weekend bool
	Today   bool
	Past    bool
	Entry   *Entry
	// Start is the first night of the entry shown in this week; End its last.
	Start  bool
	End    bool
	NewURL string
	Label  string
}

// BlockView is a block's details with its delete button.
type BlockView struct {
	ID       string
	Property string
	Dates    string // "del 12/12/2026 al 15/12/2026"
	Nights   string
	Note     string
	Created  string
	Delete   string // POST here to delete
	Back     string // where to go after deleting
	Close    string // the page without the panel
	CSRF     string
}

// WeekdayHeads are the month view's column heads, Monday first.
var WeekdayHeads = func() []string {
	heads := make([]string, len(format.Week))
	for i, d := range format.Week {
		heads[i] = format.WeekdayShort(d)
	}
	return heads
}()

// NewView is the form a free night opens: block the nights, or take a
// reservation by phone or in person. It keeps what was typed.
type NewView struct {
	CSRF        string
	Properties  []PropertyOption
	PropertyID  string
	CheckIn     string
	CheckOut    string
	Min         string // today, the earliest date the pickers offer
	BlockNote   string
	GuestName   string
	GuestPhone  string
	GuestEmail  string
	Guests      string
	Channel     string // phone or walk_in
	Note        string
	Confirm     bool
	ConfirmNote string
	Back        string // where the calendar was
	Errors      map[string]string
	Error       string   // about the whole form: "Esas noches ya están ocupadas."
	Other       []string // field errors with no field of their own on this form
}

// PropertyOption is a property in the form's list.
type PropertyOption struct {
	ID   string
	Name string
}
