package ical_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"alojamientos/internal/ical"
)

var ba = mustLoc("America/Argentina/Buenos_Aires")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// nights renders events as "start..end summary" lines, in feed order.
func nights(c *ical.Calendar) []string {
	var out []string
	for _, e := range c.Events {
		out = append(out, e.Start.Format("2006-01-02")+".."+e.End.Format("2006-01-02"))
	}
	return out
}

func TestParseFixtures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file      string
		nights    []string
		summaries []string
	}{
		{"airbnb_sample.ics",
			[]string{"2025-10-19..2025-10-22", "2025-10-22..2025-10-25", "2025-10-28..2025-11-01", "2025-10-25..2025-10-28", "2025-11-14..2025-11-17"},
			[]string{"Reserved", "Reserved", "Reserved", "Airbnb (Not available)", "Airbnb (Not available)"}},
		{"airbnb_legacy_0.8.8_sample.ics",
			[]string{"2022-08-16..2022-08-20", "2022-11-11..2022-11-13", "2022-08-20..2022-09-04", "2023-02-15..2023-08-20"},
			[]string{"Reserved", "Reserved", "Airbnb (Not available)", "Airbnb (Not available)"}},
		{"booking_sample.ics",
			[]string{"2026-09-01..2026-09-15", "2027-07-23..2027-08-06", "2027-08-31..2028-02-29"},
			[]string{"CLOSED - Not available", "CLOSED - Not available", "CLOSED - Not available"}},
		{"booking_empty_body.ics", nil, nil},
		{"vrbo_homeaway_sample.ics",
			[]string{"2019-12-24..2019-12-29", "2020-01-01..2020-01-24", "2020-02-29..2020-03-05", "2020-11-15..2020-12-06"},
			[]string{"Réservée - Melanie", "Réservée - M & Mme", "Indisponible", "Provisoire - Sylvie"}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			c, err := ical.Parse(data, ba)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if got := strings.Join(nights(c), " "); got != strings.Join(tc.nights, " ") {
				t.Errorf("nights\n got %s\nwant %s", got, strings.Join(tc.nights, " "))
			}
			for i, e := range c.Events {
				if e.UID == "" {
					t.Errorf("event %d has no UID", i)
				}
				if i < len(tc.summaries) && e.Summary != tc.summaries[i] {
					t.Errorf("summary %d = %q, want %q", i, e.Summary, tc.summaries[i])
				}
			}
		})
	}
}

const head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n"
const tail = "END:VCALENDAR\r\n"

func ev(lines ...string) string {
	return "BEGIN:VEVENT\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VEVENT\r\n"
}

