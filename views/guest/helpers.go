// Package guest holds the public pages: the property list, a property's page
// with its booking box, and the guest's reservation page. They are apart from
// the dashboard's views because they have another audience and layout (public,
// mobile first, layout.Guest); the handlers in web fill the view models.
package guest

import "strings"

// paragraphs splits text on blank lines, so owners' line breaks survive.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// weeks cuts a month into rows of seven cells; Day 0 is an empty cell.
func weeks(m MonthView) [][]DayView {
	cells := make([]DayView, 0, len(m.Blank)+len(m.Days)+6)
	for range m.Blank {
		cells = append(cells, DayView{})
	}
	cells = append(cells, m.Days...)
	for len(cells)%7 != 0 {
		cells = append(cells, DayView{})
	}
	var out [][]DayView
	for i := 0; i < len(cells); i += 7 {
		out = append(out, cells[i:i+7])
	}
	return out
}
