package reports_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/views/reports"
)

func TestReportLabels(t *testing.T) {
	t.Parallel()
	require.Equal(t, "63 %", reports.Percent(63))
	require.Equal(t, "Booking.com", reports.ChannelLabel("booking"))
	require.Equal(t, "nuevo_canal", reports.ChannelLabel("nuevo_canal"))
}
