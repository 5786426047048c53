package booking_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

// The table test of booking.Settle, the one computation of what each side
// owes when a booking ends early: dates × policies × payments × parties,
// across the DST-free Argentine zones and zones with daylight saving time,
// then properties that must hold for any input. `go test -v -run
// TestSettleGrid` prints the summary table quoted in the closing note.

// A stay of $ 100.000 with a seña of $ 30.000 (the total only bounds what
// "seña+saldo" pays), arriving Sunday 20 December
// 2026 at 14:00, booked on 1 November (its legal withdrawal window long past).
var (
	stDeposit = money.FromUnits(30_000)
	stArrival = day(2026, 12, 20)
)

// stPayments are what the guest may have paid by then.
var stPayments = []struct {
	name string
	paid money.Money
}{
	{"nada", 0},
	{"seña", money.FromUnits(30_000)},
	{"seña+parte", money.FromUnits(45_000)},
	{"seña+saldo", money.FromUnits(100_000)},
	{"de más", money.FromUnits(110_000)},
}

// stCustom is an owner's own terms: 80 % until 14 days before, 25 % until
// 3, and 10 % of what was paid to a guest who never arrives.
var stCustom = booking.Policy{Preset: booking.PresetCustom, Sena: booking.SenaNone,
	Tiers: []booking.Tier{{DaysBefore: 14, RefundPercent: 80}, {DaysBefore: 3, RefundPercent: 25}}, NoShowRefundPercent: 10}

// stPolicies: every preset, the custom one, and none ("" = no frozen terms).
func stPolicies(t *testing.T) []struct {
	name   string
	policy booking.Policy
	has    bool
} {
	t.Helper()
	out := []struct {
		name   string
		policy booking.Policy
		has    bool
	}{}
	for _, name := range booking.PresetNames {
		p, ok := booking.Preset(name)
		require.True(t, ok)
		out = append(out, struct {
			name   string
			policy booking.Policy
			has    bool
		}{name, p, true})
	}
	out = append(out, struct {
		name   string
		policy booking.Policy
		has    bool
	}{"personalizada", stCustom, true}, struct {
		name   string
		policy booking.Policy
		has    bool
	}{"sin política", booking.Policy{}, false})
	return out
}

// refPercent is each policy's refund percent written out by hand from its
// definition (not from Policy.Tiers): the reference the grid checks against.
func refPercent(policy string, days int) int {
	if days < 0 {
		return 0
	}
	steps := map[string][][2]int{
		booking.PresetFlexible:      {{1, 100}},
		booking.PresetModerada:      {{5, 100}, {1, 50}},
		booking.PresetEstricta:      {{30, 100}, {7, 50}},
		booking.PresetConfirmatoria: {{7, 100}, {2, 50}},
		booking.PresetPenitencial:   {{0, 100}},
		"personalizada":             {{14, 80}, {3, 25}},
	}[policy]
	for _, s := range steps {
		if days >= s[0] {
			return s[1]
		}
	}
	return 0
}

// senaRule says whether the policy keeps the seña from a guest who cancels.
func keepsSena(policy string) bool {
	return policy == booking.PresetConfirmatoria || policy == booking.PresetPenitencial
}

type settleCase struct {
	name     string
	policy   string // a preset, "personalizada" or "sin política"
	by       booking.Party
	paid     money.Money
	zone     string
	at       string // local "2006-01-02 15:04" in zone
	booked   string // local; "" = 1 November 10:00
	checkIn  string // "" = 14:00
	days     int
	percent  int
	refund   int64 // pesos
	kept     int64
	senaKept int64
	penalty  int64
	rule     string // a part of the Spanish reason
}

func pesos(n int64) money.Money { return money.FromUnits(n) }

