// Package ical renders our export feeds and reads the channels' feeds
// (Airbnb, Booking.com, Vrbo…), with their quirks, into nights: the RFC 5545
// writer and parser, the fetcher with its address guard, and the sync jobs that
// reconcile imported nights through the occupancy constraint. The dashboard,
// the CLI and the jobs all sync through it.
package ical

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // TZID values resolve on any host
	"unicode/utf8"
)

// Event is one busy interval of a feed, as the property's nights:
// [Start, End), both dates at midnight UTC.
type Event struct {
	UID     string
	Summary string
	Start   time.Time
	End     time.Time
}

// Calendar is a parsed feed. Cancelled and transparent events are left out;
// Skipped counts them.
type Calendar struct {
	ProdID  string
	Events  []Event
	Skipped int
}

// ErrNotCalendar is a body that is not an iCalendar stream (an HTML page, a JSON error…).
var ErrNotCalendar = errors.New("ical: not an iCalendar feed")

// ErrTruncated is a calendar cut short (no END:VCALENDAR).
var ErrTruncated = errors.New("ical: truncated calendar")

// MaxEvents bounds one feed.
const MaxEvents = 50000

// Parse reads a feed. Date-time values are converted to dates in loc (the
// property's timezone): a stay runs from the local date of its start to the
// local date of its end, at least one night. An empty body (Booking.com's way
// of saying "nothing") is an empty calendar.
func Parse(data []byte, loc *time.Location) (*Calendar, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return &Calendar{}, nil
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: not UTF-8", ErrNotCalendar)
	}
	ps := &parser{loc: loc, cal: &Calendar{}, seen: map[string]int{}}
	for i, line := range unfold(string(data)) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		done, err := ps.line(i+1, line)
		if err != nil {
			return nil, err
		}
		if done {
			break // anything after END:VCALENDAR is ignored
		}
	}
	if !ps.ended {
		return nil, ErrTruncated
	}
	return ps.cal, nil
}

// parser is Parse's state between lines.
type parser struct {
	loc     *time.Location
	cal     *Calendar
	depth   int // components open inside VCALENDAR
	inCal   bool
	ended   bool
	ev      *rawEvent // the VEVENT being read, if any
	evDepth int
	seen    map[string]int // UID -> index in cal.Events
}

// line reads logical line n. done is true on a line after END:VCALENDAR.
func (ps *parser) line(n int, line string) (done bool, err error) {
	p, err := parseLine(line)
	if err != nil {
		if !ps.inCal {
			return false, fmt.Errorf("%w: %v", ErrNotCalendar, err)
		}
		return false, fmt.Errorf("ical: line %d: %w", n, err)
	}
	if !ps.inCal {
		if ps.ended {
			return true, nil
		}
		if p.name != "BEGIN" || !strings.EqualFold(p.value, "VCALENDAR") {
			return false, ErrNotCalendar
		}
		ps.inCal = true
		return false, nil
	}
	switch {
	case p.name == "BEGIN":
		ps.depth++
		if strings.EqualFold(p.value, "VEVENT") && ps.ev == nil {
			ps.ev = &rawEvent{}
			ps.evDepth = ps.depth
		}
	case p.name == "END":
		return false, ps.end(n, p)
	case ps.ev != nil && ps.depth == ps.evDepth:
		ps.ev.set(p)
	case ps.depth == 0 && p.name == "PRODID":
		ps.cal.ProdID = p.value
	}
	return false, nil
}

// end closes a component: the calendar itself, the VEVENT being read (which
// then becomes an event of the calendar, or a skipped one), or a component
// inside it (a VALARM) or beside it (a VTIMEZONE), which are not read.
func (ps *parser) end(n int, p prop) error {
	if ps.depth == 0 {
		if !strings.EqualFold(p.value, "VCALENDAR") {
			return fmt.Errorf("ical: line %d: END:%s outside a component", n, p.value)
		}
		ps.inCal, ps.ended = false, true
		return nil
	}
	if ps.ev != nil && ps.depth == ps.evDepth {
		if !strings.EqualFold(p.value, "VEVENT") {
			return fmt.Errorf("ical: line %d: END:%s closes VEVENT", n, p.value)
		}
		if err := ps.endEvent(n); err != nil {
			return err
		}
	}
	ps.depth--
	return nil
}

