package booking_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
)

// The legal withdrawal window (booking.Withdrawal): ten calendar days from
// the booking's local day, a deadline on a weekend moved to Monday, never
// later than 24 hours before the check-in time, each end inclusive.

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// endOf is the last instant of a local day.
func endOf(y int, m time.Month, d int, loc *time.Location) time.Time {
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc).Add(-time.Nanosecond)
}

func TestWithdrawalTenthDayFromAMonday(t *testing.T) {
	t.Parallel()
	ba := zone(t, "America/Argentina/Buenos_Aires")
	booked := time.Date(2026, 3, 2, 10, 0, 0, 0, ba) // a Monday
	require.Equal(t, time.Monday, booked.Weekday())
	far := day(2026, 6, 1)
	w := booking.Withdrawal(booked, far, "14:00", ba, booked)
	// The day of the booking is left out (CCyC art. 6): day 1 is Tuesday 3,
	// day 10 is Thursday 12, and it ends at midnight.
	require.Equal(t, endOf(2026, 3, 12, ba), w.TenDays)
	require.Equal(t, time.Thursday, w.TenDays.Weekday())
	require.Equal(t, w.TenDays, w.Deadline)
	require.True(t, w.InTime)
	require.Empty(t, w.Reason)

	last := booking.Withdrawal(booked, far, "14:00", ba, time.Date(2026, 3, 12, 23, 59, 59, 500_000_000, ba))
	require.True(t, last.InTime, "the last half second of the tenth day is still in time")
	late := booking.Withdrawal(booked, far, "14:00", ba, time.Date(2026, 3, 13, 0, 0, 0, 0, ba))
	require.False(t, late.InTime)
	require.Contains(t, late.Reason, "pasaron más de 10 días corridos")
	require.Contains(t, late.Reason, "12/03/2026")
}

func TestWithdrawalWeekendDeadlineMovesToMonday(t *testing.T) {
	t.Parallel()
	ba := zone(t, "America/Argentina/Buenos_Aires")
	far := day(2026, 6, 1)
	for _, c := range []struct {
		name   string
		booked time.Time
	}{
		{"tenth day a Saturday", time.Date(2026, 3, 4, 9, 0, 0, 0, ba)}, // Wednesday → Saturday 14
		{"tenth day a Sunday", time.Date(2026, 3, 5, 18, 0, 0, 0, ba)},  // Thursday → Sunday 15
		{"booked late on a Thursday", time.Date(2026, 3, 5, 23, 59, 0, 0, ba)},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := booking.Withdrawal(c.booked, far, "14:00", ba, c.booked)
			require.Equal(t, endOf(2026, 3, 16, ba), w.TenDays, "Monday 16 at 23:59:59 local")
			require.Equal(t, time.Monday, w.TenDays.Weekday())
			for at, in := range map[time.Time]bool{
				time.Date(2026, 3, 15, 20, 0, 0, 0, ba):   true,
				time.Date(2026, 3, 16, 23, 59, 59, 0, ba): true,
				time.Date(2026, 3, 17, 0, 0, 0, 0, ba):    false,
			} {
				require.Equal(t, in, booking.Withdrawal(c.booked, far, "14:00", ba, at).InTime, "at %s", at)
			}
		})
	}
	// A tenth day on a weekday is not moved.
	w := booking.Withdrawal(time.Date(2026, 3, 6, 12, 0, 0, 0, ba), far, "14:00", ba, time.Time{})
	require.Equal(t, endOf(2026, 3, 16, ba), w.TenDays, "Friday 6 → Monday 16, its own tenth day")
}

func TestWithdrawalCheckInWithin24Hours(t *testing.T) {
	t.Parallel()
	ba := zone(t, "America/Argentina/Buenos_Aires")
	booked := time.Date(2026, 3, 2, 10, 0, 0, 0, ba)
	arrival := day(2026, 3, 3) // tomorrow, check-in at 14:00
	w := booking.Withdrawal(booked, arrival, "14:00", ba, time.Date(2026, 3, 2, 15, 0, 0, 0, ba))
	require.Equal(t, time.Date(2026, 3, 2, 14, 0, 0, 0, ba), w.BeforeStay)
	require.Equal(t, w.BeforeStay, w.Deadline, "the earlier of the two deadlines")
	require.False(t, w.InTime, "within the ten days, but less than 24 hours before arriving")
	require.Equal(t, "faltan menos de 24 horas para la llegada", w.Reason)

	// A check-in time the program cannot read counts as 14:00.
	odd := booking.Withdrawal(booked, arrival, "mediodía", ba, booked)
	require.Equal(t, w.BeforeStay, odd.BeforeStay)
	// A late check-in leaves more time.
	late := booking.Withdrawal(booked, arrival, "20:30", ba, time.Date(2026, 3, 2, 20, 0, 0, 0, ba))
	require.True(t, late.InTime)
}

