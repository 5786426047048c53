package booking

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/money"
)

// pricingDay is a civil date, as stays are stored.
func pricingDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// pricingAmount reads "12345.67" as Money; a typo in a test is a test bug.
func pricingAmount(s string) money.Money {
	m, err := money.Parse(s)
	if err != nil {
		panic(err)
	}
	return m
}

func pricingAmountPtr(s string) *money.Money {
	m := pricingAmount(s)
	return &m
}

// pricingRules is a cabin: 10000 a night, 13000 Friday and Saturday nights,
// 5000 cleaning, 1500 per extra guest per night above 2, up to 4 guests,
// 30% deposit.
func pricingRules() Rules {
	return Rules{
		BasePrice:      pricingAmount("10000.00"),
		WeekendPrice:   pricingAmountPtr("13000.00"),
		WeekendNights:  []time.Weekday{time.Friday, time.Saturday},
		CleaningFee:    pricingAmount("5000.00"),
		ExtraGuestFee:  pricingAmount("1500.00"),
		IncludedGuests: 2,
		Capacity:       4,
		MinNights:      1,
		DepositPercent: 30,
		Currency:       "ARS",
	}
}

type pricingNight struct {
	date   time.Time
	price  string
	source string
}

func TestPrice(t *testing.T) {
	t.Parallel()

	noWeekend := pricingRules()
	noWeekend.WeekendPrice = nil

	satSun := pricingRules()
	satSun.WeekendNights = []time.Weekday{time.Saturday, time.Sunday}

	roundHalfUp := pricingRules()
	roundHalfUp.BasePrice = pricingAmount("95.05")
	roundHalfUp.CleaningFee = pricingAmount("5.00") // total 100.05; 30% = 30.015

	noDeposit := pricingRules()
	noDeposit.DepositPercent = 0

	fullDeposit := pricingRules()
	fullDeposit.DepositPercent = 100

	noCleaning := pricingRules()
	noCleaning.CleaningFee = 0

	propMin3 := pricingRules()
	propMin3.MinNights = 3

	propMin5 := pricingRules()
	propMin5.MinNights = 5

	alta := Season{Name: "Alta", StartsOn: pricingDay(2026, 12, 1), EndsOn: pricingDay(2027, 2, 28), NightlyPrice: pricingAmount("20000.00")}
	fiestas := Season{Name: "Fiestas", StartsOn: pricingDay(2026, 12, 20), EndsOn: pricingDay(2027, 1, 5), NightlyPrice: pricingAmount("25000.00")}
	otono := Season{Name: "Otoño", StartsOn: pricingDay(2026, 3, 6), EndsOn: pricingDay(2026, 3, 7), NightlyPrice: pricingAmount("9000.00")}
	otono2025 := Season{Name: "Otoño", StartsOn: pricingDay(2025, 3, 6), EndsOn: pricingDay(2025, 3, 7), NightlyPrice: pricingAmount("9000.00")}
	verano := Season{Name: "Verano", StartsOn: pricingDay(2024, 1, 10), EndsOn: pricingDay(2024, 2, 20), NightlyPrice: pricingAmount("18000.00"), RepeatsYearly: true}
	wrap := Season{Name: "Fiestas", StartsOn: pricingDay(2024, 12, 15), EndsOn: pricingDay(2025, 1, 10), NightlyPrice: pricingAmount("25000.00"), RepeatsYearly: true}
	temporada := Season{Name: "Temporada", StartsOn: pricingDay(2024, 12, 15), EndsOn: pricingDay(2025, 1, 10), NightlyPrice: pricingAmount("22000.00"), RepeatsYearly: true}
	semana := Season{Name: "Semana", StartsOn: pricingDay(2026, 3, 1), EndsOn: pricingDay(2026, 3, 31), NightlyPrice: pricingAmount("11000.00"), MinNights: 2}

	tests := []struct {
		name      string
		rules     Rules
		seasons   []Season
		in, out   time.Time
		guests    int
		nights    []pricingNight
		subtotal  string
		cleaning  string
		extra     int
		extraFee  string
		total     string
		deposit   string
		minNights int
	}{
		{
			name:  "base price only, weekday stay",
			rules: pricingRules(),
			in:    pricingDay(2026, 3, 2), out: pricingDay(2026, 3, 5), guests: 2, // Mon → Thu
			nights: []pricingNight{
				{pricingDay(2026, 3, 2), "10000.00", "base"},
				{pricingDay(2026, 3, 3), "10000.00", "base"},
				{pricingDay(2026, 3, 4), "10000.00", "base"},
			},
			subtotal: "30000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "35000.00", deposit: "10500.00", minNights: 1,
		},
		{
			name:  "Thu to Mon has two weekend nights (Friday and Saturday)",
			rules: pricingRules(),
			in:    pricingDay(2026, 3, 5), out: pricingDay(2026, 3, 9), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 3, 5), "10000.00", "base"},    // Thu
				{pricingDay(2026, 3, 6), "13000.00", "weekend"}, // Fri
				{pricingDay(2026, 3, 7), "13000.00", "weekend"}, // Sat
				{pricingDay(2026, 3, 8), "10000.00", "base"},    // Sun
			},
			subtotal: "46000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "51000.00", deposit: "15300.00", minNights: 1,
		},
		{
			name:  "no weekend price: weekend nights at base price",
			rules: noWeekend,
			in:    pricingDay(2026, 3, 5), out: pricingDay(2026, 3, 9), guests: 1,
			nights: []pricingNight{
				{pricingDay(2026, 3, 5), "10000.00", "base"},
				{pricingDay(2026, 3, 6), "10000.00", "base"},
				{pricingDay(2026, 3, 7), "10000.00", "base"},
				{pricingDay(2026, 3, 8), "10000.00", "base"},
			},
			subtotal: "40000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "45000.00", deposit: "13500.00", minNights: 1,
		},
		{
			name:  "configured weekend nights (Saturday and Sunday)",
			rules: satSun,
			in:    pricingDay(2026, 3, 5), out: pricingDay(2026, 3, 9), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 3, 5), "10000.00", "base"},
				{pricingDay(2026, 3, 6), "10000.00", "base"},
				{pricingDay(2026, 3, 7), "13000.00", "weekend"},
				{pricingDay(2026, 3, 8), "13000.00", "weekend"},
			},
			subtotal: "46000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "51000.00", deposit: "15300.00", minNights: 1,
		},
		{
			name:    "season overrides the weekend price",
			rules:   pricingRules(),
			seasons: []Season{otono},
			in:      pricingDay(2026, 3, 5), out: pricingDay(2026, 3, 9), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 3, 5), "10000.00", "base"},
				{pricingDay(2026, 3, 6), "9000.00", "season:Otoño"}, // first night of the season
				{pricingDay(2026, 3, 7), "9000.00", "season:Otoño"}, // EndsOn is a night it covers
				{pricingDay(2026, 3, 8), "10000.00", "base"},
			},
			subtotal: "38000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "43000.00", deposit: "12900.00", minNights: 1,
		},
		{
			name:    "a non-repeating season does not apply in another year",
			rules:   pricingRules(),
			seasons: []Season{otono2025},
			in:      pricingDay(2026, 3, 5), out: pricingDay(2026, 3, 9), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 3, 5), "10000.00", "base"},
				{pricingDay(2026, 3, 6), "13000.00", "weekend"},
				{pricingDay(2026, 3, 7), "13000.00", "weekend"},
				{pricingDay(2026, 3, 8), "10000.00", "base"},
			},
			subtotal: "46000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "51000.00", deposit: "15300.00", minNights: 1,
		},
		{
			name:    "overlapping seasons: the latest-starting wins",
			rules:   pricingRules(),
			seasons: []Season{alta, fiestas},
			in:      pricingDay(2026, 12, 18), out: pricingDay(2026, 12, 22), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 12, 18), "20000.00", "season:Alta"}, // Fri: season beats weekend
				{pricingDay(2026, 12, 19), "20000.00", "season:Alta"},
				{pricingDay(2026, 12, 20), "25000.00", "season:Fiestas"},
				{pricingDay(2026, 12, 21), "25000.00", "season:Fiestas"},
			},
			subtotal: "90000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "95000.00", deposit: "28500.00", minNights: 1,
		},
		{
			name:    "overlapping seasons: order of the list does not matter",
			rules:   pricingRules(),
			seasons: []Season{fiestas, alta},
			in:      pricingDay(2026, 12, 18), out: pricingDay(2026, 12, 22), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 12, 18), "20000.00", "season:Alta"},
				{pricingDay(2026, 12, 19), "20000.00", "season:Alta"},
				{pricingDay(2026, 12, 20), "25000.00", "season:Fiestas"},
				{pricingDay(2026, 12, 21), "25000.00", "season:Fiestas"},
			},
			subtotal: "90000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "95000.00", deposit: "28500.00", minNights: 1,
		},
		{
			name:    "yearly season applied two years later",
			rules:   pricingRules(),
			seasons: []Season{verano},
			in:      pricingDay(2026, 2, 18), out: pricingDay(2026, 2, 22), guests: 2, // Wed → Sun
			nights: []pricingNight{
				{pricingDay(2026, 2, 18), "18000.00", "season:Verano"},
				{pricingDay(2026, 2, 19), "18000.00", "season:Verano"},
				{pricingDay(2026, 2, 20), "18000.00", "season:Verano"}, // Fri, last night of the season
				{pricingDay(2026, 2, 21), "13000.00", "weekend"},       // Sat
			},
			subtotal: "67000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "72000.00", deposit: "21600.00", minNights: 1,
		},
		{
			name:    "yearly season wrapping the new year, two years later",
			rules:   pricingRules(),
			seasons: []Season{wrap},
			in:      pricingDay(2026, 12, 30), out: pricingDay(2027, 1, 3), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 12, 30), "25000.00", "season:Fiestas"},
				{pricingDay(2026, 12, 31), "25000.00", "season:Fiestas"},
				{pricingDay(2027, 1, 1), "25000.00", "season:Fiestas"},
				{pricingDay(2027, 1, 2), "25000.00", "season:Fiestas"},
			},
			subtotal: "100000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "105000.00", deposit: "31500.00", minNights: 1,
		},
		{
			name:    "yearly season wrapping the new year: its last nights and after",
			rules:   pricingRules(),
			seasons: []Season{wrap},
			in:      pricingDay(2027, 1, 9), out: pricingDay(2027, 1, 12), guests: 2, // Sat → Tue
			nights: []pricingNight{
				{pricingDay(2027, 1, 9), "25000.00", "season:Fiestas"},
				{pricingDay(2027, 1, 10), "25000.00", "season:Fiestas"},
				{pricingDay(2027, 1, 11), "10000.00", "base"},
			},
			subtotal: "60000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "65000.00", deposit: "19500.00", minNights: 1,
		},
		{
			name:    "yearly season wrapping the new year: before and its first night",
			rules:   pricingRules(),
			seasons: []Season{wrap},
			in:      pricingDay(2026, 12, 13), out: pricingDay(2026, 12, 16), guests: 2, // Sun → Wed
			nights: []pricingNight{
				{pricingDay(2026, 12, 13), "10000.00", "base"},
				{pricingDay(2026, 12, 14), "10000.00", "base"},
				{pricingDay(2026, 12, 15), "25000.00", "season:Fiestas"},
			},
			subtotal: "45000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "50000.00", deposit: "15000.00", minNights: 1,
		},
		{
			name:    "a fixed season starting later beats a yearly one",
			rules:   pricingRules(),
			seasons: []Season{fiestas, temporada}, // temporada starts Dec 15 2026 here, fiestas Dec 20 2026
			in:      pricingDay(2026, 12, 18), out: pricingDay(2026, 12, 21), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 12, 18), "22000.00", "season:Temporada"}, // yearly one only
				{pricingDay(2026, 12, 19), "22000.00", "season:Temporada"},
				{pricingDay(2026, 12, 20), "25000.00", "season:Fiestas"}, // fixed one starts later
			},
			subtotal: "69000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "74000.00", deposit: "22200.00", minNights: 1,
		},
		{
			name:    "a yearly season starting later (this year) beats a fixed one",
			rules:   pricingRules(),
			seasons: []Season{temporada, alta}, // alta starts Dec 1 2026, temporada Dec 15 2026
			in:      pricingDay(2026, 12, 13), out: pricingDay(2026, 12, 16), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 12, 13), "20000.00", "season:Alta"},
				{pricingDay(2026, 12, 14), "20000.00", "season:Alta"},
				{pricingDay(2026, 12, 15), "22000.00", "season:Temporada"},
			},
			subtotal: "62000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "67000.00", deposit: "20100.00", minNights: 1,
		},
		{
			name:  "extra guest fee = fee x extra guests x nights; cleaning once",
			rules: pricingRules(),
			in:    pricingDay(2026, 3, 2), out: pricingDay(2026, 3, 5), guests: 4,
			nights: []pricingNight{
				{pricingDay(2026, 3, 2), "10000.00", "base"},
				{pricingDay(2026, 3, 3), "10000.00", "base"},
				{pricingDay(2026, 3, 4), "10000.00", "base"},
			},
			// 2 extra guests × 1500 × 3 nights = 9000
			subtotal: "30000.00", cleaning: "5000.00", extra: 2, extraFee: "9000.00",
			total: "44000.00", deposit: "13200.00", minNights: 1,
		},
		{
			name:  "one extra guest",
			rules: pricingRules(),
			in:    pricingDay(2026, 3, 5), out: pricingDay(2026, 3, 7), guests: 3,
			nights: []pricingNight{
				{pricingDay(2026, 3, 5), "10000.00", "base"},
				{pricingDay(2026, 3, 6), "13000.00", "weekend"},
			},
			// 1 × 1500 × 2 = 3000
			subtotal: "23000.00", cleaning: "5000.00", extra: 1, extraFee: "3000.00",
			total: "31000.00", deposit: "9300.00", minNights: 1,
		},
		{
			name:  "no cleaning fee",
			rules: noCleaning,
			in:    pricingDay(2026, 3, 2), out: pricingDay(2026, 3, 3), guests: 1,
			nights: []pricingNight{
				{pricingDay(2026, 3, 2), "10000.00", "base"},
			},
			subtotal: "10000.00", cleaning: "0.00", extraFee: "0.00",
			total: "10000.00", deposit: "3000.00", minNights: 1,
		},
		{
			name:  "deposit rounds half away from zero: 100.05 x 30% = 30.015",
			rules: roundHalfUp,
			in:    pricingDay(2026, 3, 2), out: pricingDay(2026, 3, 3), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 3, 2), "95.05", "base"},
			},
			subtotal: "95.05", cleaning: "5.00", extraFee: "0.00",
			total: "100.05", deposit: "30.02", minNights: 1,
		},
		{
			name:  "deposit 0%",
			rules: noDeposit,
			in:    pricingDay(2026, 3, 2), out: pricingDay(2026, 3, 3), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 3, 2), "10000.00", "base"},
			},
			subtotal: "10000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "15000.00", deposit: "0.00", minNights: 1,
		},
		{
			name:  "deposit 100%",
			rules: fullDeposit,
			in:    pricingDay(2026, 3, 2), out: pricingDay(2026, 3, 3), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 3, 2), "10000.00", "base"},
			},
			subtotal: "10000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "15000.00", deposit: "15000.00", minNights: 1,
		},
		{
			name:  "property min nights met exactly",
			rules: propMin3,
			in:    pricingDay(2026, 3, 2), out: pricingDay(2026, 3, 5), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 3, 2), "10000.00", "base"},
				{pricingDay(2026, 3, 3), "10000.00", "base"},
				{pricingDay(2026, 3, 4), "10000.00", "base"},
			},
			subtotal: "30000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "35000.00", deposit: "10500.00", minNights: 3,
		},
		{
			name:    "season min nights met exactly",
			rules:   pricingRules(),
			seasons: []Season{semana},
			in:      pricingDay(2026, 3, 2), out: pricingDay(2026, 3, 4), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 3, 2), "11000.00", "season:Semana"},
				{pricingDay(2026, 3, 3), "11000.00", "season:Semana"},
			},
			subtotal: "22000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "27000.00", deposit: "8100.00", minNights: 2,
		},
		{
			// DESIGN: "Minimum nights: the season's or the property's" — a season
			// that sets its own minimum replaces the property's.
			name:    "a season's min nights replaces the property's",
			rules:   propMin5,
			seasons: []Season{semana},
			in:      pricingDay(2026, 3, 2), out: pricingDay(2026, 3, 4), guests: 2,
			nights: []pricingNight{
				{pricingDay(2026, 3, 2), "11000.00", "season:Semana"},
				{pricingDay(2026, 3, 3), "11000.00", "season:Semana"},
			},
			subtotal: "22000.00", cleaning: "5000.00", extraFee: "0.00",
			total: "27000.00", deposit: "8100.00", minNights: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, err := Price(tt.rules, tt.seasons, tt.in, tt.out, tt.guests)
			require.NoError(t, err)

			require.Equal(t, tt.in, q.CheckIn)
			require.Equal(t, tt.out, q.CheckOut)
			require.Equal(t, len(tt.nights), q.Nights)
			require.Equal(t, tt.guests, q.Guests)
			require.Len(t, q.Breakdown, len(tt.nights))
			for i, want := range tt.nights {
				got := q.Breakdown[i]
				require.Truef(t, want.date.Equal(got.Date), "night %d: date %s, want %s", i, got.Date, want.date)
				require.Equalf(t, want.price, got.Price.String(), "night %d (%s) price", i, FormatDate(want.date))
				require.Equalf(t, want.source, got.Source, "night %d (%s) source", i, FormatDate(want.date))
			}
			require.Equal(t, tt.subtotal, q.NightsSubtotal.String(), "nights subtotal")
			require.Equal(t, tt.cleaning, q.CleaningFee.String(), "cleaning fee")
			require.Equal(t, tt.extra, q.ExtraGuests, "extra guests")
			require.Equal(t, tt.extraFee, q.ExtraGuestFee.String(), "extra guest fee")
			require.Equal(t, tt.total, q.Total.String(), "total")
			require.Equal(t, tt.rules.DepositPercent, q.DepositPercent)
			require.Equal(t, tt.deposit, q.Deposit.String(), "deposit")
			require.Equal(t, "ARS", q.Currency)
			require.Equal(t, tt.minNights, q.MinNights, "min nights")
		})
	}
}