// endEvent resolves the VEVENT that ended on line n into the calendar.
func (ps *parser) endEvent(n int) error {
	e, keep, err := ps.ev.resolve(ps.loc)
	if err != nil {
		return fmt.Errorf("ical: event ending on line %d: %w", n, err)
	}
	ps.ev = nil
	if !keep {
		ps.cal.Skipped++
		return nil
	}
	addEvent(ps.cal, ps.seen, e)
	if len(ps.cal.Events) > MaxEvents {
		return fmt.Errorf("ical: more than %d events", MaxEvents)
	}
	return nil
}

// addEvent keeps duplicate UIDs: the same dates twice are one event; other
// dates under a reused UID still block their nights, under a derived key.
func addEvent(cal *Calendar, seen map[string]int, e Event) {
	if j, ok := seen[e.UID]; ok {
		prev := cal.Events[j]
		if prev.Start.Equal(e.Start) && prev.End.Equal(e.End) {
			return
		}
		e.UID = e.UID + "#" + e.Start.Format("20060102") + "-" + e.End.Format("20060102")
		if _, dup := seen[e.UID]; dup {
			return
		}
	}
	seen[e.UID] = len(cal.Events)
	cal.Events = append(cal.Events, e)
}

// unfold splits into logical lines: CRLF, LF or CR endings; a line starting
// with a space or a tab continues the previous one.
func unfold(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	raw := strings.Split(s, "\n")
	out := make([]string, 0, len(raw))
	for _, l := range raw {
		if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') && len(out) > 0 {
			out[len(out)-1] += l[1:]
			continue
		}
		out = append(out, l)
	}
	return out
}

type prop struct {
	name   string
	params map[string]string
	value  string
}

// parseLine splits NAME;PARAM=V;PARAM="V:x":VALUE. Names are case-insensitive.
func parseLine(l string) (prop, error) {
	var p prop
	i := strings.IndexAny(l, ";:")
	if i <= 0 {
		return p, fmt.Errorf("no property name in %q", clip(l))
	}
	p.name = strings.ToUpper(strings.TrimSpace(l[:i]))
	if !validName(p.name) {
		return p, fmt.Errorf("bad property name %q", clip(p.name))
	}
	for l[i] == ';' {
		rest := l[i+1:]
		eq := strings.IndexByte(rest, '=')
		if eq < 0 {
			return p, fmt.Errorf("bad parameter in %q", clip(l))
		}
		pname := strings.ToUpper(rest[:eq])
		j := eq + 1
		var val strings.Builder
		for j < len(rest) && rest[j] != ';' && rest[j] != ':' {
			if rest[j] == '"' {
				k := strings.IndexByte(rest[j+1:], '"')
				if k < 0 {
					return p, fmt.Errorf("unterminated quote in %q", clip(l))
				}
				val.WriteString(rest[j+1 : j+1+k])
				j += k + 2
				continue
			}
			val.WriteByte(rest[j])
			j++
		}
		if p.params == nil {
			p.params = map[string]string{}
		}
		p.params[pname] = val.String()
		if j >= len(rest) {
			return p, fmt.Errorf("no value in %q", clip(l))
		}
		i = i + 1 + j
	}
	p.value = l[i+1:]
	return p, nil
}

func validName(n string) bool {
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return n != ""
}

func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(s, "")
}

type rawEvent struct {
	uid, summary, status, transp string
	start, end, duration         *prop
}

func (r *rawEvent) set(p prop) {
	switch p.name {
	case "UID":
		r.uid = strings.TrimSpace(p.value)
	case "SUMMARY":
		r.summary = unescapeText(p.value)
	case "STATUS":
		r.status = strings.ToUpper(strings.TrimSpace(p.value))
	case "TRANSP":
		r.transp = strings.ToUpper(strings.TrimSpace(p.value))
	case "DTSTART":
		cp := p
		r.start = &cp
	case "DTEND":
		cp := p
		r.end = &cp
	case "DURATION":
		cp := p
		r.duration = &cp
	}
}

