package stats_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/money"
	"alojamientos/internal/stats"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestStatsMonths(t *testing.T) {
	t.Parallel()
	require.Equal(t, 29, stats.DaysIn(day(2028, time.February, 1)), "leap February")
	require.Equal(t, 28, stats.DaysIn(day(2027, time.February, 10)))
	require.Equal(t, 28, stats.DaysIn(day(2100, time.February, 1)), "a century is not leap")
	require.Equal(t, 29, stats.DaysIn(day(2000, time.February, 1)), "unless it divides by 400")
	require.Equal(t, 31, stats.DaysIn(day(2027, time.December, 31)))
	require.Equal(t, 30, stats.DaysIn(day(2027, time.April, 1)))

	require.Equal(t, day(2027, time.March, 1), stats.MonthStart(day(2027, time.March, 31)))
	require.Equal(t, day(2026, time.November, 1), stats.AddMonths(day(2027, time.January, 1), -2))
	require.Equal(t, day(2028, time.February, 1), stats.AddMonths(day(2027, time.December, 1), 2))

	w := stats.Recent(day(2027, time.March, 15))
	list := w.List()
	require.Len(t, list, 15)
	require.Equal(t, day(2026, time.April, 1), list[0], "12 months back, this one included")
	require.Equal(t, day(2027, time.March, 1), list[11])
	require.Equal(t, day(2027, time.June, 1), list[14])
	require.Equal(t, day(2027, time.July, 1), w.To())

	y := stats.Year(2028)
	require.Equal(t, day(2028, time.January, 1), y.From)
	require.Equal(t, day(2029, time.January, 1), y.To())

	h := stats.ThisAndNext(day(2027, time.December, 31))
	require.Equal(t, []time.Time{day(2027, time.December, 1), day(2028, time.January, 1)}, h.List())
}

func TestStatsPercent(t *testing.T) {
	t.Parallel()
	require.Equal(t, 10, stats.Percent(3, 30))
	require.Equal(t, 5, stats.Percent(3, 60))
	require.Equal(t, 67, stats.Percent(2, 3), "rounded half up")
	require.Equal(t, 33, stats.Percent(1, 3))
	require.Equal(t, 1, stats.Percent(1, 200), "0.5 rounds up")
	require.Equal(t, 0, stats.Percent(1, 201))
	require.Equal(t, 100, stats.Percent(29, 29))
	require.Equal(t, 0, stats.Percent(0, 0), "no properties: 0, not a division by zero")
	require.Equal(t, 0, stats.Percent(5, 0))
}

func TestStatsBuildWithoutProperties(t *testing.T) {
	t.Parallel()
	r := stats.Build(stats.Input{Window: stats.ThisAndNext(day(2027, time.May, 3))})
	require.Empty(t, r.Properties)
	require.Len(t, r.MonthTotal, 2)
	for _, f := range r.MonthTotal {
		require.Zero(t, f.Capacity)
		require.Zero(t, f.Occupancy())
		require.Zero(t, f.BlockedPercent())
	}
	require.Empty(t, r.Channels)
	require.Zero(t, r.Total)
}