func TestParseEdgeCases(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		feed   string
		nights string // "" = empty calendar
		err    error  // a failed sync
		anyErr bool
	}{
		{name: "all-day", feed: head + ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261013") + tail,
			nights: "2026-10-10..2026-10-13"},
		{name: "date without VALUE=DATE", feed: head + ev("UID:a", "DTSTART:20261010", "DTEND:20261012") + tail,
			nights: "2026-10-10..2026-10-12"},
		{name: "missing DTEND is one night", feed: head + ev("UID:a", "DTSTART;VALUE=DATE:20261010") + tail,
			nights: "2026-10-10..2026-10-11"},
		{name: "DTEND equal to DTSTART is one night", feed: head + ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261010") + tail,
			nights: "2026-10-10..2026-10-11"},
		{name: "DTEND before DTSTART is one night", feed: head + ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261001") + tail,
			nights: "2026-10-10..2026-10-11"},
		{name: "DURATION in days", feed: head + ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DURATION:P3D") + tail,
			nights: "2026-10-10..2026-10-13"},
		{name: "DURATION in weeks", feed: head + ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DURATION:P1W") + tail,
			nights: "2026-10-10..2026-10-17"},
		{name: "DURATION with time on a date-time", feed: head + ev("UID:a", "DTSTART:20261010T150000Z", "DURATION:P2DT1H") + tail,
			nights: "2026-10-10..2026-10-12"},
		{name: "UTC date-time to local dates (evening UTC is still the same day in Buenos Aires)",
			feed:   head + ev("UID:a", "DTSTART:20261010T170000Z", "DTEND:20261013T130000Z") + tail,
			nights: "2026-10-10..2026-10-13"},
		{name: "UTC just after midnight is the previous local day",
			feed:   head + ev("UID:a", "DTSTART:20261010T020000Z", "DTEND:20261012T020000Z") + tail,
			nights: "2026-10-09..2026-10-11"},
		{name: "TZID from the embedded database", feed: head + ev("UID:a", "DTSTART;TZID=Europe/Madrid:20261010T010000",
			"DTEND;TZID=Europe/Madrid:20261012T010000") + tail,
			nights: "2026-10-09..2026-10-11"},
		{name: "quoted TZID", feed: head + ev("UID:a", `DTSTART;TZID="America/New_York":20261010T230000`,
			`DTEND;TZID="America/New_York":20261011T090000`) + tail,
			nights: "2026-10-11..2026-10-12"},
		{name: "unknown TZID is the property's time", feed: head + ev("UID:a", "DTSTART;TZID=Mars/Olympus:20261010T140000",
			"DTEND;TZID=Mars/Olympus:20261012T100000") + tail,
			nights: "2026-10-10..2026-10-12"},
		{name: "floating date-time is the property's time", feed: head + ev("UID:a", "DTSTART:20261010T140000", "DTEND:20261012T100000") + tail,
			nights: "2026-10-10..2026-10-12"},
		{name: "same-day date-times are one night", feed: head + ev("UID:a", "DTSTART:20261010T140000", "DTEND:20261010T180000") + tail,
			nights: "2026-10-10..2026-10-11"},
		{name: "STATUS:CANCELLED ignored", feed: head + ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261012", "STATUS:CANCELLED") +
			ev("UID:b", "DTSTART;VALUE=DATE:20261020", "DTEND;VALUE=DATE:20261021") + tail,
			nights: "2026-10-20..2026-10-21"},
		{name: "TRANSP:TRANSPARENT ignored", feed: head + ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261012", "TRANSP:TRANSPARENT") + tail},
		{name: "duplicate UID with the same dates is one event", feed: head +
			ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261012") +
			ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261012") + tail,
			nights: "2026-10-10..2026-10-12"},
		{name: "duplicate UID with other dates keeps both", feed: head +
			ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261012") +
			ev("UID:a", "DTSTART;VALUE=DATE:20261110", "DTEND;VALUE=DATE:20261112") + tail,
			nights: "2026-10-10..2026-10-12 2026-11-10..2026-11-12"},
		{name: "no UID still blocks", feed: head + ev("DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261012") + tail,
			nights: "2026-10-10..2026-10-12"},
		{name: "BOM and LF-only", feed: "\ufeff" + strings.ReplaceAll(head+ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261012")+tail, "\r\n", "\n"),
			nights: "2026-10-10..2026-10-12"},
		{name: "lowercase names", feed: "begin:vcalendar\nversion:2.0\nbegin:vevent\nuid:a\ndtstart;value=date:20261010\ndtend;value=date:20261012\nend:vevent\nend:vcalendar\n",
			nights: "2026-10-10..2026-10-12"},
		{name: "folds with space and tab", feed: head + "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:2026\r\n 1010\r\nDTEND;VALUE=DA\r\n\tTE:20261012\r\nEND:VEVENT\r\n" + tail,
			nights: "2026-10-10..2026-10-12"},
		{name: "VALARM inside the event does not confuse it", feed: head + "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20261010\r\nBEGIN:VALARM\r\nDTSTART:20200101T000000Z\r\nEND:VALARM\r\nDTEND;VALUE=DATE:20261012\r\nEND:VEVENT\r\n" + tail,
			nights: "2026-10-10..2026-10-12"},
		{name: "VTIMEZONE is skipped", feed: head + "BEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n" +
			ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261012") + tail,
			nights: "2026-10-10..2026-10-12"},
		{name: "empty body is an empty calendar", feed: ""},
		{name: "whitespace body is an empty calendar", feed: " \r\n\r\n"},
		{name: "calendar without events", feed: head + tail},
		{name: "HTML page fails", feed: "<!DOCTYPE html>\n<html><head><title>Login</title></head></html>", err: ical.ErrNotCalendar},
		{name: "JSON error fails", feed: `{"error":"not found"}`, err: ical.ErrNotCalendar},
		{name: "truncated calendar fails", feed: head + ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DTEND;VALUE=DATE:20261012"), err: ical.ErrTruncated},
		{name: "truncated inside an event fails", feed: head + "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20261010\r\n", err: ical.ErrTruncated},
		{name: "bad date fails", feed: head + ev("UID:a", "DTSTART;VALUE=DATE:2026-10-10") + tail, anyErr: true},
		{name: "event without DTSTART fails", feed: head + ev("UID:a", "SUMMARY:x") + tail, anyErr: true},
		{name: "bad duration fails", feed: head + ev("UID:a", "DTSTART;VALUE=DATE:20261010", "DURATION:3 days") + tail, anyErr: true},
		{name: "garbage line inside fails", feed: head + "this is not a property\r\n" + tail, anyErr: true},
		{name: "not UTF-8 fails", feed: head + ev("UID:a", "SUMMARY:\xff\xfe", "DTSTART;VALUE=DATE:20261010") + tail, err: ical.ErrNotCalendar},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := ical.Parse([]byte(tc.feed), ba)
			if tc.err != nil || tc.anyErr {
				if err == nil {
					t.Fatalf("parsed %v, want an error", nights(c))
				}
				if tc.err != nil && !errors.Is(err, tc.err) {
					t.Fatalf("error %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if got := strings.Join(nights(c), " "); got != tc.nights {
				t.Errorf("nights %q, want %q", got, tc.nights)
			}
		})
	}
}

func TestParseEscapedText(t *testing.T) {
	t.Parallel()
	c, err := ical.Parse([]byte(head+ev("UID:a", `SUMMARY:Bloqueo\, pileta\; techo \\ línea\nnueva`, "DTSTART;VALUE=DATE:20261010")+tail), ba)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Bloqueo, pileta; techo \\ línea\nnueva"; c.Events[0].Summary != want {
		t.Errorf("summary %q, want %q", c.Events[0].Summary, want)
	}
}