// resolve turns the event into nights; keep is false for events that do not block.
func (r *rawEvent) resolve(loc *time.Location) (Event, bool, error) {
	if r.status == "CANCELLED" || r.transp == "TRANSPARENT" {
		return Event{}, false, nil
	}
	if r.start == nil {
		return Event{}, false, errors.New("no DTSTART")
	}
	start, startIsDate, err := parseWhen(*r.start, loc)
	if err != nil {
		return Event{}, false, fmt.Errorf("DTSTART: %w", err)
	}
	startDay := localDate(start, startIsDate, loc)
	endDay := startDay.AddDate(0, 0, 1)
	switch {
	case r.end != nil:
		end, endIsDate, err := parseWhen(*r.end, loc)
		if err != nil {
			return Event{}, false, fmt.Errorf("DTEND: %w", err)
		}
		endDay = localDate(end, endIsDate, loc)
	case r.duration != nil:
		d, err := parseDuration(strings.TrimSpace(r.duration.value))
		if err != nil {
			return Event{}, false, fmt.Errorf("DURATION: %w", err)
		}
		if startIsDate {
			endDay = startDay.Add(d)
		} else {
			endDay = localDate(start.Add(d), false, loc)
		}
	}
	// No DTEND, DTEND equal to DTSTART (a producer bug) or before it: one night.
	if !endDay.After(startDay) {
		endDay = startDay.AddDate(0, 0, 1)
	}
	uid := r.uid
	if uid == "" {
		sum := sha256.Sum256([]byte(startDay.Format("20060102") + endDay.Format("20060102") + r.summary))
		uid = "nouid-" + hex.EncodeToString(sum[:8])
	}
	return Event{UID: uid, Summary: r.summary, Start: startDay, End: endDay}, true, nil
}

// localDate is the property's date of an instant, or the date itself.
func localDate(t time.Time, isDate bool, loc *time.Location) time.Time {
	if !isDate {
		t = t.In(loc)
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// parseWhen reads a DATE or DATE-TIME value: UTC (Z), with TZID, or floating
// (the property's time).
func parseWhen(p prop, loc *time.Location) (time.Time, bool, error) {
	v := strings.TrimSpace(p.value)
	if strings.EqualFold(p.params["VALUE"], "DATE") || len(v) == 8 {
		t, err := time.Parse("20060102", v)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("bad date %q", clip(v))
		}
		return checkYear(t, true)
	}
	if strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z") {
		t, err := time.Parse("20060102T150405", v[:len(v)-1])
		if err != nil {
			return time.Time{}, false, fmt.Errorf("bad date-time %q", clip(v))
		}
		return checkYear(t, false)
	}
	in := loc
	if tz := strings.Trim(p.params["TZID"], "/ "); tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			in = l
		}
	}
	t, err := time.ParseInLocation("20060102T150405", v, in)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("bad date-time %q", clip(v))
	}
	return checkYear(t, false)
}

// checkYear refuses dates no calendar of stays means.
func checkYear(t time.Time, isDate bool) (time.Time, bool, error) {
	if y := t.Year(); y < 1900 || y > 2200 {
		return time.Time{}, false, fmt.Errorf("year %d out of range", y)
	}
	return t, isDate, nil
}

// parseDuration reads RFC 5545 durations: P1D, P2W, PT12H, P1DT2H30M.
func parseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("bad duration %q", clip(s))
	s = strings.TrimPrefix(s, "+")
	if strings.HasPrefix(s, "-") || !strings.HasPrefix(strings.ToUpper(s), "P") {
		return 0, bad
	}
	s = strings.ToUpper(s[1:])
	var d time.Duration
	inTime := false
	found := false
	for s != "" {
		if s[0] == 'T' {
			inTime = true
			s = s[1:]
			continue
		}
		j := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == 0 || j == len(s) || j > 6 {
			return 0, bad
		}
		n, _ := strconv.Atoi(s[:j])
		unit := s[j]
		s = s[j+1:]
		switch {
		case unit == 'W' && !inTime:
			d += time.Duration(n) * 7 * 24 * time.Hour
		case unit == 'D' && !inTime:
			d += time.Duration(n) * 24 * time.Hour
		case unit == 'H' && inTime:
			d += time.Duration(n) * time.Hour
		case unit == 'M' && inTime:
			d += time.Duration(n) * time.Minute
		case unit == 'S' && inTime:
			d += time.Duration(n) * time.Second
		default:
			return 0, bad
		}
		found = true
	}
	if !found {
		return 0, bad
	}
	return d, nil
}

// unescapeText undoes TEXT escaping: \\ \; \, \n \N.
func unescapeText(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