func TestStatsBuild(t *testing.T) {
	t.Parallel()
	feb, mar := day(2028, time.February, 1), day(2028, time.March, 1)
	in := stats.Input{
		Window: stats.Window{From: feb, Months: 2},
		Properties: []stats.Property{
			{ID: 1, Name: "Cabaña Alerce", Active: true},
			{ID: 2, Name: "Cabaña Coihue", Active: true},
			{ID: 3, Name: "Vieja (sin datos)", Active: false},
			{ID: 4, Name: "Vieja con estadías", Active: false},
		},
		Stays: []stats.StayMonth{
			// A stay from Feb 27 to Mar 3, 2028 (4 nights at 10000, 2000 cleaning) as the SQL cuts it.
			{PropertyID: 1, Channel: "direct", Month: feb, Nights: 3, Revenue: pesos(32000)},
			{PropertyID: 1, Channel: "direct", Month: mar, Nights: 2, Revenue: pesos(20000)},
			{PropertyID: 2, Channel: "airbnb", Month: feb, Nights: 29, Revenue: pesos(290000)},
			{PropertyID: 4, Channel: "airbnb", Month: mar, Nights: 1, Revenue: pesos(5000)},
			{PropertyID: 1, Channel: "direct", Month: day(2028, time.April, 1), Nights: 9, Revenue: money.In(9, "ARS")}, // outside: ignored
			{PropertyID: 99, Channel: "direct", Month: feb, Nights: 9, Revenue: money.In(9, "ARS")},                     // unknown: ignored
		},
		Blocks: []stats.BlockMonth{{PropertyID: 1, Month: mar, Nights: 31}},
	}
	r := stats.Build(in)
	require.Equal(t, []time.Time{feb, mar}, r.Months)
	require.Len(t, r.Properties, 3, "an inactive property without data is left out")
	require.Equal(t, "Vieja con estadías", r.Properties[2].Property.Name)

	alerce := r.Properties[0]
	require.Equal(t, stats.Figures{Nights: 3, Capacity: 29, Revenue: arsRevenue(32000)}, alerce.Months[0], "leap February has 29 nights")
	require.Equal(t, 10, alerce.Months[0].Occupancy())
	require.Equal(t, stats.Figures{Nights: 2, Blocked: 31, Capacity: 31, Revenue: arsRevenue(20000)}, alerce.Months[1])
	require.Equal(t, 100, alerce.Months[1].BlockedPercent())
	require.Equal(t, 6, alerce.Months[1].Occupancy())
	require.Equal(t, stats.Figures{Nights: 5, Blocked: 31, Capacity: 60, Revenue: arsRevenue(52000)}, alerce.Total)

	require.Equal(t, 100, r.Properties[1].Months[0].Occupancy())

	require.Equal(t, stats.Figures{Nights: 32, Capacity: 87, Revenue: arsRevenue(322000)}, r.MonthTotal[0])
	require.Equal(t, 37, r.MonthTotal[0].Occupancy())
	require.Equal(t, stats.Figures{Nights: 3, Blocked: 31, Capacity: 93, Revenue: arsRevenue(25000)}, r.MonthTotal[1])
	require.Equal(t, stats.Figures{Nights: 35, Blocked: 31, Capacity: 180, Revenue: arsRevenue(347000)}, r.Total)

	require.Equal(t, []stats.ChannelFigures{
		{Channel: "airbnb", Nights: 30, Revenue: arsRevenue(295000)},
		{Channel: "direct", Nights: 5, Revenue: arsRevenue(52000)},
	}, r.Channels, "by revenue, highest first")
}

// pesos is an amount of whole pesos.
func pesos(units int64) money.Amount { return money.In(money.FromUnits(units), "ARS") }

// arsRevenue is revenue of whole pesos only.
func arsRevenue(units int64) stats.Revenue { return stats.Revenue{pesos(units)} }

func TestBuildKeepsCurrenciesApart(t *testing.T) {
	t.Parallel()
	jan := day(2030, time.January, 1)
	usd := func(units int64) money.Amount { return money.In(money.FromUnits(units), "USD") }
	r := stats.Build(stats.Input{
		Window:     stats.Window{From: jan, Months: 1},
		Properties: []stats.Property{{ID: 1, Name: "Pesos", Active: true}, {ID: 2, Name: "Dólares", Active: true}},
		Stays: []stats.StayMonth{
			{PropertyID: 1, Channel: "direct", Month: jan, Nights: 2, Revenue: pesos(200000)},
			{PropertyID: 2, Channel: "direct", Month: jan, Nights: 3, Revenue: usd(300)},
			{PropertyID: 2, Channel: "airbnb", Month: jan, Nights: 1, Revenue: usd(100)},
		},
	})
	want := stats.Revenue{pesos(200000), usd(400)}
	require.Equal(t, want, r.Total.Revenue, "one amount per currency, never a sum across them")
	require.Equal(t, want, r.MonthTotal[0].Revenue)
	require.Equal(t, stats.Revenue{usd(400)}, r.Properties[1].Total.Revenue)
	require.Equal(t, stats.Revenue{pesos(200000), usd(300)}, r.Channels[0].Revenue)
	require.Equal(t, "ARS", r.Main, "an account without a currency charts pesos")
	require.Equal(t, money.Money(0), want.In("EUR"))
}

