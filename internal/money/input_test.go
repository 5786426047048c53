package money

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseInputValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Money
	}{
		{"85000", 8_500_000},
		{"85.000", 8_500_000},
		{"85000,50", 8_500_050},
		{"85.000,50", 8_500_050},
		{"$ 85.000,50", 8_500_050},
		{"$85.000", 8_500_000},
		{" $ 1.234.567,8 ", 123_456_780},
		{"85000.50", 8_500_050},
		{"85000.5", 8_500_050},
		{"1.5", 150},
		{"1.500", 150_000},
		{"0", 0},
		{"0,00", 0},
		{",50", 50},
		{"007", 700},
		{"85 000", 8_500_000},
		{"85\u00a0000", 8_500_000},
		{"9.999.999.999,99", Max},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseInput(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseInputInvalid(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", " ", "$", "abc", "-100", "85,", "85,123", "85.00.0", "8.5000", "85.0000", "1.234.5", "85.000.50",
		"1,2,3", ".500", "85,5a", "12e3", "0x10", "10.000.000.000", "99999999999", "$ $ 10", "85..000", "85.",
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			_, err := ParseInput(in)
			require.ErrorIs(t, err, ErrInput)
		})
	}
}

// Every amount Display writes reads back as itself.
func TestParseInputReadsDisplay(t *testing.T) {
	t.Parallel()
	for _, m := range []Money{0, 1, 99, 100, 8_500_000, 8_500_050, 123_456_789, Max} {
		got, err := ParseInput(m.Display())
		require.NoError(t, err, m.Display())
		require.Equal(t, m, got)
		got, err = ParseInput("$ " + m.Display())
		require.NoError(t, err)
		require.Equal(t, m, got)
	}
}