func TestPriceLongestStay(t *testing.T) {
	t.Parallel()
	r := pricingRules()
	r.WeekendPrice = nil
	in := pricingDay(2026, 6, 1)
	out := in.AddDate(0, 0, MaxStayNights)
	q, err := Price(r, nil, in, out, 2)
	require.NoError(t, err)
	require.Equal(t, 365, q.Nights)
	require.Len(t, q.Breakdown, 365)
	// 365 × 10000 = 3650000, + 5000 cleaning
	require.Equal(t, "3650000.00", q.NightsSubtotal.String())
	require.Equal(t, "3655000.00", q.Total.String())
	require.Equal(t, "1096500.00", q.Deposit.String())
	for i, n := range q.Breakdown {
		require.True(t, in.AddDate(0, 0, i).Equal(n.Date), "night %d", i)
		require.Equal(t, "base", n.Source)
	}
	require.True(t, pricingDay(2027, 5, 31).Equal(q.Breakdown[364].Date))
}

// The breakdown walks civil days, including Feb 29 and the turn of the year.
func TestPriceBreakdownDatesAcrossLeapDayAndYear(t *testing.T) {
	t.Parallel()
	r := pricingRules()
	r.WeekendPrice = nil
	q, err := Price(r, nil, pricingDay(2028, 2, 27), pricingDay(2028, 3, 2), 2)
	require.NoError(t, err)
	want := []time.Time{pricingDay(2028, 2, 27), pricingDay(2028, 2, 28), pricingDay(2028, 2, 29), pricingDay(2028, 3, 1)}
	require.Len(t, q.Breakdown, len(want))
	for i, d := range want {
		require.True(t, d.Equal(q.Breakdown[i].Date), "night %d: %s, want %s", i, q.Breakdown[i].Date, d)
	}

	q, err = Price(r, nil, pricingDay(2026, 12, 30), pricingDay(2027, 1, 2), 2)
	require.NoError(t, err)
	want = []time.Time{pricingDay(2026, 12, 30), pricingDay(2026, 12, 31), pricingDay(2027, 1, 1)}
	require.Len(t, q.Breakdown, len(want))
	for i, d := range want {
		require.True(t, d.Equal(q.Breakdown[i].Date), "night %d: %s, want %s", i, q.Breakdown[i].Date, d)
	}
	require.Equal(t, "35000.00", q.Total.String())
}

