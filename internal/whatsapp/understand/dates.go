package understand

import (
	"strconv"
	"strings"
	"time"

	"alojamientos/internal/format"
)

// maxNights is the longest stay we read from a message; anything longer is
// a misreading (or a tenant, who should talk to the owner).
const maxNights = 60

var months = map[string]time.Month{
	"enero": 1, "ene": 1, "enro": 1, "emero": 1, "eneros": 1,
	"febrero": 2, "feb": 2, "febr": 2, "febrer": 2, "febreo": 2, "febero": 2,
	"marzo": 3, "mar": 3, "marz": 3,
	"abril": 4, "abr": 4, "abri": 4,
	"mayo": 5, "may": 5,
	"junio": 6, "jun": 6,
	"julio": 7, "jul": 7,
	"agosto": 8, "ago": 8, "agos": 8, "agost": 8,
	"septiembre": 9, "setiembre": 9, "sep": 9, "sept": 9, "set": 9, "septiembe": 9, "setiembe": 9,
	"octubre": 10, "oct": 10, "octu": 10, "octubr": 10,
	"noviembre": 11, "nov": 11, "novi": 11, "nobiembre": 11, "noviem": 11,
	"diciembre": 12, "dic": 12, "dicimbre": 12, "diciembe": 12, "diciem": 12, "dici": 12,
}

var weekdays = map[string]time.Weekday{
	"domingo": time.Sunday, "dom": time.Sunday,
	"lunes": time.Monday, "lun": time.Monday,
	"martes":    time.Tuesday,
	"miercoles": time.Wednesday, "mie": time.Wednesday, "mier": time.Wednesday,
	"jueves": time.Thursday, "jue": time.Thursday,
	"viernes": time.Friday, "vie": time.Friday, "viern": time.Friday,
	"sabado": time.Saturday, "sab": time.Saturday, "sabados": time.Saturday,
}

func monthOf(w string) (time.Month, bool) {
	m, ok := months[w]
	return m, ok
}

const (
	dkNum = iota + 1
	dkWeekday
	dkRel
)

// dexpr is one date as written, before it is placed on the calendar.
type dexpr struct {
	kind             int
	day, month, year int
	wd               time.Weekday
	rel              int
}

func (e dexpr) bare() bool { return e.kind == dkNum && e.month == 0 }

// dateToken reads 10/1, 10/01/27, 15-01-2027.
func dateToken(w string) (d, m, y int, ok bool) {
	if w == "" || w[0] < '0' || w[0] > '9' || len(w) > 10 {
		return 0, 0, 0, false
	}
	sep := "/"
	if !strings.Contains(w, "/") {
		sep = "-"
	}
	parts := strings.Split(w, sep)
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, false
	}
	for _, p := range parts {
		if !allDigits(p) {
			return 0, 0, 0, false
		}
	}
	if len(parts[0]) > 2 || len(parts[1]) > 2 {
		return 0, 0, 0, false
	}
	d, _ = strconv.Atoi(parts[0])
	m, _ = strconv.Atoi(parts[1])
	if len(parts) == 3 {
		switch len(parts[2]) {
		case 2:
			y, _ = strconv.Atoi(parts[2])
			y += 2000
		case 4:
			y, _ = strconv.Atoi(parts[2])
		default:
			return 0, 0, 0, false
		}
	}
	return d, m, y, d >= 1 && d <= 31 && m >= 1 && m <= 12
}

func dayNumber(w string) (int, bool) {
	n := 0
	switch {
	case allDigits(w) && len(w) <= 2:
		n, _ = strconv.Atoi(w)
	default:
		n = ordinalDigits(w)
	}
	return n, n >= 1 && n <= 31
}

func yearNumber(w string) (int, bool) {
	if !allDigits(w) || len(w) != 4 {
		return 0, false
	}
	y, _ := strconv.Atoi(w)
	return y, y >= 2000 && y <= 2100
}

