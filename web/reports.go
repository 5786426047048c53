package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/stats"
	"alojamientos/views/reports"
)

// reports shows occupancy and revenue by month, property and channel: the
// last 12 months and the next 3, or a whole year (?year=2025).
func (s *Server) reports(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	today := booking.LocalDate(s.clock.Now(), s.booking.Locations.Get(u.Timezone))

	w, year := stats.Recent(today), 0
	if v := c.QueryParam("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > today.Year()+5 {
			return &apiError{Status: http.StatusBadRequest, Code: "bad_request", Message: "Año inválido."}
		}
		w, year = stats.Year(y), y
	}
	first, err := stats.FirstYear(ctx, s.pool, u.AccountID)
	if err != nil {
		return err
	}
	in, err := stats.Load(ctx, s.pool, u.AccountID, w)
	if err != nil {
		return err
	}
	loc := s.booking.Locations.Get(u.Timezone)
	collected, err := stats.LoadCollected(ctx, s.pool, u.AccountID, localMidnight(w.From, loc), localMidnight(w.To(), loc))
	if err != nil {
		return err
	}
	r := stats.Build(in)
	vm := reportView(r, year, reportYears(first, stats.Recent(today).From.Year(), today.Year(), year))
	vm.Currencies, vm.Collected = currencyRows(r), collectedRows(collected)
	if isHTMX(c) {
		return s.render(c, http.StatusOK, reports.Body(vm))
	}
	return s.render(c, http.StatusOK, reports.Page(s.adminPage(c, "Reportes", "reportes"), vm))
}

// reportYears are the years offered, newest first: from the first stay (or
// the first year the default report shows) to next year, plus the year asked
// for when it is outside them.
func reportYears(firstStay, recentFrom, current, asked int) []int {
	from := recentFrom
	if firstStay > 0 {
		from = min(from, firstStay)
	}
	if asked > 0 {
		from = min(from, asked)
	}
	to := max(current+1, asked)
	out := make([]int, 0, to-from+1)
	for y := to; y >= from; y-- {
		out = append(out, y)
	}
	return out
}

func reportView(r stats.Report, year int, years []int) reports.View {
	vm := reports.View{Year: year, Years: years, HasProperties: len(r.Properties) > 0, HasStays: r.Total.Nights > 0}
	if n := len(r.Months); n > 0 {
		vm.Period = "De " + format.Month(r.Months[0]) + " a " + format.Month(r.Months[n-1])
	}
	row := func(name string, f stats.Figures) reports.Row {
		return reports.Row{Name: name, Nights: f.Nights, Blocked: f.Blocked, Capacity: f.Capacity,
			Occupancy: sharePercent(f, f.Occupancy()), BlockedPct: sharePercent(f, f.BlockedPercent()),
			Revenue: revenueText(f.Revenue, r.Main)}
	}
	// Revenue charts are drawn in the account's currency only; with revenue
	// in another currency a note says so (the tables show every currency).
	tick := func(v int64) string { return format.AmountCompact(money.In(money.Money(v), r.Main)) }
	note := ""
	if len(r.Total.Revenue) > 1 || (len(r.Total.Revenue) == 1 && r.Total.Revenue[0].Currency != r.Main) {
		note = "En " + format.CurrencyName(r.Main) + ", la moneda de la cuenta; los ingresos en otras monedas están en las tablas."
	}
	var occ, rev []reports.Point
	for i, m := range r.Months {
		f := r.MonthTotal[i]
		vm.Months = append(vm.Months, row(format.Month(m), f))
		sub := ""
		if i == 0 || m.Month() == 1 {
			sub = strconv.Itoa(m.Year())
		}
		label := format.MonthShort(m.Month())
		occ = append(occ, reports.Point{Label: label, Sub: sub, Name: format.Month(m), Value: int64(f.Occupancy()),
			Display: sharePercent(f, f.Occupancy())})
		rev = append(rev, revenuePoint(reports.Point{Label: label, Sub: sub, Name: format.Month(m)}, f.Revenue, r.Main))
	}
	vm.MonthTotal = row("Total", r.Total)
	vm.OccupancyByMonth = reports.NewBarChart("chart-occupancy-month", "Ocupación por mes",
		chartSummary(occ, vm.Period), occ, 100, percentTick)
	vm.RevenueByMonth = reports.NewBarChart("chart-revenue-month", "Ingresos por mes",
		chartSummary(rev, vm.Period), rev, 0, tick)
	vm.RevenueByMonth.Note = note

	occ, rev = nil, nil
	for _, p := range r.Properties {
		vm.Properties = append(vm.Properties, row(p.Property.Name, p.Total))
		occ = append(occ, reports.Point{Label: p.Property.Name, Value: int64(p.Total.Occupancy()),
			Display: sharePercent(p.Total, p.Total.Occupancy())})
		rev = append(rev, revenuePoint(reports.Point{Label: p.Property.Name}, p.Total.Revenue, r.Main))
	}
	vm.OccupancyByProperty = reports.NewBarChart("chart-occupancy-property", "Ocupación por alojamiento",
		chartSummary(occ, vm.Period), occ, 100, percentTick)
	vm.RevenueByProperty = reports.NewBarChart("chart-revenue-property", "Ingresos por alojamiento",
		chartSummary(rev, vm.Period), rev, 0, tick)
	vm.RevenueByProperty.Note = note

	rev = nil
	for _, ch := range r.Channels {
		name := reports.ChannelLabel(ch.Channel)
		vm.Channels = append(vm.Channels, reports.ChannelRow{Name: name, Nights: ch.Nights,
			Share: reports.Percent(stats.Percent(ch.Nights, r.Total.Nights)), Revenue: revenueText(ch.Revenue, r.Main)})
		rev = append(rev, revenuePoint(reports.Point{Label: name}, ch.Revenue, r.Main))
	}
	vm.RevenueByChannel = reports.NewBarChart("chart-revenue-channel", "Ingresos por canal",
		chartSummary(rev, vm.Period), rev, 0, tick)
	vm.RevenueByChannel.Note = note
	return vm
}