func TestPriceValidation(t *testing.T) {
	t.Parallel()

	propMin3 := pricingRules()
	propMin3.MinNights = 3

	huge := pricingRules()
	huge.BasePrice = money.Max
	huge.WeekendPrice = nil

	fiestasMin5 := Season{Name: "Fiestas", StartsOn: pricingDay(2026, 12, 20), EndsOn: pricingDay(2027, 1, 5), NightlyPrice: pricingAmount("25000.00"), MinNights: 5}
	yearlyMin4 := Season{Name: "Enero", StartsOn: pricingDay(2024, 1, 1), EndsOn: pricingDay(2024, 1, 31), NightlyPrice: pricingAmount("20000.00"), MinNights: 4, RepeatsYearly: true}
	min2 := Season{Name: "Corta", StartsOn: pricingDay(2026, 12, 1), EndsOn: pricingDay(2026, 12, 31), NightlyPrice: pricingAmount("15000.00"), MinNights: 2}

	tests := []struct {
		name    string
		rules   Rules
		seasons []Season
		in, out time.Time
		guests  int
		fields  []string
	}{
		{"check_out equal to check_in", pricingRules(), nil, pricingDay(2026, 3, 2), pricingDay(2026, 3, 2), 2, []string{"check_out"}},
		{"check_out before check_in", pricingRules(), nil, pricingDay(2026, 3, 5), pricingDay(2026, 3, 2), 2, []string{"check_out"}},
		{"check_out a year before check_in", pricingRules(), nil, pricingDay(2027, 3, 5), pricingDay(2026, 3, 5), 2, []string{"check_out"}},
		{"366 nights", pricingRules(), nil, pricingDay(2026, 6, 1), pricingDay(2027, 6, 2), 2, []string{"check_out"}},
		{"several years", pricingRules(), nil, pricingDay(2026, 6, 1), pricingDay(2036, 6, 1), 2, []string{"check_out"}},
		{"guests 0", pricingRules(), nil, pricingDay(2026, 3, 2), pricingDay(2026, 3, 5), 0, []string{"guests"}},
		{"guests negative", pricingRules(), nil, pricingDay(2026, 3, 2), pricingDay(2026, 3, 5), -1, []string{"guests"}},
		{"capacity exceeded", pricingRules(), nil, pricingDay(2026, 3, 2), pricingDay(2026, 3, 5), 5, []string{"guests"}},
		{"property min nights", propMin3, nil, pricingDay(2026, 3, 2), pricingDay(2026, 3, 4), 2, []string{"check_out"}},
		{"property min nights and capacity together", propMin3, nil, pricingDay(2026, 3, 2), pricingDay(2026, 3, 3), 9, []string{"check_out", "guests"}},
		{"season min nights, stay inside the season", pricingRules(), []Season{fiestasMin5}, pricingDay(2026, 12, 24), pricingDay(2026, 12, 27), 2, []string{"check_out"}},
		{"season min nights, stay touching the season's first night", pricingRules(), []Season{fiestasMin5}, pricingDay(2026, 12, 17), pricingDay(2026, 12, 21), 2, []string{"check_out"}},
		{"season min nights, stay touching the season's last night", pricingRules(), []Season{fiestasMin5}, pricingDay(2027, 1, 5), pricingDay(2027, 1, 7), 2, []string{"check_out"}},
		{"yearly season min nights in a later year", pricingRules(), []Season{yearlyMin4}, pricingDay(2027, 1, 10), pricingDay(2027, 1, 13), 2, []string{"check_out"}},
		{"strictest season min wins", pricingRules(), []Season{min2, fiestasMin5}, pricingDay(2026, 12, 18), pricingDay(2026, 12, 22), 2, []string{"check_out"}},
		{"total above numeric(12,2)", huge, nil, pricingDay(2026, 3, 2), pricingDay(2026, 3, 4), 2, []string{"check_out"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, err := Price(tt.rules, tt.seasons, tt.in, tt.out, tt.guests)
			require.Error(t, err)
			var verr *ValidationError
			require.True(t, errors.As(err, &verr), "want *ValidationError, got %T: %v", err, err)
			got := make([]string, 0, len(verr.Fields))
			for k, msg := range verr.Fields {
				got = append(got, k)
				require.NotEmpty(t, msg, "field %s needs a message", k)
			}
			require.ElementsMatch(t, tt.fields, got)
			require.Equal(t, Quote{}, q, "no quote with an error")
		})
	}
}