// parseDate reads one date at t[i]; it returns the index after it.
func parseDate(t []string, i int) (dexpr, int, bool) {
	w := at(t, i)
	if d, m, y, ok := dateToken(w); ok {
		return dexpr{kind: dkNum, day: d, month: m, year: y}, i + 1, true
	}
	if d, ok := dayNumber(w); ok {
		e := dexpr{kind: dkNum, day: d}
		j := i + 1
		if m, ok := monthOf(at(t, j)); ok {
			e.month, j = int(m), j+1
		} else if m, ok := monthOf(at(t, j+1)); ok && at(t, j) == "de" {
			e.month, j = int(m), j+2
		}
		if e.month != 0 {
			if y, ok := yearNumber(at(t, j)); ok {
				e.year, j = y, j+1
			} else if y, ok := yearNumber(at(t, j+1)); ok && (at(t, j) == "de" || at(t, j) == "del") {
				e.year, j = y, j+2
			}
		}
		return e, j, true
	}
	if wd, ok := weekdays[w]; ok {
		// "el viernes 9 de enero": the number is what counts.
		_, isDay := dayNumber(at(t, i+1))
		_, _, _, isDate := dateToken(at(t, i+1))
		if e, j, ok := parseDate(t, i+1); (isDay || isDate) && ok && !notDateFollower(at(t, j)) {
			return e, j, true
		}
		return dexpr{kind: dkWeekday, wd: wd}, i + 1, true
	}
	switch {
	case w == "hoy":
		return dexpr{kind: dkRel}, i + 1, true
	case w == "pasado" && at(t, i+1) == "manana":
		return dexpr{kind: dkRel, rel: 2}, i + 2, true
	case w == "manana" && at(t, i-1) != "la" && at(t, i-1) != "esta":
		return dexpr{kind: dkRel, rel: 1}, i + 1, true
	}
	return dexpr{}, i, false
}

// startTriggers introduce a start date; only after one may a bare day
// number ("del 10") be a date rather than a count.
var startTriggers = [][]string{
	{"a", "partir", "del"}, {"a", "partir", "de", "el"}, {"a", "partir", "de"}, {"desde", "el"}, {"desde"},
	{"entre", "el"}, {"entre"}, {"del"}, {"para", "el"}, {"entrando", "el"}, {"llegando", "el"},
	{"ingresando", "el"}, {"ingreso", "el"}, {"el"}, {"de"},
}

func trigger(t []string, i int) (n int, entre bool) {
	for _, tr := range startTriggers {
		if hasSeq(t, i, tr) {
			return len(tr), tr[0] == "entre"
		}
	}
	return 0, false
}

// connectors join the two dates of a range, longest first.
var connectors = [][]string{
	{"y", "nos", "vamos", "el"}, {"y", "nos", "vamos"}, {"y", "salimos", "el"}, {"y", "salimos"},
	{"y", "nos", "iriamos", "el"}, {"y", "nos", "iriamos"}, {"hasta", "el"}, {"hasta"}, {"al"}, {"a", "la"},
	{"a"}, {"-"}, {"egreso", "el"}, {"egreso"}, {"salida", "el"}, {"salida"}, {"check", "out"},
}

// connector reads what joins two dates of a range.
func connector(t []string, i int, entre bool) int {
	if entre && at(t, i) == "y" {
		if at(t, i+1) == "el" {
			return 2
		}
		return 1
	}
	for _, c := range connectors {
		if hasSeq(t, i, c) {
			return len(c)
		}
	}
	return 0
}

func notDateFollower(w string) bool {
	return strings.HasPrefix(w, "noch") || personWords[w] || adultWords[w] || childWords[w] || w == "hs" ||
		w == "horas" || w == "dias" || w == "semanas" || w == "anos" || w == "meses" || w == "pm" || w == "am"
}

