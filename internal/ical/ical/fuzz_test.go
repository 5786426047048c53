package ical_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"alojamientos/internal/ical"
)

// FuzzParse: no input makes the parser panic, and every event it returns
// has at least one night and a UID.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.ics"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(head + ev("UID:a", "DTSTART;TZID=Europe/Madrid:20261010T010000", "DURATION:P1DT2H") + tail))
	f.Add([]byte("<html>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ical.Parse(data, ba)
		if err != nil {
			return
		}
		for _, e := range c.Events {
			if !e.End.After(e.Start) || e.UID == "" {
				t.Fatalf("bad event %+v", e)
			}
		}
		// Whatever we read, we can write and read back.
		out := make([]ical.OutEvent, 0, len(c.Events))
		for _, e := range c.Events {
			out = append(out, ical.OutEvent{UID: e.UID, Summary: e.Summary, Start: e.Start, End: e.End, Stamp: time.Unix(0, 0)})
		}
		back, err := ical.Parse(ical.Render("x", out), ba)
		if err != nil || len(back.Events) != len(out) {
			t.Fatalf("round trip: %v (%d events, want %d)", err, len(back.Events), len(out))
		}
	})
}