// chartSummary says in words what a chart shows, for screen readers: how
// many bars, the highest, and where the exact numbers are.
func chartSummary(points []reports.Point, period string) string {
	if len(points) == 0 {
		return "Sin datos."
	}
	best := points[0]
	for _, p := range points[1:] {
		if p.Value > best.Value {
			best = p
		}
	}
	if best.Value == 0 {
		return fmt.Sprintf("%s. Gráfico de barras con %d valores, todos en cero.", period, len(points))
	}
	name := best.Name
	if name == "" {
		name = best.Label
	}
	return fmt.Sprintf("%s. Gráfico de barras con %d valores; el más alto es %s (%s). Los números están en la tabla.",
		period, len(points), name, best.Display)
}

func percentTick(v int64) string { return reports.Percent(int(v)) }

// revenueText writes revenue one figure per currency ("$ 1.234,00 · US$
// 560,00"), never a sum across currencies; nothing earned reads as zero in
// the main currency.
func revenueText(r stats.Revenue, main string) string {
	if len(r) == 0 {
		return format.Amount(money.In(0, main))
	}
	parts := make([]string, len(r))
	for i, a := range r {
		parts[i] = format.Amount(a)
	}
	return strings.Join(parts, " · ")
}

// revenuePoint is p with the revenue in the main currency as its value.
func revenuePoint(p reports.Point, r stats.Revenue, main string) reports.Point {
	a := money.In(r.In(main), main)
	p.Value, p.Display = int64(a.Value), format.AmountCompact(a)
	return p
}

// localMidnight is the instant day d starts in loc.
func localMidnight(d time.Time, loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

// currencyRows is the period's revenue per currency; a foreign one with its
// peso equivalent at the rates locked on each reservation (stats converts
// each with rates.ToPesos) and how many reservations had no rate.
func currencyRows(r stats.Report) []reports.CurrencyRow {
	pesos := map[string]stats.PesoEquivalent{}
	for _, p := range r.Pesos {
		pesos[p.Revenue.Currency] = p
	}
	out := make([]reports.CurrencyRow, 0, len(r.Total.Revenue))
	for _, a := range r.Total.Revenue {
		row := reports.CurrencyRow{Currency: format.CurrencyName(a.Currency), Revenue: format.Amount(a)}
		if p, ok := pesos[a.Currency]; ok {
			if p.Rated > 0 {
				row.Pesos = "≈ " + format.AmountBrief(money.In(p.Pesos, "ARS")) + " en pesos a las cotizaciones de cada reserva"
			}
			switch p.Unrated {
			case 0:
			case 1:
				row.Unrated = "1 reserva sin cotización"
			default:
				row.Unrated = strconv.Itoa(p.Unrated) + " reservas sin cotización"
			}
		}
		out = append(out, row)
	}
	return out
}

// collectedRows writes the period's collections per currency: gross,
// Mercado Pago's fees and net.
func collectedRows(cs []stats.Collected) []reports.CollectedRow {
	out := make([]reports.CollectedRow, len(cs))
	for i, c := range cs {
		out[i] = reports.CollectedRow{Currency: format.CurrencyName(c.Currency),
			Gross: format.Amount(money.In(c.Gross, c.Currency)), Fees: format.Amount(money.In(c.Fees, c.Currency)),
			Net: format.Amount(money.In(c.Net, c.Currency))}
	}
	return out
}