// findStay reads the stay a message asks about, in order of how explicit it is:
// a range, a start and a length, then named periods (weekends, holidays).
func findStay(t []string, today time.Time) (Stay, string, bool) {
	for i := 0; i < len(t); i++ {
		n, entre := trigger(t, i)
		e1, j, ok := parseDate(t, i+n)
		if !ok {
			continue
		}
		c := connector(t, j, entre)
		if c == 0 {
			continue
		}
		e2, k, ok := parseDate(t, j+c)
		if !ok || notDateFollower(at(t, k)) || notDateFollower(at(t, j)) {
			continue
		}
		if e1.bare() && e2.bare() && n == 0 {
			continue
		}
		if e1.kind == dkNum && e1.bare() && n == 0 && e2.kind != dkNum {
			continue
		}
		// The first range written is the answer, even when it is impossible (31/2).
		return resolveRange(e1, e2, today)
	}
	if st, ok := listedNights(t, today); ok {
		return st, "", true
	}
	if nights := findNights(t); nights > 0 {
		if e, ok := findStart(t); ok {
			in, hint, ok := resolveStart(e, today)
			if !ok || nights > maxNights {
				return Stay{}, "", false
			}
			return Stay{CheckIn: in, CheckOut: in.AddDate(0, 0, nights)}, hint, true
		}
	}
	return findNamedPeriod(t, today)
}

func resolveRange(e1, e2 dexpr, today time.Time) (Stay, string, bool) {
	var in time.Time
	hint := ""
	if e1.kind == dkNum && e1.month == 0 && e2.kind == dkNum && e2.month != 0 {
		e1.month = e2.month
		if e1.day > e2.day {
			e1.month--
			if e1.month == 0 {
				e1.month = 12
				if e2.year != 0 {
					e1.year = e2.year - 1
				}
			}
		}
	}
	if e1.kind == dkNum && e1.year == 0 && e2.kind == dkNum && e2.year != 0 && e1.month != 0 {
		m2 := e2.month
		if m2 == 0 {
			m2 = e1.month
		}
		e1.year = e2.year
		if e1.month > m2 || (e1.month == m2 && e1.day > e2.day) {
			e1.year--
		}
	}
	in, hint, ok := resolveStart(e1, today)
	if !ok {
		return Stay{}, "", false
	}
	var out time.Time
	switch e2.kind {
	case dkWeekday:
		out = in.AddDate(0, 0, 1)
		for out.Weekday() != e2.wd {
			out = out.AddDate(0, 0, 1)
		}
	case dkRel:
		out = today.AddDate(0, 0, e2.rel)
	case dkNum:
		y, m := e2.year, e2.month
		if m == 0 {
			m = int(in.Month())
			if y == 0 {
				y = in.Year()
			}
			if !validDate(y, m, e2.day) || !civil(y, time.Month(m), e2.day).After(in) {
				m++
				if m == 13 {
					m, y = 1, y+1
				}
			}
		} else if y == 0 {
			y = in.Year()
			if validDate(y, m, e2.day) && !civil(y, time.Month(m), e2.day).After(in) {
				y++
			}
		}
		if !validDate(y, m, e2.day) {
			return Stay{}, "", false
		}
		out = civil(y, time.Month(m), e2.day)
	}
	if !out.After(in) || out.Sub(in) > maxNights*24*time.Hour {
		return Stay{}, "", false
	}
	return Stay{CheckIn: in, CheckOut: out}, hint, true
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := civil(y, time.Month(m), d)
	return t.Day() == d && int(t.Month()) == m
}

// resolveStart puts a start date on the calendar: years and months forward
// from today, since nobody books the past. A start before today is no stay.
func resolveStart(e dexpr, today time.Time) (time.Time, string, bool) {
	switch e.kind {
	case dkWeekday:
		d := today
		for d.Weekday() != e.wd {
			d = d.AddDate(0, 0, 1)
		}
		return d, "", true
	case dkRel:
		return today.AddDate(0, 0, e.rel), "", true
	case dkNum:
		hint := ""
		y, m := e.year, e.month
		if m == 0 {
			y, m = today.Year(), int(today.Month())
			if e.day < today.Day() {
				m++
				if m == 13 {
					m, y = 1, y+1
				}
				hint = "tomé el mes de " + format.MonthName(time.Month(m))
			}
		} else if y == 0 {
			y = today.Year()
			if validDate(y, m, e.day) && civil(y, time.Month(m), e.day).Before(today) {
				y++
			}
		}
		if !validDate(y, m, e.day) {
			return time.Time{}, "", false
		}
		d := civil(y, time.Month(m), e.day)
		if d.Before(today) {
			return time.Time{}, "", false
		}
		return d, hint, true
	}
	return time.Time{}, "", false
}

