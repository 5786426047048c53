package money

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAmountAddSameCurrency(t *testing.T) {
	t.Parallel()
	sum, err := In(12_050, "USD").Add(In(950, "USD"))
	require.NoError(t, err)
	require.Equal(t, In(13_000, "USD"), sum)
	diff, err := sum.Sub(In(3_000, "USD"))
	require.NoError(t, err)
	require.Equal(t, In(10_000, "USD"), diff)
	require.Equal(t, "100.00 USD", diff.String())
}

// Pesos plus dollars is an error, never a silent sum.
func TestAmountMixedCurrencies(t *testing.T) {
	t.Parallel()
	_, err := In(100, "ARS").Add(In(100, "USD"))
	require.ErrorIs(t, err, ErrCurrencyMismatch)
	require.ErrorContains(t, err, "ARS + USD")
	_, err = In(100, "USD").Sub(In(100, "ARS"))
	require.ErrorIs(t, err, ErrCurrencyMismatch)
	_, err = In(100, "ARS").Add(In(100, ""))
	require.ErrorIs(t, err, ErrCurrencyMismatch, "a missing currency is not pesos")
}

func TestValidCurrency(t *testing.T) {
	t.Parallel()
	for _, c := range []string{"ARS", "USD", "EUR", "BRL", "UYU"} {
		require.True(t, ValidCurrency(c), c)
	}
	for _, c := range []string{"", "usd", "Usd", "US", "USDT", "U$S", "US$", "AR5", " ARS", "ÁRS"} {
		require.False(t, ValidCurrency(c), c)
	}
}
