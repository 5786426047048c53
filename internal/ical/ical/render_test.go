package ical_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"alojamientos/internal/ical"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func sampleEvents() []ical.OutEvent {
	stamp := time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC)
	return []ical.OutEvent{
		{UID: "occ-1@alojamientos", Summary: "Reservado", Start: day("2026-12-20"), End: day("2026-12-27"), Stamp: stamp},
		{UID: "occ-2@alojamientos", Summary: "No disponible, pileta; arreglo \\ techo", Start: day("2026-12-27"), End: day("2026-12-28"), Stamp: stamp},
		{UID: "occ-3@alojamientos", Summary: strings.Repeat("Cabaña ñandú ", 12), Start: day("2027-01-05"), End: day("2027-01-10"), Stamp: stamp},
	}
}

func TestRenderIsRFC5545(t *testing.T) {
	t.Parallel()
	out := ical.Render("Cabaña del Lago", sampleEvents())
	if !bytes.Equal(out, ical.Render("Cabaña del Lago", sampleEvents())) {
		t.Fatal("output is not deterministic")
	}
	if bytes.Contains(bytes.ReplaceAll(out, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatal("bare LF in output")
	}
	if !bytes.HasSuffix(out, []byte("END:VCALENDAR\r\n")) {
		t.Fatal("no CRLF after END:VCALENDAR")
	}
	folded := false
	for _, l := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("fold split a character: %q", l)
		}
		if strings.HasPrefix(l, " ") {
			folded = true
		}
	}
	if !folded {
		t.Error("the long summary was not folded")
	}
	for _, want := range []string{"VERSION:2.0", "PRODID:", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "DTSTAMP:20260301T123000Z",
		"DTSTART;VALUE=DATE:20261220", "DTEND;VALUE=DATE:20261227", `SUMMARY:No disponible\, pileta\; arreglo \\ techo`} {
		if !bytes.Contains(out, []byte(want+"\r\n")) && !bytes.Contains(out, []byte(want)) {
			t.Errorf("missing %q", want)
		}
	}
	// Our parser reads back the same nights and text.
	c, err := ical.Parse(out, ba)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(nights(c), " "); got != "2026-12-20..2026-12-27 2026-12-27..2026-12-28 2027-01-05..2027-01-10" {
		t.Errorf("read back %s", got)
	}
	if c.Events[1].Summary != "No disponible, pileta; arreglo \\ techo" || c.Events[2].Summary != strings.Repeat("Cabaña ñandú ", 12) {
		t.Errorf("summaries read back %q / %q", c.Events[1].Summary, c.Events[2].Summary)
	}
}

// python finds a python3; Debian's /usr/bin/python3 first, since
// python3-icalendar is installed there.
func python(t *testing.T) string {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	p, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 absent: the independent parser check needs it")
	}
	return p
}

// TestRenderReadByPythonIcalendar has an independent implementation
// (python3-icalendar) read our feed: it must see the same nights.
func TestRenderReadByPythonIcalendar(t *testing.T) {
	t.Parallel()
	py := python(t)
	file := filepath.Join(t.TempDir(), "feed.ics")
	if err := os.WriteFile(file, ical.Render("Cabaña del Lago", sampleEvents()), 0o600); err != nil {
		t.Fatal(err)
	}
	script := `
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
assert str(cal['VERSION']) == '2.0', cal['VERSION']
assert str(cal['METHOD']) == 'PUBLISH'
for ev in cal.walk('VEVENT'):
    s, e = ev.decoded('DTSTART'), ev.decoded('DTEND')
    print(s.isoformat() + '..' + e.isoformat() + '|' + str(ev['SUMMARY']) + '|' + str(ev['UID']))
`
	out, err := exec.Command(py, "-c", script, file).CombinedOutput()
	if err != nil {
		t.Fatalf("python3-icalendar (apt-get install python3-icalendar): %v\n%s", err, out)
	}
	want := "2026-12-20..2026-12-27|Reservado|occ-1@alojamientos\n" +
		"2026-12-27..2026-12-28|No disponible, pileta; arreglo \\ techo|occ-2@alojamientos\n" +
		"2027-01-05..2027-01-10|" + strings.Repeat("Cabaña ñandú ", 12) + "|occ-3@alojamientos\n"
	if string(out) != want {
		t.Errorf("python read\n%s\nwant\n%s", out, want)
	}
}

func TestFoldNeverSplitsACharacter(t *testing.T) {
	t.Parallel()
	for n := 60; n < 80; n++ {
		summary := strings.Repeat("a", n) + strings.Repeat("ñ€😀", 20)
		out := ical.Render("", []ical.OutEvent{{UID: "x", Summary: summary, Start: day("2026-01-01"), End: day("2026-01-02")}})
		for _, l := range strings.Split(string(out), "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Fatalf("n=%d: bad line %q", n, l)
			}
		}
		c, err := ical.Parse(out, time.UTC)
		if err != nil || c.Events[0].Summary != summary {
			t.Fatalf("n=%d: read back %v %q", n, err, c.Events[0].Summary)
		}
	}
}