// findNights reads "3 noches", "una semana", "x 2 noches".
func findNights(t []string) int {
	for i, w := range t {
		n, ok := count(w)
		if !ok || n <= 0 {
			continue
		}
		next := at(t, i+1)
		switch {
		case strings.HasPrefix(next, "noch"):
			return n
		case (next == "semana" || next == "semanas") && at(t, i+2) != "santa":
			return 7 * n
		case next == "quincena" || next == "quincenas":
			return 14 * n
		}
	}
	return 0
}

// findStart picks the stay's first night when a length was given. Explicit
// dates win over weekdays, which win over "hoy"/"mañana".
func findStart(t []string) (dexpr, bool) {
	var weekday, rel dexpr
	for i := 0; i < len(t); i++ {
		n, _ := trigger(t, i)
		e, j, ok := parseDate(t, i+n)
		if !ok || notDateFollower(at(t, j)) {
			continue
		}
		if e.bare() && (at(t, j) == "y" || at(t, j) == "al") {
			// "las noches del 8 y 9 de enero": the month comes with the last day.
			if e2, _, ok := parseDate(t, j+1); ok && e2.kind == dkNum && e2.month != 0 && e2.day > e.day {
				e.month, e.year = e2.month, e2.year
			}
		}
		switch {
		case e.kind == dkNum && (!e.bare() || (n > 0 && at(t, i) != "de")):
			return e, true
		case e.kind == dkWeekday && weekday.kind == 0:
			weekday = e
		case e.kind == dkRel && rel.kind == 0:
			rel = e
		}
		i += n
	}
	if weekday.kind != 0 {
		return weekday, true
	}
	return rel, rel.kind != 0
}

// listedNights reads nights named one by one, "el 10, 11 y 12 de enero":
// consecutive days, the month on the last one, check-out the day after it.
func listedNights(t []string, today time.Time) (Stay, bool) {
	for i := 0; i < len(t); i++ {
		first, ok := dayNumber(t[i])
		if !ok || !allDigits(t[i]) {
			continue
		}
		last, j := first, i+1
		for {
			k := j
			if at(t, k) == "y" {
				k++
			}
			d, ok := dayNumber(at(t, k))
			if !ok || d != last+1 {
				break
			}
			last, j = d, k+1
		}
		if last == first {
			continue
		}
		e, _, _ := parseDate(t, j-1)
		if e.month == 0 || e.day != last {
			i = j - 1
			continue
		}
		e.day = first
		in, _, ok := resolveStart(e, today)
		if !ok {
			return Stay{}, false
		}
		return Stay{CheckIn: in, CheckOut: in.AddDate(0, 0, last-first+1)}, true
	}
	return Stay{}, false
}

