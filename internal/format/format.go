// Package format writes dates, times, money and the Spanish names of days
// and months the way people in Argentina read them. It is the one home of
// those rules: views, WhatsApp messages and Mercado Pago alerts all call it.
// It knows nothing of HTTP or the database.
package format

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"alojamientos/internal/money"
)

// Date is dd/mm/aaaa.
func Date(d time.Time) string { return d.Format("02/01/2006") }

// DayMonth is dd/mm, where the year goes without saying (a payment's title).
func DayMonth(d time.Time) string { return d.Format("02/01") }

// DateTime is dd/mm/aaaa hh:mm in loc.
func DateTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("02/01/2006 15:04") }

// DateAt is a moment as a guest reads it in a sentence, in loc: "02/12/2026 a las 14:35".
func DateAt(t time.Time, loc *time.Location) string {
	l := t.In(loc)
	return Date(l) + " a las " + l.Format("15:04")
}

// Money is "$ 12.345,67", cents always written: pages, tables and alerts.
// It writes pesos; an amount that may be in another currency goes through
// Amount.
func Money(m money.Money) string {
	s := m.Display()
	if m%100 == 0 {
		s += ",00"
	}
	return symbol + s
}

// MoneyBrief is "$ 85.000" or "$ 1.234,50": cents only when there are
// any, as a chat message reads.
func MoneyBrief(m money.Money) string { return symbol + m.Display() }

const symbol = "$ "

// Amount writes an amount in its currency with cents always, as Money does:
// "$ 120.000,00" for pesos, "US$ 120,50" for dollars, "EUR 1.234,56" (the
// ISO code) for any other.
func Amount(a money.Amount) string {
	s := a.Value.Display()
	if a.Value%100 == 0 {
		s += ",00"
	}
	return CurrencySymbol(a.Currency) + s
}

// AmountBrief writes an amount in its currency with cents only when there
// are any, as a chat message or a price tag reads: "$ 120.000", "US$ 120",
// "US$ 120,50".
func AmountBrief(a money.Amount) string { return CurrencySymbol(a.Currency) + a.Value.Display() }

// CurrencySymbol is what goes before an amount, its space included: "$ " for
// pesos, "US$ " for dollars (as Argentine prices write them, so they are never
// read as pesos), the ISO code for any other currency.
func CurrencySymbol(currency string) string {
	switch currency {
	case "ARS":
		return symbol
	case "USD":
		return "US$ "
	}
	return currency + " "
}

// CurrencyName is a currency as the owner picks it from a list: "Pesos
// argentinos (ARS)", "Dólares estadounidenses (USD)", or the code.
func CurrencyName(currency string) string {
	switch currency {
	case "ARS":
		return "Pesos argentinos (ARS)"
	case "USD":
		return "Dólares estadounidenses (USD)"
	}
	return currency
}

// MoneyCompact writes an amount short enough to sit above a bar: "$ 950",
// "$ 12,5 mil", "$ 350 mil", "$ 1,2 M". The exact figure is in the table.
func MoneyCompact(m money.Money) string { return compact(symbol, m) }

// AmountCompact is MoneyCompact in the amount's currency: "US$ 12,5 mil".
func AmountCompact(a money.Amount) string { return compact(CurrencySymbol(a.Currency), a.Value) }

func compact(sym string, m money.Money) string {
	units := int64(m) / 100
	switch {
	case units < 0:
		return "-" + compact(sym, -m)
	case units < 1000:
		return sym + strconv.FormatInt(units, 10)
	case units < 999_500: // from there it reads "$ 1 M", not "$ 1000 mil"
		return sym + oneDecimal(units, 1000) + " mil"
	}
	return sym + oneDecimal(units, 1_000_000) + " M"
}

// oneDecimal is v/unit with one decimal (a comma, as in Argentina) below
// 100, rounded to a whole number from there on.
func oneDecimal(v, unit int64) string {
	tenths := (v*10 + unit/2) / unit
	if tenths >= 1000 || tenths%10 == 0 {
		return strconv.FormatInt((tenths+5)/10, 10)
	}
	return strings.Replace(strconv.FormatFloat(float64(tenths)/10, 'f', 1, 64), ".", ",", 1)
}

var weekdays = [...]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}

// WeekdayName is the Spanish name of a weekday: "lunes".
func WeekdayName(d time.Weekday) string { return weekdays[d] }

// Weekday is the short Spanish name of d's weekday: "mié".
func Weekday(d time.Time) string { return WeekdayShort(d.Weekday()) }

// WeekdayShort is a weekday's first three letters: "lun", "mié", "sáb".
func WeekdayShort(d time.Weekday) string { return string([]rune(weekdays[d])[:3]) }

// WeekdayTwo is a weekday's first two letters, for narrow calendar heads: "lu", "sá".
func WeekdayTwo(d time.Weekday) string { return string([]rune(weekdays[d])[:2]) }

// Week is the days of a week as calendars here read them, Monday first.
var Week = [...]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

var months = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
	"octubre", "noviembre", "diciembre"}

// Month is "enero de 2027".
func Month(d time.Time) string { return months[d.Month()-1] + " de " + d.Format("2006") }

// MonthName is "enero".
func MonthName(m time.Month) string { return months[m-1] }

// MonthShort is a month's first three letters: "sep".
func MonthShort(m time.Month) string { return string([]rune(months[m-1])[:3]) }

// Stay writes a stay as a guest would say it: "del viernes 9 al domingo 11
// de enero", with both months when they differ and the years when those do.
func Stay(in, out time.Time) string {
	day := func(t time.Time) string { return WeekdayName(t.Weekday()) + " " + strconv.Itoa(t.Day()) }
	month := func(t time.Time) string { return " de " + MonthName(t.Month()) }
	year := func(t time.Time) string { return " de " + strconv.Itoa(t.Year()) }
	switch {
	case in.Year() != out.Year():
		return "del " + day(in) + month(in) + year(in) + " al " + day(out) + month(out) + year(out)
	case in.Month() != out.Month():
		return "del " + day(in) + month(in) + " al " + day(out) + month(out)
	}
	return "del " + day(in) + " al " + day(out) + month(out)
}

// Nights is "1 noche" or "3 noches".
func Nights(n int) string {
	if n == 1 {
		return "1 noche"
	}
	return strconv.Itoa(n) + " noches"
}

// Clip shortens s to at most n characters, the last one "…", so a name or a
// message fits a WhatsApp button, a list row or a preview.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// FirstName is the first word of a full name, how a message greets a guest.
func FirstName(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// Fields lists field problems as "field: message; …" in field order, for
// the Error text of the errors that carry them (booking, channel feeds).
func Fields(fields map[string]string) string {
	keys := slices.Sorted(maps.Keys(fields))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + fields[k]
	}
	return strings.Join(parts, "; ")
}
