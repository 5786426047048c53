package rates_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/rates"
)

func TestParse(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]rates.Rate{
		"1185,50": 11_855_000, "1185.50": 11_855_000, "1.185,50": 11_855_000, "1,185.50": 11_855_000,
		"1185": 11_850_000, "1.185": 11_850_000, "$ 1.185,5": 11_855_000, " 1185,5 ": 11_855_000,
		"1.234.567": 12_345_670_000, "1,1855": 11_855, "1.1855": 11_855, "0,0001": 1, ",5": 5_000,
	} {
		got, err := rates.Parse(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "abc", "1185,", "1.18,5", "1185,12345", "12.34.5", "-5", "1e3", "1185,50,1"} {
		_, err := rates.Parse(in)
		require.ErrorIs(t, err, rates.ErrSyntax, in)
		require.Contains(t, rates.Message(err), "Escribí la cotización", in)
	}
	for _, in := range []string{"0", "0,00", "10.000.001", "99999999"} {
		_, err := rates.Parse(in)
		require.ErrorIs(t, err, rates.ErrRange, in)
		require.Contains(t, rates.Message(err), "mayor que cero", in)
	}
}

func TestParseMarkup(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"": 0, "2": 200, "2,5": 250, "2.50": 250, "3 %": 300, "100": 10_000, "0,01": 1} {
		got, err := rates.ParseMarkup(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{"x", "2,555", "-1", "1.2.3"} {
		_, err := rates.ParseMarkup(in)
		require.ErrorIs(t, err, rates.ErrSyntax, in)
	}
	_, err := rates.ParseMarkup("100,01")
	require.ErrorIs(t, err, rates.ErrRange)
	require.Equal(t, "El recargo va de 0 a 100 %.", rates.MarkupMessage(err))
}

func TestMarkupRoundsHalfUpToTheTenThousandth(t *testing.T) {
	t.Parallel()
	require.Equal(t, rates.Rate(12_210_650), rates.Rate(11_855_000).WithMarkup(300)) // 1185.50 × 1.03 = 1221.065
	require.Equal(t, rates.Rate(11_855_000), rates.Rate(11_855_000).WithMarkup(0))
	// 1.0001 × 1.005 = 1.00510050 → 1.0051; 1.0005 × 1.0001 = 1.00060005 → 1.0006 (half-up at .5 of the last digit)
	require.Equal(t, rates.Rate(10_051), rates.Rate(10_001).WithMarkup(50))
	require.Equal(t, rates.Rate(3), rates.Rate(5).WithMarkup(-5000)) // 2.5 ten-thousandths → 3
}

func TestToPesosRoundsHalfUpToWholePesos(t *testing.T) {
	t.Parallel()
	// US$ 120.00 at 1185.50 = 142 260 pesos exactly.
	require.Equal(t, int64(142_260), rates.ToPesos(12_000, 11_855_000))
	// US$ 0.01 at 1185.50 = 11.855 → 12; US$ 0.03 at 1000.1667 = 30.005 → 30.
	require.Equal(t, int64(12), rates.ToPesos(1, 11_855_000))
	require.Equal(t, int64(30), rates.ToPesos(3, 10_001_667))
	// Exactly half a peso rounds up: US$ 0.01 at 50.00 = 0.50 → 1; at 49.9999 → 0.
	require.Equal(t, int64(1), rates.ToPesos(1, 500_000))
	require.Equal(t, int64(0), rates.ToPesos(1, 499_999))
	// Refunds (negative) round away from zero.
	require.Equal(t, int64(-1), rates.ToPesos(-1, 500_000))
	// The largest amount money holds at the largest rate does not overflow.
	require.Equal(t, int64(99_999_999_999_900_000), rates.ToPesos(999_999_999_999, rates.MaxRate))
}

func TestFormat(t *testing.T) {
	t.Parallel()
	require.Equal(t, "$ 1.185,50", rates.Rate(11_855_000).Format())
	require.Equal(t, "$ 1,1855", rates.Rate(11_855).Format())
	require.Equal(t, "$ 1.000.000,00", rates.Rate(10_000_000_000).Format())
	require.Equal(t, "1185.5000", rates.Rate(11_855_000).String())
	require.Equal(t, "2,5 %", rates.FormatMarkup(250))
	require.Equal(t, "3 %", rates.FormatMarkup(300))
}