// TestSettleTable: rows written out by hand, each checking every figure.
func TestSettleTable(t *testing.T) {
	t.Parallel()
	const ba = "America/Argentina/Buenos_Aires"
	all, sena, part := pesos(100_000), pesos(30_000), pesos(45_000)
	cases := []settleCase{
		// Flexible: everything back until the day before.
		{name: "flexible, 2 days before", policy: "flexible", by: booking.PartyGuest, paid: all, at: "2026-12-18 10:00", days: 2, percent: 100, refund: 100_000},
		{name: "flexible, the day before", policy: "flexible", by: booking.PartyGuest, paid: all, at: "2026-12-19 10:00", days: 1, percent: 100, refund: 100_000},
		{name: "flexible, the day of arrival", policy: "flexible", by: booking.PartyGuest, paid: all, at: "2026-12-20 09:00", days: 0, percent: 0, kept: 100_000, rule: "el día de llegada"},
		// Moderada: 100 % from 5 days, 50 % from 1.
		{name: "moderada, 10 days, seña+parte", policy: "moderada", by: booking.PartyGuest, paid: part, at: "2026-12-10 10:00", days: 10, percent: 100, refund: 45_000},
		{name: "moderada, 5 days exactly", policy: "moderada", by: booking.PartyGuest, paid: all, at: "2026-12-15 00:00", days: 5, percent: 100, refund: 100_000},
		{name: "moderada, 4 days", policy: "moderada", by: booking.PartyGuest, paid: all, at: "2026-12-16 23:59", days: 4, percent: 50, refund: 50_000, kept: 50_000, rule: "escalón: hasta 1 día antes"},
		{name: "moderada, day of arrival", policy: "moderada", by: booking.PartyGuest, paid: all, at: "2026-12-20 08:00", days: 0, percent: 0, kept: 100_000},
		{name: "moderada, nothing paid", policy: "moderada", by: booking.PartyGuest, paid: 0, at: "2026-12-16 10:00", days: 4, percent: 50},
		// Estricta: 100 % from 30 days, 50 % from 7.
		{name: "estricta, 30 days", policy: "estricta", by: booking.PartyGuest, paid: all, at: "2026-11-20 10:00", days: 30, percent: 100, refund: 100_000},
		{name: "estricta, 29 days", policy: "estricta", by: booking.PartyGuest, paid: all, at: "2026-11-21 10:00", days: 29, percent: 50, refund: 50_000, kept: 50_000},
		{name: "estricta, 7 days", policy: "estricta", by: booking.PartyGuest, paid: all, at: "2026-12-13 10:00", days: 7, percent: 50, refund: 50_000, kept: 50_000},
		{name: "estricta, 6 days", policy: "estricta", by: booking.PartyGuest, paid: all, at: "2026-12-14 10:00", days: 6, percent: 0, kept: 100_000},
		// Seña confirmatoria: the seña stays, the rest follows the tiers.
		{name: "confirmatoria, 10 days, all paid", policy: "sena_confirmatoria", by: booking.PartyGuest, paid: all, at: "2026-12-10 10:00", days: 10, percent: 100, refund: 70_000, kept: 30_000, senaKept: 30_000, rule: "la seña ($ 30.000,00) no se devuelve"},
		{name: "confirmatoria, 3 days, all paid", policy: "sena_confirmatoria", by: booking.PartyGuest, paid: all, at: "2026-12-17 10:00", days: 3, percent: 50, refund: 35_000, kept: 65_000, senaKept: 30_000},
		{name: "confirmatoria, seña only", policy: "sena_confirmatoria", by: booking.PartyGuest, paid: sena, at: "2026-12-10 10:00", days: 10, percent: 100, kept: 30_000, senaKept: 30_000},
		{name: "confirmatoria, 1 day, seña+parte", policy: "sena_confirmatoria", by: booking.PartyGuest, paid: part, at: "2026-12-19 10:00", days: 1, percent: 0, kept: 45_000, senaKept: 30_000},
		{name: "confirmatoria, part of the seña", policy: "sena_confirmatoria", by: booking.PartyGuest, paid: pesos(20_000), at: "2026-12-10 10:00", days: 10, percent: 100, kept: 20_000, senaKept: 20_000},
		{name: "confirmatoria, host cancels", policy: "sena_confirmatoria", by: booking.PartyHost, paid: all, at: "2026-12-19 10:00", days: 1, percent: 100, refund: 100_000},
		// Seña penitencial (CCyC art. 1059): the guest loses it, the host returns it doubled.
		{name: "penitencial, day of arrival", policy: "sena_penitencial", by: booking.PartyGuest, paid: all, at: "2026-12-20 13:00", days: 0, percent: 100, refund: 70_000, kept: 30_000, senaKept: 30_000},
		{name: "penitencial, after arrival", policy: "sena_penitencial", by: booking.PartyGuest, paid: all, at: "2026-12-21 10:00", days: -1, percent: 0, kept: 100_000, senaKept: 30_000, rule: "con la estadía empezada"},
		{name: "penitencial, host, all paid", policy: "sena_penitencial", by: booking.PartyHost, paid: all, at: "2026-12-19 10:00", days: 1, percent: 100, refund: 100_000, penalty: 30_000, rule: "la seña una vez más"},
		{name: "penitencial, host, seña only", policy: "sena_penitencial", by: booking.PartyHost, paid: sena, at: "2026-12-10 10:00", days: 10, percent: 100, refund: 30_000, penalty: 30_000},
		{name: "penitencial, host, part of the seña", policy: "sena_penitencial", by: booking.PartyHost, paid: pesos(20_000), at: "2026-12-10 10:00", days: 10, percent: 100, refund: 20_000, penalty: 20_000},
		{name: "penitencial, host, nothing paid", policy: "sena_penitencial", by: booking.PartyHost, paid: 0, at: "2026-12-10 10:00", days: 10, percent: 100},
		{name: "penitencial, no-show", policy: "sena_penitencial", by: booking.PartyNoShow, paid: all, at: "2026-12-21 10:00", days: -1, percent: 0, kept: 100_000, senaKept: 30_000, rule: "sin presentarse"},
		// The owner's own terms.
		{name: "custom, 14 days", policy: "personalizada", by: booking.PartyGuest, paid: all, at: "2026-12-06 10:00", days: 14, percent: 80, refund: 80_000, kept: 20_000},
		{name: "custom, 13 days", policy: "personalizada", by: booking.PartyGuest, paid: all, at: "2026-12-07 10:00", days: 13, percent: 25, refund: 25_000, kept: 75_000},
		{name: "custom, 3 days, seña+parte", policy: "personalizada", by: booking.PartyGuest, paid: part, at: "2026-12-17 10:00", days: 3, percent: 25, refund: 11_250, kept: 33_750},
		{name: "custom, 2 days", policy: "personalizada", by: booking.PartyGuest, paid: all, at: "2026-12-18 10:00", days: 2, percent: 0, kept: 100_000},
		{name: "custom, no-show", policy: "personalizada", by: booking.PartyNoShow, paid: all, at: "2026-12-21 10:00", days: -1, percent: 10, refund: 10_000, kept: 90_000},
		{name: "custom, overpaid", policy: "personalizada", by: booking.PartyGuest, paid: pesos(110_000), at: "2026-12-06 10:00", days: 14, percent: 80, refund: 88_000, kept: 22_000},
		// No frozen terms (a legacy or channel stay): the owner decides.
		{name: "no policy, guest", policy: "sin política", by: booking.PartyGuest, paid: all, at: "2026-12-10 10:00", days: 10, kept: 100_000, rule: "lo decide el alojamiento"},
		{name: "no policy, host", policy: "sin política", by: booking.PartyHost, paid: all, at: "2026-12-10 10:00", days: 10, percent: 100, refund: 100_000},
		{name: "no policy, withdrawal in time", policy: "sin política", by: booking.PartyWithdrawal, paid: all, booked: "2026-12-05 10:00", at: "2026-12-10 10:00", days: 10, percent: 100, refund: 100_000},
		{name: "no policy, withdrawal late", policy: "sin política", by: booking.PartyWithdrawal, paid: all, at: "2026-12-10 10:00", days: 10, kept: 100_000, rule: "fuera del plazo legal"},
		{name: "moderada, no-show", policy: "moderada", by: booking.PartyNoShow, paid: all, at: "2026-12-21 09:00", days: -1, percent: 0, kept: 100_000},
		// The withdrawal button: everything back within the legal window, the terms after it.
		{name: "withdrawal in time, estricta", policy: "estricta", by: booking.PartyWithdrawal, paid: all, booked: "2026-12-05 10:00", at: "2026-12-10 10:00", days: 10, percent: 100, refund: 100_000, rule: "dentro del plazo legal"},
		{name: "withdrawal in time, confirmatoria: the seña too", policy: "sena_confirmatoria", by: booking.PartyWithdrawal, paid: all, booked: "2026-12-05 10:00", at: "2026-12-10 10:00", days: 10, percent: 100, refund: 100_000},
		{name: "withdrawal after ten days, estricta", policy: "estricta", by: booking.PartyWithdrawal, paid: all, at: "2026-12-10 10:00", days: 10, percent: 50, refund: 50_000, kept: 50_000, rule: "pasaron más de 10 días corridos"},
		{name: "withdrawal under 24 h before check-in, moderada", policy: "moderada", by: booking.PartyWithdrawal, paid: all, booked: "2026-12-15 10:00", at: "2026-12-19 15:00", days: 1, percent: 50, refund: 50_000, kept: 50_000, rule: "faltan menos de 24 horas"},
		{name: "withdrawal 24 h before a 20:00 check-in, moderada", policy: "moderada", by: booking.PartyWithdrawal, paid: all, booked: "2026-12-15 10:00", at: "2026-12-19 20:00", checkIn: "20:00", days: 1, percent: 100, refund: 100_000},
		{name: "withdrawal late, penitencial: seña kept", policy: "sena_penitencial", by: booking.PartyWithdrawal, paid: all, at: "2026-12-10 10:00", days: 10, percent: 100, refund: 70_000, kept: 30_000, senaKept: 30_000},
		// Rounding: half a cent goes to the guest.
		{name: "custom, 25 % of 10 cents", policy: "personalizada", by: booking.PartyGuest, paid: 10, at: "2026-12-17 10:00", days: 3, percent: 25},
	}
	// 23:30 local on the day before arrival is already the day of arrival
	// in UTC west of Greenwich: it still counts as 1 day before, in the
	// Argentine zones (UTC-3 all year) and in Santiago (summer time, UTC-3).
	for _, z := range []string{ba, "America/Argentina/Mendoza", "America/Argentina/Ushuaia", "America/Santiago"} {
		cases = append(cases, settleCase{name: "moderada, 23:30 the day before, " + z, policy: "moderada", by: booking.PartyGuest,
			paid: all, zone: z, at: "2026-12-19 23:30", days: 1, percent: 50, refund: 50_000, kept: 50_000})
	}
	// East of Greenwich the other way round: 00:30 of the day of arrival in
	// Madrid is still the day before in UTC, and counts as the day of arrival.
	cases = append(cases, settleCase{name: "moderada, 00:30 the day of arrival, Europe/Madrid", policy: "moderada",
		by: booking.PartyGuest, paid: all, zone: "Europe/Madrid", at: "2026-12-20 00:30", days: 0, percent: 0, kept: 100_000})

	policies := map[string]struct {
		p   booking.Policy
		has bool
	}{}
	for _, p := range stPolicies(t) {
		policies[p.name] = struct {
			p   booking.Policy
			has bool
		}{p.policy, p.has}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.zone == "" {
				c.zone = ba
			}
			loc := zone(t, c.zone)
			pol, ok := policies[c.policy]
			require.True(t, ok, c.policy)
			if c.booked == "" {
				c.booked = "2026-11-01 10:00"
			}
			if c.checkIn == "" {
				c.checkIn = "14:00"
			}
			s := booking.Settle(booking.SettleInput{Policy: pol.p, HasPolicy: pol.has, By: c.by, At: local(t, c.at, loc),
				CheckIn: stArrival, CheckInTime: c.checkIn, Timezone: loc, BookedAt: local(t, c.booked, loc),
				Deposit: stDeposit, Paid: c.paid, Currency: "ARS"})
			require.Equal(t, c.days, s.DaysBefore, "days before")
			require.Equal(t, c.percent, s.Percent, "percent")
			if c.paid == 10 {
				require.Equal(t, money.Money(3), s.Refund, "2.5 cents rounds up")
				return
			}
			require.Equal(t, pesos(c.refund), s.Refund, "refund")
			require.Equal(t, pesos(c.kept), s.Kept, "kept")
			require.Equal(t, pesos(c.senaKept), s.SenaKept, "seña kept")
			require.Equal(t, pesos(c.penalty), s.Penalty, "penalty")
			require.Equal(t, s.Refund+s.Penalty, s.Owed())
			require.Equal(t, c.paid, s.Refund+s.Kept)
			require.Contains(t, s.Rule, c.rule)
			require.Equal(t, c.by == booking.PartyWithdrawal, s.Withdrawal != nil)
		})
	}
}

