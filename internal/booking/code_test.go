package booking

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	reservationCodeRe = regexp.MustCompile(`^RES[0-9]{6}[0-9A-F]{6}$`)
	guestTokenRe      = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

func TestNewCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		date   time.Time
		prefix string
	}{
		{time.Date(2025, 10, 8, 0, 0, 0, 0, time.UTC), "RES251008"},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "RES260101"},
		{time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), "RES261231"},
		{time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC), "RES280229"},
		{time.Date(2100, 7, 4, 0, 0, 0, 0, time.UTC), "RES000704"},
		// Whatever the clock time, only the date counts.
		{time.Date(2025, 10, 8, 23, 59, 59, 0, time.UTC), "RES251008"},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			t.Parallel()
			code := NewCode(tt.date)
			require.Regexp(t, reservationCodeRe, code)
			require.Len(t, code, 15)
			require.Equal(t, tt.prefix, code[:9])
		})
	}
}

// The date part is the argument's own calendar date: callers pass the
// property's local date (see LocalDate), not a UTC instant.
func TestNewCodeUsesTheLocalDateGiven(t *testing.T) {
	t.Parallel()
	ba := time.FixedZone("ART", -3*3600)
	instant := time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC) // Dec 31 23:00 in Buenos Aires
	require.Equal(t, "RES251231", NewCode(LocalDate(instant, ba))[:9])
	require.Equal(t, "RES260101", NewCode(LocalDate(instant, time.UTC))[:9])
}

func TestNewCodeIsRandom(t *testing.T) {
	t.Parallel()
	d := time.Date(2025, 10, 8, 0, 0, 0, 0, time.UTC)
	seen := map[string]int{}
	for range 1000 {
		c := NewCode(d)
		require.Regexp(t, reservationCodeRe, c)
		seen[c]++
	}
	require.Greater(t, len(seen), 1, "1000 codes for the same day are all equal")
	// 24 random bits: a handful of collisions in 1000 is possible, hundreds is not.
	require.Greater(t, len(seen), 950)
}

func TestNewGuestToken(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		tok := NewGuestToken()
		require.Regexp(t, guestTokenRe, tok)
		require.False(t, seen[tok], "duplicate 128-bit token %s", tok)
		seen[tok] = true
	}
}