// Sanity check of the fixtures above: the season min-nights stays fail only
// because of the season.
func TestPriceSeasonMinNightsSameStayWithoutSeason(t *testing.T) {
	t.Parallel()
	_, err := Price(pricingRules(), nil, pricingDay(2026, 12, 24), pricingDay(2026, 12, 27), 2)
	require.NoError(t, err)

	// The same stay with 5 nights satisfies the season.
	fiestasMin5 := Season{Name: "Fiestas", StartsOn: pricingDay(2026, 12, 20), EndsOn: pricingDay(2027, 1, 5), NightlyPrice: pricingAmount("25000.00"), MinNights: 5}
	q, err := Price(pricingRules(), []Season{fiestasMin5}, pricingDay(2026, 12, 24), pricingDay(2026, 12, 29), 2)
	require.NoError(t, err)
	require.Equal(t, 5, q.MinNights)
	// 5 × 25000 + 5000
	require.Equal(t, "130000.00", q.Total.String())
}

// A yearly season defined over a leap-year February (Feb 1 – Feb 29) must end
// on Feb 28 in other years, not spill into March 1.
func TestPriceYearlySeasonEndingOnLeapDay(t *testing.T) {
	t.Parallel()
	febrero := Season{Name: "Febrero", StartsOn: pricingDay(2024, 2, 1), EndsOn: pricingDay(2024, 2, 29), NightlyPrice: pricingAmount("20000.00"), RepeatsYearly: true}
	q, err := Price(pricingRules(), []Season{febrero}, pricingDay(2025, 2, 27), pricingDay(2025, 3, 3), 2) // Thu → Mon
	require.NoError(t, err)
	require.Len(t, q.Breakdown, 4)
	sources := make([]string, len(q.Breakdown))
	for i, n := range q.Breakdown {
		sources[i] = FormatDate(n.Date) + " " + n.Source + " " + n.Price.String()
	}
	require.Equal(t, []string{
		"2025-02-27 season:Febrero 20000.00",
		"2025-02-28 season:Febrero 20000.00",
		"2025-03-01 weekend 13000.00", // Saturday, no longer February
		"2025-03-02 base 10000.00",
	}, sources)
	// 20000 × 2 + 13000 + 10000 + 5000 cleaning
	require.Equal(t, "68000.00", q.Total.String())
}
