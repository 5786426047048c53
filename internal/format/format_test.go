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
	require.Equal(t, "05/01", DayMonth(d))
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

func TestNames(t *testing.T) {
	t.Parallel()
	require.Equal(t, "lunes", WeekdayName(time.Monday))
	require.Equal(t, "miércoles", WeekdayName(time.Wednesday))
	for d, short := range []string{"dom", "lun", "mar", "mié", "jue", "vie", "sáb"} {
		require.Equal(t, short, WeekdayShort(time.Weekday(d)))
	}
	require.Equal(t, "sá", WeekdayTwo(time.Saturday))
	require.Equal(t, time.Monday, Week[0])
	require.Equal(t, time.Sunday, Week[6])
	require.Equal(t, "septiembre", MonthName(time.September))
	require.Equal(t, "sep", MonthShort(time.September))
	require.Equal(t, "dic", MonthShort(time.December))
	require.Equal(t, "$ 85.000", MoneyBrief(money.FromUnits(85000)))
	require.Equal(t, "$ 1.234,50", MoneyBrief(123450))
}

func TestStay(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		in, out time.Time
		want    string
	}{
		{day(2027, 1, 8), day(2027, 1, 10), "del viernes 8 al domingo 10 de enero"},
		{day(2027, 1, 30), day(2027, 2, 1), "del sábado 30 de enero al lunes 1 de febrero"},
		{day(2026, 12, 31), day(2027, 1, 2), "del jueves 31 de diciembre de 2026 al sábado 2 de enero de 2027"},
		{day(2026, 12, 2), day(2026, 12, 3), "del miércoles 2 al jueves 3 de diciembre"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, Stay(c.in, c.out))
	}
}

func TestMoneyCompact(t *testing.T) {
	t.Parallel()
	for units, want := range map[int64]string{0: "$ 0", 950: "$ 950", 1000: "$ 1 mil", 12_500: "$ 12,5 mil",
		99_960: "$ 100 mil", 350_400: "$ 350 mil", 999_600: "$ 1 M", 1_234_567: "$ 1,2 M", 15_000_000: "$ 15 M", -2500: "-$ 2,5 mil"} {
		require.Equal(t, want, MoneyCompact(money.FromUnits(units)), "%d", units)
	}
	require.Equal(t, "$ 0", MoneyCompact(99), "cents alone round down to nothing")
	require.Equal(t, "ene", MonthShort(time.January))
}

func TestAmountCompact(t *testing.T) {
	t.Parallel()
	require.Equal(t, "US$ 12,5 mil", AmountCompact(money.In(money.FromUnits(12_500), "USD")))
	require.Equal(t, "$ 950", AmountCompact(money.In(money.FromUnits(950), "ARS")))
	require.Equal(t, "-EUR 1,2 M", AmountCompact(money.In(money.FromUnits(-1_234_567), "EUR")))
}

func TestAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in          money.Amount
		full, brief string
	}{
		{money.In(12_000, "USD"), "US$ 120,00", "US$ 120"},
		{money.In(12_050, "USD"), "US$ 120,50", "US$ 120,50"},
		{money.In(12_000_000, "ARS"), "$ 120.000,00", "$ 120.000"},
		{money.In(123_456, "EUR"), "EUR 1.234,56", "EUR 1.234,56"},
		{money.In(0, "USD"), "US$ 0,00", "US$ 0"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.full, Amount(tt.in), tt.in.String())
		require.Equal(t, tt.brief, AmountBrief(tt.in), tt.in.String())
	}
	// Pesos read exactly as they always did.
	require.Equal(t, Money(12_000_000), Amount(money.In(12_000_000, "ARS")))
	require.Equal(t, MoneyBrief(12_050), AmountBrief(money.In(12_050, "ARS")))
	require.Equal(t, "Dólares estadounidenses (USD)", CurrencyName("USD"))
	require.Equal(t, "BRL", CurrencyName("BRL"))
}
