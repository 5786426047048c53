// Package stats turns an account's stays and blocks into occupancy and
// revenue by month, property and channel, for the dashboard's home and
// reports pages. The SQL (queries/reports.sql) cuts stays and blocks at month
// edges; this package lays the rows out on a grid of months and properties and
// computes the percentages. Revenue is kept per currency (Revenue), never
// summed across currencies. Everything but Load and FirstYear is a pure function,
// tested without a server; the home page and the reports share it.
package stats

import (
	"cmp"
	"slices"
	"time"

	"alojamientos/internal/money"
	"alojamientos/internal/rates"
)

// Months are civil dates like stays' dates: the first day of the month at
// midnight UTC.

// MonthStart is the first day of d's month.
func MonthStart(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// AddMonths moves the month m by n months (n may be negative).
func AddMonths(m time.Time, n int) time.Time {
	return time.Date(m.Year(), m.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
}

// DaysIn is how many nights m's month has (29 in a leap February).
func DaysIn(m time.Time) int {
	return time.Date(m.Year(), m.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Percent is part of whole as a whole percentage, rounded half up; 0 when
// whole is 0 (no properties, no nights to sell).
func Percent(part, whole int) int {
	if whole <= 0 {
		return 0
	}
	return (part*200 + whole) / (2 * whole)
}

// Window is a run of whole months.
type Window struct {
	From   time.Time // first day of the first month
	Months int
}

// To is the first day after the window.
func (w Window) To() time.Time { return AddMonths(w.From, w.Months) }

// List returns the first day of every month of the window.
func (w Window) List() []time.Time {
	out := make([]time.Time, w.Months)
	for i := range out {
		out[i] = AddMonths(w.From, i)
	}
	return out
}

// Recent is the default report: the last 12 months (this one included) and
// the next 3.
func Recent(today time.Time) Window {
	return Window{From: AddMonths(MonthStart(today), -11), Months: 15}
}

// Year is January to December of y.
func Year(y int) Window {
	return Window{From: time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC), Months: 12}
}

// ThisAndNext is this month and the next one, for the home page.
func ThisAndNext(today time.Time) Window { return Window{From: MonthStart(today), Months: 2} }

// Property is a property of the account as reports list it.
type Property struct {
	ID     int64
	Name   string
	Active bool
}

// StayMonth is what one reservation sold in one month.
type StayMonth struct {
	ReservationID int64
	PropertyID    int64
	Channel       string
	Month         time.Time
	Nights        int
	Revenue       money.Amount // in the currency the stay was priced in
	Rate          rates.Rate   // locked on its hold; 0 for pesos or "sin cotización"
}

// BlockMonth is the nights one property was blocked by the owner in one month.
type BlockMonth struct {
	PropertyID int64
	Month      time.Time
	Nights     int
}

// Input is what Load reads for a window.
type Input struct {
	Window     Window
	Currency   string // the account's: revenue charts are drawn in it ("" is DefaultCurrency)
	Properties []Property
	Stays      []StayMonth
	Blocks     []BlockMonth
}

// Figures are nights and money over some months and properties.
type Figures struct {
	Nights   int // nights taken by stays
	Blocked  int // nights blocked by the owner
	Capacity int // property-nights in the period: nights in the months × properties
	Revenue  Revenue
}

// Occupancy is the share of the capacity taken by stays, in whole percent.
func (f Figures) Occupancy() int { return Percent(f.Nights, f.Capacity) }

// BlockedPercent is the share of the capacity blocked by the owner.
func (f Figures) BlockedPercent() int { return Percent(f.Blocked, f.Capacity) }

func (f *Figures) add(o Figures) {
	f.Nights += o.Nights
	f.Blocked += o.Blocked
	f.Capacity += o.Capacity
	for _, a := range o.Revenue {
		f.Revenue = f.Revenue.Add(a)
	}
}

// Revenue is money earned in each currency, ordered by currency code, one
// amount per currency: pesos and dollars are kept apart, never summed. Empty
// when nothing was earned.
type Revenue []money.Amount

// Add returns r with a added to the amount of a's currency.
func (r Revenue) Add(a money.Amount) Revenue {
	if a.Value == 0 {
		return r
	}
	out := slices.Clone(r)
	for i := range out {
		if out[i].Currency == a.Currency {
			out[i].Value += a.Value
			return out
		}
	}
	out = append(out, a)
	slices.SortFunc(out, func(x, y money.Amount) int { return cmp.Compare(x.Currency, y.Currency) })
	return out
}

// In is the revenue in one currency, 0 when there is none.
func (r Revenue) In(currency string) money.Money {
	for _, a := range r {
		if a.Currency == currency {
			return a.Value
		}
	}
	return 0
}

// DefaultCurrency is the main currency of an account without one.
const DefaultCurrency = "ARS"

// PesoEquivalent is the revenue of one foreign currency over a report's
// window and its value in pesos at the rates locked on each reservation:
// every reservation's revenue in the window converted at its own rate
// (rates.ToPesos, half-up to whole pesos), then summed. Reservations held
// without a rate ("sin cotización") are left out of Pesos and counted in
// Unrated.
type PesoEquivalent struct {
	Revenue money.Amount
	Pesos   money.Money // whole pesos, of the Rated reservations
	Rated   int
	Unrated int
}

// PropertyFigures is one property's row: each month and the whole window.
type PropertyFigures struct {
	Property Property
	Months   []Figures
	Total    Figures
}

// ChannelFigures is what one channel sold over the window.
type ChannelFigures struct {
	Channel string
	Nights  int
	Revenue Revenue
}

// Report is the window laid out by month, property and channel.
type Report struct {
	Months     []time.Time
	Properties []PropertyFigures
	MonthTotal []Figures // every property, month by month
	Channels   []ChannelFigures
	Total      Figures
	Main       string           // the currency charts of revenue use: the account's
	Pesos      []PesoEquivalent // one per foreign currency with revenue, by code
}

// Build lays the rows out. A property counts (and adds its nights to the
// capacity of every month) when it is active or has stays or blocks in the
// window, so a retired property does not dilute the occupancy of the others.
func Build(in Input) Report {
	months := in.Window.List()
	r := Report{Months: months, MonthTotal: make([]Figures, len(months))}
	monthIdx := make(map[time.Time]int, len(months))
	for i, m := range months {
		monthIdx[m] = i
	}
	hasData := map[int64]bool{}
	for _, s := range in.Stays {
		hasData[s.PropertyID] = true
	}
	for _, b := range in.Blocks {
		hasData[b.PropertyID] = true
	}
	propIdx := map[int64]int{}
	for _, p := range in.Properties {
		if !p.Active && !hasData[p.ID] {
			continue
		}
		pf := PropertyFigures{Property: p, Months: make([]Figures, len(months))}
		for i, m := range months {
			pf.Months[i].Capacity = DaysIn(m)
		}
		propIdx[p.ID] = len(r.Properties)
		r.Properties = append(r.Properties, pf)
	}
	channels := map[string]*ChannelFigures{}
	for _, s := range in.Stays {
		i, okM := monthIdx[MonthStart(s.Month)]
		p, okP := propIdx[s.PropertyID]
		if !okM || !okP {
			continue
		}
		f := &r.Properties[p].Months[i]
		f.Nights += s.Nights
		f.Revenue = f.Revenue.Add(s.Revenue)
		c := channels[s.Channel]
		if c == nil {
			c = &ChannelFigures{Channel: s.Channel}
			channels[s.Channel] = c
		}
		c.Nights += s.Nights
		c.Revenue = c.Revenue.Add(s.Revenue)
	}
	for _, b := range in.Blocks {
		i, okM := monthIdx[MonthStart(b.Month)]
		p, okP := propIdx[b.PropertyID]
		if okM && okP {
			r.Properties[p].Months[i].Blocked += b.Nights
		}
	}
	for pi := range r.Properties {
		pf := &r.Properties[pi]
		for i, f := range pf.Months {
			pf.Total.add(f)
			r.MonthTotal[i].add(f)
		}
		r.Total.add(pf.Total)
	}
	r.Main = cmp.Or(in.Currency, DefaultCurrency)
	r.Pesos = pesoEquivalents(in.Stays, monthIdx, propIdx)
	for _, c := range channels {
		r.Channels = append(r.Channels, *c)
	}
	slices.SortFunc(r.Channels, func(a, b ChannelFigures) int {
		return cmp.Or(cmp.Compare(b.Revenue.In(r.Main), a.Revenue.In(r.Main)), cmp.Compare(b.Nights, a.Nights), cmp.Compare(a.Channel, b.Channel))
	})
	return r
}

// pesoEquivalents converts each foreign reservation's revenue in the window
// (the stays Build counted) at the rate locked on it.
func pesoEquivalents(stays []StayMonth, monthIdx map[time.Time]int, propIdx map[int64]int) []PesoEquivalent {
	type stay struct {
		revenue money.Amount
		rate    rates.Rate
	}
	byRes := map[int64]*stay{}
	var order []int64
	for _, s := range stays {
		_, okM := monthIdx[MonthStart(s.Month)]
		_, okP := propIdx[s.PropertyID]
		if !okM || !okP || s.Revenue.Currency == "ARS" {
			continue
		}
		st := byRes[s.ReservationID]
		if st == nil {
			st = &stay{revenue: money.In(0, s.Revenue.Currency), rate: s.Rate}
			byRes[s.ReservationID] = st
			order = append(order, s.ReservationID)
		}
		st.revenue.Value += s.Revenue.Value
	}
	byCur := map[string]*PesoEquivalent{}
	for _, id := range order {
		st := byRes[id]
		pe := byCur[st.revenue.Currency]
		if pe == nil {
			pe = &PesoEquivalent{Revenue: money.In(0, st.revenue.Currency)}
			byCur[st.revenue.Currency] = pe
		}
		pe.Revenue.Value += st.revenue.Value
		if st.rate <= 0 {
			pe.Unrated++
			continue
		}
		pe.Rated++
		pe.Pesos += money.FromUnits(rates.ToPesos(int64(st.revenue.Value), st.rate))
	}
	out := make([]PesoEquivalent, 0, len(byCur))
	for _, pe := range byCur {
		out = append(out, *pe)
	}
	slices.SortFunc(out, func(a, b PesoEquivalent) int { return cmp.Compare(a.Revenue.Currency, b.Revenue.Currency) })
	return out
}