// findNamedPeriod reads weekends and holidays.
func findNamedPeriod(t []string, today time.Time) (Stay, string, bool) {
	if containsSeq(t, "esta", "noche") {
		return Stay{CheckIn: today, CheckOut: today.AddDate(0, 0, 1)}, "tomé solo la noche de hoy", true
	}
	for i, w := range t {
		switch {
		case w == "finde" && at(t, i+1) == "largo":
			return longWeekendFor(t[i+2:], today)
		case w == "carnaval" || w == "carnavales":
			return longWeekendFor(t[i:], today)
		}
	}
	for i, w := range t {
		switch {
		case (w == "semana" && at(t, i+1) == "santa") || w == "pascua" || w == "pascuas":
			for y := today.Year(); y <= today.Year()+1; y++ {
				e := easter(y)
				if in := e.AddDate(0, 0, -3); !in.Before(today) {
					return Stay{CheckIn: in, CheckOut: e}, "tomé Semana Santa", true
				}
			}
		case w == "navidad" || w == "nochebuena":
			y := today.Year()
			if civil(y, time.December, 24).Before(today) {
				y++
			}
			if containsSeq(t, "ano", "nuevo") {
				return Stay{CheckIn: civil(y, time.December, 24), CheckOut: civil(y+1, time.January, 2)}, "tomé Navidad y Año Nuevo", true
			}
			return Stay{CheckIn: civil(y, time.December, 24), CheckOut: civil(y, time.December, 26)}, "tomé Navidad", true
		case (w == "ano" && at(t, i+1) == "nuevo") || w == "reveillon":
			y := today.Year()
			if civil(y, time.December, 31).Before(today) {
				y++
			}
			return Stay{CheckIn: civil(y, time.December, 31), CheckOut: civil(y+1, time.January, 2)}, "tomé Año Nuevo", true
		}
	}
	for i, w := range t {
		if w != "finde" {
			continue
		}
		if nth, ok := weekendOrdinals[at(t, i-1)]; ok && (at(t, i+1) == "de" || at(t, i+1) == "del") {
			if m, ok := monthOf(at(t, i+2)); ok {
				return nthWeekend(nth, m, today)
			}
		}
		skip := 1
		if at(t, i+1) == "del" || at(t, i+1) == "de" {
			skip = 2
		}
		if e, _, ok := parseDate(t, i+skip); ok && e.kind == dkNum && (skip == 2 || !e.bare()) {
			return weekendOf(e, today)
		}
		next := at(t, i-1) == "proximo" || at(t, i-1) == "otro" || at(t, i+1) == "proximo" ||
			at(t, i+1) == "siguiente" || (at(t, i+1) == "que" && at(t, i+2) == "viene")
		return comingWeekend(today, next)
	}
	return Stay{}, "", false
}

// weekend is Friday and Saturday nights, or only Saturday's when it starts on one.
func weekend(from time.Time) Stay {
	out := from
	for out.Weekday() != time.Sunday {
		out = out.AddDate(0, 0, 1)
	}
	if out.Equal(from) {
		out = out.AddDate(0, 0, 7)
	}
	return Stay{CheckIn: from, CheckOut: out}
}

func comingWeekend(today time.Time, next bool) (Stay, string, bool) {
	wd := today.Weekday()
	hint := "tomé este fin de semana"
	if next {
		hint = "tomé el fin de semana que viene"
	}
	if wd == time.Saturday && !next {
		return weekend(today), hint, true
	}
	start := today
	if wd == time.Sunday || (next && (wd == time.Friday || wd == time.Saturday)) {
		start = today.AddDate(0, 0, 1)
	}
	for start.Weekday() != time.Friday {
		start = start.AddDate(0, 0, 1)
	}
	return weekend(start), hint, true
}

var longWeekendKeys = map[string]string{
	"carnaval": "carnaval", "carnavales": "carnaval", "santa": "semanasanta", "pascua": "semanasanta",
	"pascuas": "semanasanta", "memoria": "memoria", "malvinas": "malvinas", "trabajador": "trabajador",
	"trabajo": "trabajador", "revolucion": "revolucion", "guemes": "guemes", "bandera": "bandera",
	"independencia": "independencia", "martin": "sanmartin", "diversidad": "diversidad", "raza": "diversidad",
	"soberania": "soberania", "inmaculada": "inmaculada", "virgen": "inmaculada", "navidad": "navidad",
	"nuevo": "anonuevo",
}