func local(t *testing.T, s string, loc *time.Location) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	require.NoError(t, err)
	return v
}

// stDays are the grid's dates: days before arrival (-1: the day after it).
var stDays = []int{45, 30, 29, 14, 10, 7, 5, 3, 2, 1, 0, -1}

// stZones: the DST-free Argentine zones and two with daylight saving time.
var stZones = []string{"America/Argentina/Buenos_Aires", "America/Argentina/Mendoza", "America/Argentina/Ushuaia",
	"America/Santiago", "Europe/Madrid"}

// gridExpect is what the grid expects, from refPercent and the parties' rules.
func gridExpect(policy string, has bool, by booking.Party, inWindow bool, days int, paid money.Money) (refund, sena, penalty money.Money, pct int) {
	switch {
	case by == booking.PartyHost:
		if policy == booking.PresetPenitencial {
			penalty = min(paid, stDeposit)
		}
		return paid, 0, penalty, 100
	case by == booking.PartyWithdrawal && inWindow:
		return paid, 0, 0, 100
	case !has:
		return 0, 0, 0, 0
	}
	if keepsSena(policy) {
		sena = min(paid, stDeposit)
	}
	pct = refPercent(policy, days)
	if by == booking.PartyNoShow {
		pct = 0
		if policy == "personalizada" {
			pct = 10
		}
	}
	// Whole pesos times a whole percent: exact in cents.
	return (paid - sena) * money.Money(pct) / 100, sena, 0, pct
}

