package reports_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/money"
	"alojamientos/views/reports"
)

func TestReportLabels(t *testing.T) {
	t.Parallel()
	for units, want := range map[int64]string{0: "$ 0", 950: "$ 950", 1000: "$ 1 mil", 12_500: "$ 12,5 mil",
		99_960: "$ 100 mil", 350_400: "$ 350 mil", 999_600: "$ 1 M", 1_234_567: "$ 1,2 M", 15_000_000: "$ 15 M", -2500: "-$ 2,5 mil"} {
		require.Equal(t, want, reports.CompactMoney(money.FromUnits(units)), "%d", units)
	}
	require.Equal(t, "$ 0", reports.CompactMoney(99), "cents alone round down to nothing")
	require.Equal(t, "sep", reports.MonthShort(time.September))
	require.Equal(t, "ene", reports.MonthShort(time.January))
	require.Equal(t, "63 %", reports.Percent(63))
	require.Equal(t, "Booking.com", reports.ChannelLabel("booking"))
	require.Equal(t, "nuevo_canal", reports.ChannelLabel("nuevo_canal"))
}