// longWeekendFor picks the next long weekend, or the one the words after
// "finde largo" name: a holiday, a date in it or a month.
func longWeekendFor(q []string, today time.Time) (Stay, string, bool) {
	if len(q) > 6 {
		q = q[:6]
	}
	match := func(lw longWeekend) bool { return true }
	for i, w := range q {
		if key, ok := longWeekendKeys[w]; ok {
			match = func(lw longWeekend) bool {
				for _, k := range lw.keys {
					if k == key {
						return true
					}
				}
				return false
			}
			break
		}
		if e, _, ok := parseDate(q, i); ok && e.kind == dkNum && e.month != 0 {
			match = func(lw longWeekend) bool {
				for y := lw.CheckIn.Year(); y <= lw.CheckOut.Year(); y++ {
					if !validDate(y, e.month, e.day) {
						continue
					}
					d := civil(y, time.Month(e.month), e.day)
					if d.After(lw.CheckIn) && !d.After(lw.CheckOut) {
						return true
					}
				}
				return false
			}
			break
		}
		if m, ok := monthOf(w); ok && len(w) > 3 {
			match = func(lw longWeekend) bool { return lw.CheckOut.Month() == m }
			break
		}
	}
	for y := today.Year(); y <= today.Year()+1; y++ {
		for _, lw := range longWeekends(y) {
			if !lw.CheckIn.Before(today) && match(lw) {
				return lw.Stay, "tomé el finde largo " + ofName(lw.Name), true
			}
		}
	}
	return Stay{}, "", false
}

// ofName contracts "de" with the article a holiday's name carries: "del Día de la Bandera".
func ofName(name string) string {
	if strings.HasPrefix(name, "Día") || strings.HasPrefix(name, "Paso") || (name != "" && name[0] >= '0' && name[0] <= '9') {
		return "del " + name
	}
	return "de " + name
}

func containsSeq(t []string, seq ...string) bool {
	for i := range t {
		if hasSeq(t, i, seq) {
			return true
		}
	}
	return false
}

// weekendOrdinals: "el primer finde de diciembre"; -1 is the last one.
var weekendOrdinals = map[string]int{
	"primer": 1, "primero": 1, "1er": 1, "1ro": 1, "segundo": 2, "2do": 2, "tercer": 3, "tercero": 3, "3er": 3,
	"3ro": 3, "cuarto": 4, "4to": 4, "ultimo": -1,
}

// nthWeekend counts weekends by their Saturday: a month that starts on a
// Saturday has its first weekend begin on the last day of the month before.
func nthWeekend(nth int, m time.Month, today time.Time) (Stay, string, bool) {
	for y := today.Year(); y <= today.Year()+1; y++ {
		var sats []time.Time
		for d := civil(y, m, 1); d.Month() == m; d = d.AddDate(0, 0, 1) {
			if d.Weekday() == time.Saturday {
				sats = append(sats, d)
			}
		}
		k := nth - 1
		if nth < 0 {
			k = len(sats) - 1
		}
		if k >= len(sats) {
			return Stay{}, "", false
		}
		fri := sats[k].AddDate(0, 0, -1)
		if fri.Before(today) {
			continue
		}
		st := weekend(fri)
		return st, "tomé el fin de semana " + format.Stay(st.CheckIn, st.CheckOut), true
	}
	return Stay{}, "", false
}

// weekendOf is the weekend a date belongs to ("el finde del 12"); a weekday
// means the weekend after it. Only its remaining nights count.
func weekendOf(e dexpr, today time.Time) (Stay, string, bool) {
	d, _, ok := resolveStart(e, today)
	if !ok {
		return Stay{}, "", false
	}
	switch d.Weekday() {
	case time.Saturday:
		d = d.AddDate(0, 0, -1)
	case time.Sunday:
		d = d.AddDate(0, 0, -2)
	}
	for d.Weekday() != time.Friday {
		d = d.AddDate(0, 0, 1)
	}
	st := Stay{CheckIn: d, CheckOut: d.AddDate(0, 0, 2)}
	if !st.CheckOut.After(today) {
		return Stay{}, "", false
	}
	if st.CheckIn.Before(today) {
		st.CheckIn = today
	}
	return st, "tomé el fin de semana " + format.Stay(st.CheckIn, st.CheckOut), true
}