// TestSettleGrid runs every policy × payment × party × date × zone, the
// cancellation asked at 23:30 local time (the hour a UTC day would get
// wrong), against the hand-written reference, and prints the summary.
func TestSettleGrid(t *testing.T) {
	t.Parallel()
	parties := []struct {
		name     string
		by       booking.Party
		inWindow bool
	}{
		{"huésped", booking.PartyGuest, false}, {"anfitrión", booking.PartyHost, false},
		{"arrep. en plazo", booking.PartyWithdrawal, true}, {"arrep. fuera", booking.PartyWithdrawal, false},
		{"no-show", booking.PartyNoShow, false},
	}
	n := 0
	summary := map[string]money.Money{}
	for _, zname := range stZones {
		loc := zone(t, zname)
		for _, pol := range stPolicies(t) {
			for _, pay := range stPayments {
				for _, party := range parties {
					for _, d := range stDays {
						a := stArrival.AddDate(0, 0, -d)
						at := time.Date(a.Year(), a.Month(), a.Day(), 23, 30, 0, 0, loc)
						booked := at.Add(-time.Hour) // in the window while check-in is ≥ 24 h away
						if !party.inWindow {
							booked = at.AddDate(0, 0, -13) // its tenth day, even moved past a weekend, is over
						}
						in := party.inWindow && d >= 2 // 23:30 the day before is under 24 h from 14:00
						s := booking.Settle(booking.SettleInput{Policy: pol.policy, HasPolicy: pol.has, By: party.by, At: at,
							CheckIn: stArrival, CheckInTime: "14:00", Timezone: loc, BookedAt: booked, Deposit: stDeposit,
							Paid: pay.paid, Currency: "ARS"})
						refund, sena, penalty, pct := gridExpect(pol.name, pol.has, party.by, in, d, pay.paid)
						where := fmt.Sprintf("%s %s paid %s %s %d days", zname, pol.name, pay.name, party.name, d)
						require.Equal(t, d, s.DaysBefore, where)
						require.Equal(t, pct, s.Percent, where)
						require.Equal(t, refund, s.Refund, where)
						require.Equal(t, pay.paid-refund, s.Kept, where)
						require.Equal(t, min(sena, s.Kept), s.SenaKept, where)
						require.Equal(t, penalty, s.Penalty, where)
						if party.by == booking.PartyWithdrawal {
							require.Equal(t, in, s.Withdrawal.InTime, where)
						}
						n++
						if zname == stZones[0] && pay.name == "seña+saldo" {
							summary[fmt.Sprintf("%s|%s|%d", pol.name, party.name, d)] = s.Owed()
						}
					}
				}
			}
		}
	}
	t.Logf("Settle grid: %d cases (%d zones × %d policies × %d payments × %d parties × %d dates), all as expected",
		n, len(stZones), len(stPolicies(t)), len(stPayments), len(parties), len(stDays))
	t.Log(settleSummary(t, summary, parties))
}