func TestWithdrawalExactlyAtTheDeadline(t *testing.T) {
	t.Parallel()
	ba := zone(t, "America/Argentina/Buenos_Aires")
	booked := time.Date(2026, 3, 2, 10, 0, 0, 0, ba)
	arrival := day(2026, 3, 8)
	w := booking.Withdrawal(booked, arrival, "15:00", ba, booked)
	require.Equal(t, time.Date(2026, 3, 7, 15, 0, 0, 0, ba), w.Deadline)
	require.True(t, booking.Withdrawal(booked, arrival, "15:00", ba, w.Deadline).InTime, "at the deadline: in time")
	require.False(t, booking.Withdrawal(booked, arrival, "15:00", ba, w.Deadline.Add(time.Nanosecond)).InTime,
		"a nanosecond later: too late")

	far := day(2026, 6, 1)
	w = booking.Withdrawal(booked, far, "15:00", ba, booked)
	require.True(t, booking.Withdrawal(booked, far, "15:00", ba, w.TenDays).InTime)
	require.False(t, booking.Withdrawal(booked, far, "15:00", ba, w.TenDays.Add(time.Nanosecond)).InTime)
}

// Argentina has no daylight saving time: the three zones are UTC-3 all year,
// and the day is the local one. A booking at 23:30 of a Sunday local time is
// Monday in UTC; its tenth day is the Wednesday, ending 02:59:59 UTC Thursday.
func TestWithdrawalArgentineZones(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"America/Argentina/Buenos_Aires", "America/Argentina/Mendoza", "America/Argentina/Ushuaia"} {
		t.Run(name, func(t *testing.T) {
			loc := zone(t, name)
			for _, m := range []time.Month{time.January, time.July} {
				_, off := time.Date(2026, m, 1, 12, 0, 0, 0, loc).Zone()
				require.Equal(t, -3*3600, off, "UTC-3 in %s", m)
			}
			booked := time.Date(2026, 3, 2, 2, 30, 0, 0, time.UTC) // Sunday 1 March 23:30 local
			require.Equal(t, time.Sunday, booked.In(loc).Weekday())
			w := booking.Withdrawal(booked, day(2026, 6, 1), "14:00", loc, booked)
			require.Equal(t, endOf(2026, 3, 11, loc), w.TenDays)
			require.Equal(t, time.Date(2026, 3, 12, 2, 59, 59, 999_999_999, time.UTC), w.TenDays.UTC())
			require.True(t, booking.Withdrawal(booked, day(2026, 6, 1), "14:00", loc,
				time.Date(2026, 3, 12, 2, 0, 0, 0, time.UTC)).InTime, "Wednesday 23:00 local")
			require.False(t, booking.Withdrawal(booked, day(2026, 6, 1), "14:00", loc,
				time.Date(2026, 3, 12, 3, 0, 0, 0, time.UTC)).InTime, "Thursday 00:00 local")
		})
	}
}

// A property in a zone with daylight saving time: the deadline is the end of
// the local day whatever the offset that day, and "24 hours before" is 24
// real hours, so across a change of the clocks it reads 13:00 or 15:00.
func TestWithdrawalZonesWithDaylightSaving(t *testing.T) {
	t.Parallel()
	t.Run("America/Santiago: summer time ends the night of Saturday 4 April 2026", func(t *testing.T) {
		scl := zone(t, "America/Santiago")
		booked := time.Date(2026, 3, 25, 12, 0, 0, 0, scl) // Wednesday, UTC-3
		w := booking.Withdrawal(booked, day(2026, 6, 1), "14:00", scl, booked)
		// Tenth day Saturday 4 April → Monday 6 April, by then UTC-4.
		require.Equal(t, time.Date(2026, 4, 7, 3, 59, 59, 999_999_999, time.UTC), w.TenDays.UTC())

		arrival := booking.Withdrawal(booked, day(2026, 4, 5), "14:00", scl, booked)
		require.Equal(t, time.Date(2026, 4, 5, 18, 0, 0, 0, time.UTC), arrival.BeforeStay.Add(24*time.Hour).UTC(),
			"check-in Sunday 14:00 at UTC-4")
		require.Equal(t, "15:00", arrival.BeforeStay.In(scl).Format("15:04"), "24 real hours earlier the clock said 15:00")
	})
	t.Run("Europe/Madrid: summer time starts Sunday 29 March 2026", func(t *testing.T) {
		mad := zone(t, "Europe/Madrid")
		booked := time.Date(2026, 3, 19, 10, 0, 0, 0, mad) // Thursday, UTC+1
		w := booking.Withdrawal(booked, day(2026, 6, 1), "16:00", mad, booked)
		// Tenth day Sunday 29 March → Monday 30 March, by then UTC+2.
		require.Equal(t, time.Date(2026, 3, 30, 21, 59, 59, 999_999_999, time.UTC), w.TenDays.UTC())
		arrival := booking.Withdrawal(booked, day(2026, 3, 29), "16:00", mad, booked)
		require.Equal(t, "15:00", arrival.BeforeStay.In(mad).Format("15:04"))
		require.True(t, booking.Withdrawal(booked, day(2026, 3, 29), "16:00", mad,
			time.Date(2026, 3, 28, 14, 59, 0, 0, mad)).InTime)
		require.False(t, booking.Withdrawal(booked, day(2026, 3, 29), "16:00", mad,
			time.Date(2026, 3, 28, 15, 1, 0, 0, mad)).InTime)
	})
}

func TestWithdrawalCodeForm(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^ARR-[2-9A-HJ-NP-Z]{8}$`)
	seen := map[string]bool{}
	for range 200 {
		c := booking.NewWithdrawalCode()
		require.Regexp(t, re, c)
		seen[c] = true
	}
	require.Greater(t, len(seen), 195, "codes are drawn at random")
}
