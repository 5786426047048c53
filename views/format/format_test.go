package format

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/money"
)

func TestFormats(t *testing.T) {
	t.Parallel()
	d := time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)
	require.Equal(t, "05/01/2027", Date(d))
	require.Equal(t, "mar", Weekday(d))
	require.Equal(t, "enero de 2027", Month(d))
	ba, err := time.LoadLocation("America/Argentina/Buenos_Aires")
	require.NoError(t, err)
	require.Equal(t, "04/01/2027 23:30", DateTime(time.Date(2027, 1, 5, 2, 30, 0, 0, time.UTC), ba))
	require.Equal(t, "$ 12.345,67", Money(1234567))
	require.Equal(t, "$ 85.000,00", Money(money.FromUnits(85000)))
	require.Equal(t, "$ 0,00", Money(0))
	require.Equal(t, "1 noche", Nights(1))
	require.Equal(t, "12 noches", Nights(12))
}