// settleSummary is the table for the closing note: what goes back of
// $ 100.000 paid (seña $ 30.000), by policy and days before arrival, in
// thousands of pesos, for the guest; and for the other parties at 10 days.
func settleSummary(t *testing.T, m map[string]money.Money, parties []struct {
	name     string
	by       booking.Party
	inWindow bool
}) string {
	var b strings.Builder
	b.WriteString("\nLo que recibe el huésped (devolución + seña una vez más si cancela el anfitrión con seña penitencial) de $100k pagados (seña $30k), en miles de pesos; pedido a las 23:30 locales, N días antes de la llegada (check-in 14:00)\n")
	fmt.Fprintf(&b, "%-19s", "política / huésped")
	for _, d := range stDays {
		fmt.Fprintf(&b, "%5d", d)
	}
	b.WriteString(" | a 10 días:")
	for _, p := range parties[1:] {
		fmt.Fprintf(&b, " %s", p.name)
	}
	b.WriteString("\n")
	for _, pol := range stPolicies(t) {
		fmt.Fprintf(&b, "%-19s", pol.name)
		for _, d := range stDays {
			fmt.Fprintf(&b, "%5s", k(m[fmt.Sprintf("%s|huésped|%d", pol.name, d)]))
		}
		b.WriteString(" |")
		for _, p := range parties[1:] {
			fmt.Fprintf(&b, " %*s", len(p.name), k(m[fmt.Sprintf("%s|%s|10", pol.name, p.name)]))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func k(v money.Money) string {
	if v%money.FromUnits(1000) == 0 {
		return fmt.Sprint(int64(v / money.FromUnits(1000)))
	}
	return fmt.Sprintf("%.1f", float64(v)/float64(money.FromUnits(1000)))
}

// For a fixed policy and payments, what goes back never grows as the moment
// of cancelling gets closer to the stay: swept hour by hour from 45 days
// before to 2 days after, in every zone, for every party.
func TestSettleRefundNeverGrowsCloserToArrival(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, zname := range stZones {
		loc := zone(t, zname)
		booked := time.Date(2026, 11, 28, 9, 0, 0, 0, loc) // the withdrawal window closes on 8 December
		for _, pol := range stPolicies(t) {
			for _, pay := range stPayments {
				for _, by := range []booking.Party{booking.PartyGuest, booking.PartyHost, booking.PartyWithdrawal, booking.PartyNoShow} {
					prev := money.Money(-1)
					for at := time.Date(2026, 11, 5, 0, 0, 0, 0, loc); at.Before(time.Date(2026, 12, 22, 0, 0, 0, 0, loc)); at = at.Add(time.Hour) {
						s := booking.Settle(booking.SettleInput{Policy: pol.policy, HasPolicy: pol.has, By: by, At: at,
							CheckIn: stArrival, CheckInTime: "14:00", Timezone: loc, BookedAt: booked, Deposit: stDeposit,
							Paid: pay.paid, Currency: "ARS"})
						if prev >= 0 {
							require.LessOrEqual(t, s.Owed(), prev, "%s %s %s %s at %s", zname, pol.name, pay.name, by, at)
						}
						prev = s.Owed()
						checked++
					}
				}
			}
		}
	}
	t.Logf("refund never grows closer to arrival: %d moments checked", checked)
}

// For any terms, payments, party and moment: Refund + Kept == Paid,
// 0 ≤ Refund ≤ Paid, the seña kept is part of what is kept, the penalty is
// at most the seña, the percent is a percent.
func TestSettleProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(13, 2026))
	zones := append([]string{"UTC"}, stZones...)
	parties := []booking.Party{booking.PartyGuest, booking.PartyHost, booking.PartyWithdrawal, booking.PartyNoShow}
	senas := []booking.SenaRule{booking.SenaNone, booking.SenaConfirmatoria, booking.SenaPenitencial}
	for i := range 20_000 {
		p := booking.Policy{Sena: senas[rng.IntN(3)], NoShowRefundPercent: rng.IntN(101)}
		for range rng.IntN(booking.MaxTiers + 1) {
			p.Tiers = append(p.Tiers, booking.Tier{DaysBefore: rng.IntN(120), RefundPercent: rng.IntN(101)})
		}
		if p.Normalize() != nil {
			continue // the owner's form refuses it; Settle never sees it
		}
		loc := zone(t, zones[rng.IntN(len(zones))])
		arrival := day(2026, time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
		at := arrival.Add(time.Duration(rng.Int64N(int64(90*24*time.Hour))) - 80*24*time.Hour)
		deposit := money.Money(rng.Int64N(int64(pesos(500_000))))
		paid := money.Money(rng.Int64N(int64(pesos(1_000_000)))) - pesos(1000) // now and then negative: clamped
		in := booking.SettleInput{Policy: p, HasPolicy: rng.IntN(8) > 0, By: parties[rng.IntN(len(parties))], At: at,
			CheckIn: arrival, CheckInTime: fmt.Sprintf("%02d:%02d", rng.IntN(24), rng.IntN(60)), Timezone: loc,
			BookedAt: at.Add(-time.Duration(rng.Int64N(int64(30 * 24 * time.Hour)))), Deposit: deposit, Paid: paid, Currency: "ARS"}
		s := booking.Settle(in)
		where := fmt.Sprintf("case %d: %+v", i, in)
		require.Equal(t, max(paid, 0), s.Paid, where)
		require.Equal(t, s.Paid, s.Refund+s.Kept, where)
		require.GreaterOrEqual(t, s.Refund, money.Money(0), where)
		require.LessOrEqual(t, s.Refund, s.Paid, where)
		require.GreaterOrEqual(t, s.SenaKept, money.Money(0), where)
		require.LessOrEqual(t, s.SenaKept, s.Kept, where)
		require.GreaterOrEqual(t, s.Penalty, money.Money(0), where)
		require.LessOrEqual(t, s.Penalty, max(deposit, 0), where)
		require.True(t, s.Percent >= 0 && s.Percent <= 100, where)
		require.NotEmpty(t, s.Rule, where)
	}
}
