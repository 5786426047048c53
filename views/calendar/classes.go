package calendar

import "strings"

// dayClass is a day column's classes.
func dayClass(weekend, today, first bool) string {
	var b strings.Builder
	b.WriteString("cal-day")
	if weekend {
		b.WriteString(" cal-weekend")
	}
	if today {
		b.WriteString(" cal-today")
	}
	if first {
		b.WriteString(" cal-first")
	}
	return b.String()
}

// colClass marks a column of the grid.
func colClass(weekend, today, past bool) string {
	switch {
	case today:
		return "cal-today"
	case past && weekend:
		return "cal-past cal-weekend"
	case past:
		return "cal-past"
	case weekend:
		return "cal-weekend"
	}
	return ""
}

// freeClass is a free night's classes.
func freeClass(weekend, today, past, first bool) string {
	var b strings.Builder
	b.WriteString("cal-free")
	if weekend {
		b.WriteString(" cal-weekend")
	}
	if today {
		b.WriteString(" cal-today")
	}
	if past {
		b.WriteString(" cal-past")
	}
	if first {
		b.WriteString(" cal-first")
	}
	return b.String()
}

// entryClass is an entry cell's classes: its kind (e-…), its reservation
// status (st-…) and whether the bar goes on beyond the cells shown.
func entryClass(e *Entry, clipStart, clipEnd, first bool) string {
	var b strings.Builder
	b.WriteString("cal-e e-")
	b.WriteString(e.Kind)
	if e.Status != "" {
		b.WriteString(" st-")
		b.WriteString(e.Status)
	}
	if clipStart {
		b.WriteString(" clip-start")
	}
	if clipEnd {
		b.WriteString(" clip-end")
	}
	if first {
		b.WriteString(" cal-first")
	}
	return b.String()
}

// monthDayClass is a day's classes in a property's month.
func monthDayClass(d DayCell) string {
	if d.Entry == nil {
		return freeClass(d.Weekend, d.Today, d.Past, false)
	}
	var b strings.Builder
	b.WriteString(entryClass(d.Entry, !d.Start, !d.End, false))
	if d.Start {
		b.WriteString(" bar-start")
	} else {
		b.WriteString(" bar-cont")
	}
	if d.End {
		b.WriteString(" bar-end")
	}
	if d.Weekend {
		b.WriteString(" cal-weekend")
	}
	if d.Today {
		b.WriteString(" cal-today")
	}
	return b.String()
}
