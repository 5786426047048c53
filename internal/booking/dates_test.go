package booking

import (
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo

	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	valid := []struct {
		in   string
		want time.Time
	}{
		{"2026-03-01", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"2026-12-31", time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"2028-02-29", time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"0001-01-01", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range valid {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tt.in)
			require.NoError(t, err)
			require.True(t, tt.want.Equal(got), "got %s", got)
			require.Equal(t, time.UTC, got.Location(), "civil dates are midnight UTC")
			require.Equal(t, tt.in, FormatDate(got))
		})
	}
	invalid := []string{
		"",
		"2026-3-1",
		"2026-03-1",
		"26-03-01",
		"2026/03/01",
		"01/03/2026",
		"01-03-2026",
		"2026-02-29", // not a leap year
		"2026-02-30",
		"2026-13-01",
		"2026-00-10",
		"2026-04-31",
		"2026-03-01T00:00:00Z",
		"2026-03-01 ",
		" 2026-03-01",
		"20260301",
		"mañana",
	}
	for _, in := range invalid {
		t.Run("invalid "+in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(in)
			require.Error(t, err)
			require.True(t, got.IsZero())
		})
	}
}

func TestNightsBetween(t *testing.T) {
	t.Parallel()
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"same day", d(2026, 3, 1), d(2026, 3, 1), 0},
		{"one night", d(2026, 3, 1), d(2026, 3, 2), 1},
		{"March (crosses Argentina's old DST dates and Europe's)", d(2026, 3, 1), d(2026, 4, 1), 31},
		{"October (crosses southern DST changes)", d(2026, 10, 1), d(2026, 11, 1), 31},
		{"February of a leap year", d(2028, 2, 1), d(2028, 3, 1), 29},
		{"February of a common year", d(2026, 2, 1), d(2026, 3, 1), 28},
		{"year turn", d(2026, 12, 30), d(2027, 1, 3), 4},
		{"a common year", d(2026, 1, 1), d(2027, 1, 1), 365},
		{"a leap year", d(2028, 1, 1), d(2029, 1, 1), 366},
		{"ten years", d(2026, 1, 1), d(2036, 1, 1), 3652},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, NightsBetween(tt.from, tt.to))
		})
	}
}

func TestLocalDate(t *testing.T) {
	t.Parallel()
	ba, err := time.LoadLocation("America/Argentina/Buenos_Aires")
	require.NoError(t, err)
	madrid, err := time.LoadLocation("Europe/Madrid")
	require.NoError(t, err)
	tests := []struct {
		name    string
		instant time.Time
		loc     *time.Location
		want    string
	}{
		{"02:00Z is still yesterday in Buenos Aires", time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC), ba, "2025-12-31"},
		{"02:00Z in UTC", time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC), time.UTC, "2026-01-01"},
		{"02:59Z in Buenos Aires", time.Date(2026, 3, 10, 2, 59, 59, 0, time.UTC), ba, "2026-03-09"},
		{"03:00Z is midnight in Buenos Aires", time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC), ba, "2026-03-10"},
		{"23:30Z is tomorrow in Madrid", time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC), madrid, "2026-07-02"},
		{"an instant given in another zone", time.Date(2026, 1, 1, 1, 0, 0, 0, madrid), ba, "2025-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := LocalDate(tt.instant, tt.loc)
			require.Equal(t, tt.want, FormatDate(got))
			require.Equal(t, time.UTC, got.Location())
			h, m, s := got.Clock()
			require.Equal(t, [3]int{0, 0, 0}, [3]int{h, m, s}, "a civil date is midnight")
			require.Zero(t, got.Nanosecond())
		})
	}
}

func TestLocationsGet(t *testing.T) {
	t.Parallel()
	var l Locations

	ba := l.Get("America/Argentina/Buenos_Aires")
	require.Equal(t, "America/Argentina/Buenos_Aires", ba.String())
	require.Same(t, ba, l.Get("America/Argentina/Buenos_Aires"), "second Get must come from the cache")

	madrid := l.Get("Europe/Madrid")
	require.Equal(t, "Europe/Madrid", madrid.String())
	require.Same(t, madrid, l.Get("Europe/Madrid"))
	require.NotSame(t, ba, madrid)

	require.Equal(t, time.UTC, l.Get("UTC"))

	for _, bad := range []string{"Mars/Olympus_Mons", "America/Buenos Aires", "../../etc/passwd", "not a zone"} {
		t.Run(bad, func(t *testing.T) {
			loc := l.Get(bad)
			require.NotNil(t, loc)
			require.Equal(t, "America/Argentina/Buenos_Aires", loc.String(), "a bad name falls back to Buenos Aires")
			require.Same(t, loc, l.Get(bad), "the fallback is cached too")
			instant := time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC)
			require.Equal(t, "2025-12-31", FormatDate(LocalDate(instant, loc)))
		})
	}
}

// time.LoadLocation gives meaning to "" (UTC) and "Local" (the server's zone),
// but neither is a timezone an account can have (the column has no CHECK):
// both must fall back to Buenos Aires like any other bad name.
func TestLocationsGetNonIANANamesFallBack(t *testing.T) {
	t.Parallel()
	var l Locations
	for _, name := range []string{"", "Local"} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, "America/Argentina/Buenos_Aires", l.Get(name).String())
		})
	}
}

func TestLocationsGetConcurrent(t *testing.T) {
	t.Parallel()
	var l Locations
	done := make(chan *time.Location)
	for range 16 {
		go func() { done <- l.Get("America/Argentina/Cordoba") }()
	}
	for range 16 {
		loc := <-done
		require.Equal(t, "America/Argentina/Cordoba", loc.String())
	}
}
