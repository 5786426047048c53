package understand

import (
	"sort"
	"time"
)

// Stay is a range of nights: CheckOut is the departure day (exclusive).
type Stay struct {
	CheckIn, CheckOut time.Time
	Name              string
}

// holiday is a national holiday of law 27.399; key lets a guest's words
// ("el finde largo de la bandera") find the long weekend that contains it.
type holiday struct {
	day  time.Time
	key  string
	name string
}

func civil(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// easter is the Gregorian computus (anonymous algorithm, Meeus/Jones/Butcher).
func easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return civil(year, time.Month(month), day)
}

// movable applies the "trasladables" rule of law 27.399: Tuesday and
// Wednesday go back to Monday, Thursday and Friday forward to Monday.
func movable(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Tuesday:
		return d.AddDate(0, 0, -1)
	case time.Wednesday:
		return d.AddDate(0, 0, -2)
	case time.Thursday:
		return d.AddDate(0, 0, 4)
	case time.Friday:
		return d.AddDate(0, 0, 3)
	}
	return d
}

func holidaysAR(year int) []holiday {
	e := easter(year)
	return []holiday{
		{civil(year, time.January, 1), "anonuevo", "Año Nuevo"},
		{e.AddDate(0, 0, -48), "carnaval", "carnaval"},
		{e.AddDate(0, 0, -47), "carnaval", "carnaval"},
		{civil(year, time.March, 24), "memoria", "Día de la Memoria"},
		{e.AddDate(0, 0, -2), "semanasanta", "Semana Santa"},
		{civil(year, time.April, 2), "malvinas", "Malvinas"},
		{civil(year, time.May, 1), "trabajador", "Día del Trabajador"},
		{civil(year, time.May, 25), "revolucion", "25 de Mayo"},
		{movable(civil(year, time.June, 17)), "guemes", "Paso a la Inmortalidad de Güemes"},
		{civil(year, time.June, 20), "bandera", "Día de la Bandera"},
		{civil(year, time.July, 9), "independencia", "Día de la Independencia"},
		{movable(civil(year, time.August, 17)), "sanmartin", "Paso a la Inmortalidad de San Martín"},
		{movable(civil(year, time.October, 12)), "diversidad", "Día de la Diversidad Cultural"},
		{movable(civil(year, time.November, 20)), "soberania", "Día de la Soberanía Nacional"},
		{civil(year, time.December, 8), "inmaculada", "Inmaculada Concepción"},
		{civil(year, time.December, 25), "navidad", "Navidad"},
	}
}

// longWeekend keeps the holidays of a run so a guest can name any of them.
type longWeekend struct {
	Stay
	keys []string
}

func longWeekends(year int) []longWeekend {
	// Runs can cross New Year (a Monday 1 January starts on 30 December), so
	// look at the neighbouring years too and keep the runs that start in year.
	off := map[time.Time]holiday{}
	for y := year - 1; y <= year+1; y++ {
		for _, h := range holidaysAR(y) {
			if _, ok := off[h.day]; ok {
				continue
			}
			off[h.day] = h
		}
	}
	isOff := func(d time.Time) bool {
		_, ok := off[d]
		return ok || d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
	}
	var out []longWeekend
	start := civil(year, time.January, 1).AddDate(0, 0, -10)
	end := civil(year, time.December, 31).AddDate(0, 0, 10)
	for d := start; !d.After(end); {
		if !isOff(d) {
			d = d.AddDate(0, 0, 1)
			continue
		}
		first := d
		var hs []holiday
		for ; isOff(d); d = d.AddDate(0, 0, 1) {
			if h, ok := off[d]; ok {
				hs = append(hs, h)
			}
		}
		last := d.AddDate(0, 0, -1)
		if first.Year() != year || last.Sub(first) < 48*time.Hour || len(hs) == 0 {
			continue
		}
		lw := longWeekend{Stay: Stay{CheckIn: first.AddDate(0, 0, -1), CheckOut: last, Name: hs[0].name}}
		for _, h := range hs {
			lw.keys = append(lw.keys, h.key)
			// Guests call a run by its best-known holiday, not the first one.
			if h.key == "semanasanta" || h.key == "carnaval" {
				lw.Name = h.name
			}
		}
		out = append(out, lw)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CheckIn.Before(out[j].CheckIn) })
	return out
}

// LongWeekends lists the Argentine long weekends (three or more days off in a
// row, by law 27.399 without the yearly "puente" decrees) whose first day off
// falls in year, as stays: arrive the evening before, leave on the last day off.
func LongWeekends(year int) []Stay {
	lws := longWeekends(year)
	out := make([]Stay, len(lws))
	for i, lw := range lws {
		out[i] = lw.Stay
	}
	return out
}