// Charts are drawn in the account's currency, whatever earned the most; each
// foreign currency's revenue is converted to pesos reservation by reservation
// at the rate locked on it, and the stays without a rate are counted apart.
func TestBuildPesoEquivalentsAtLockedRates(t *testing.T) {
	t.Parallel()
	jan, feb, mar := day(2030, time.January, 1), day(2030, time.February, 1), day(2030, time.March, 1)
	usd := func(cents int64) money.Amount { return money.In(money.Money(cents), "USD") }
	eur := func(units int64) money.Amount { return money.In(money.FromUnits(units), "EUR") }
	r := stats.Build(stats.Input{
		Window:     stats.Window{From: jan, Months: 2},
		Currency:   "ARS",
		Properties: []stats.Property{{ID: 1, Name: "Pesos", Active: true}, {ID: 2, Name: "Dólares", Active: true}},
		Stays: []stats.StayMonth{
			{ReservationID: 10, PropertyID: 1, Channel: "direct", Month: jan, Nights: 2, Revenue: pesos(1000)},
			// One stay over two months, at $ 1.185,50: US$ 100,01 + US$ 200,00
			// → $ 355.661,855 → $ 355.662.
			{ReservationID: 11, PropertyID: 2, Channel: "direct", Month: jan, Nights: 1, Revenue: usd(10001), Rate: 11_855_000},
			{ReservationID: 11, PropertyID: 2, Channel: "direct", Month: feb, Nights: 2, Revenue: usd(20000), Rate: 11_855_000},
			// Another at $ 1.000: US$ 0,50 → $ 500.
			{ReservationID: 12, PropertyID: 2, Channel: "airbnb", Month: feb, Nights: 1, Revenue: usd(50), Rate: 10_000_000},
			// A stay is converted once, not month by month: at $ 60, US$ 0,01
			// + US$ 0,01 is $ 1,20 → $ 1 (per month it would be $ 1 + $ 1).
			{ReservationID: 16, PropertyID: 2, Channel: "web", Month: jan, Nights: 1, Revenue: usd(1), Rate: 600_000},
			{ReservationID: 16, PropertyID: 2, Channel: "web", Month: feb, Nights: 1, Revenue: usd(1), Rate: 600_000},
			// Held without a rate: in the dollars, not in the pesos.
			{ReservationID: 13, PropertyID: 2, Channel: "airbnb", Month: feb, Nights: 1, Revenue: usd(7000)},
			{ReservationID: 14, PropertyID: 2, Channel: "airbnb", Month: jan, Nights: 1, Revenue: eur(90), Rate: 12_500_000},
			// Outside the window: not counted.
			{ReservationID: 15, PropertyID: 2, Channel: "airbnb", Month: mar, Nights: 1, Revenue: usd(99900), Rate: 10_000_000},
		},
	})
	require.Equal(t, "ARS", r.Main)
	require.Equal(t, []stats.PesoEquivalent{
		{Revenue: eur(90), Pesos: money.FromUnits(112500), Rated: 1},
		{Revenue: usd(10001 + 20000 + 50 + 2 + 7000), Pesos: money.FromUnits(355662 + 500 + 1), Rated: 3, Unrated: 1},
	}, r.Pesos)

	// An account in dollars charts dollars, even with more pesos earned.
	r = stats.Build(stats.Input{Window: stats.Window{From: jan, Months: 1}, Currency: "USD",
		Properties: []stats.Property{{ID: 1, Name: "Pesos", Active: true}},
		Stays:      []stats.StayMonth{{ReservationID: 1, PropertyID: 1, Channel: "direct", Month: jan, Nights: 2, Revenue: pesos(1000)}}})
	require.Equal(t, "USD", r.Main)
	require.Empty(t, r.Pesos, "pesos need no equivalent")
}
