package booking

import (
	"fmt"
	"sync"
	"time"
)

// Dates of stays are civil dates: time.Time at midnight UTC, whatever the
// property's timezone, so arithmetic on them never meets a DST jump.

const dateLayout = "2006-01-02"

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("booking: %q is not a date YYYY-MM-DD", s)
	}
	return d, nil
}

// FormatDate writes YYYY-MM-DD.
func FormatDate(d time.Time) string { return d.Format(dateLayout) }

// NightsBetween counts nights in [from, to).
func NightsBetween(from, to time.Time) int { return int(to.Sub(from).Hours()+0.5) / 24 }

// LocalDate is the civil date of instant t in loc.
func LocalDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Locations caches time.LoadLocation, which reads and parses the zone every call.
type Locations struct{ m sync.Map }

// Get returns the location named name, falling back to Buenos Aires for a bad name
// (the schema default), since a stay must still be priced.
func (l *Locations) Get(name string) *time.Location {
	if v, ok := l.m.Load(name); ok {
		return v.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	// "" and "Local" are valid to Go but mean UTC or the server's zone: never what an account meant.
	if err != nil || name == "" || name == "Local" {
		loc, err = time.LoadLocation("America/Argentina/Buenos_Aires")
		if err != nil {
			loc = time.FixedZone("ART", -3*3600)
		}
	}
	l.m.Store(name, loc)
	return loc
}
