// Package format writes dates, times and money the way people in Argentina
// read them. Views call it; it knows nothing of HTTP or the database. It is
// apart from the feature packages so that every screen writes a date or an
// amount the same way.
package format

import (
	"strconv"
	"time"

	"alojamientos/internal/money"
)

// Date is dd/mm/aaaa.
func Date(d time.Time) string { return d.Format("02/01/2006") }

// DateTime is dd/mm/aaaa hh:mm in loc.
func DateTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("02/01/2006 15:04") }

// Money is "$ 12.345,67".
func Money(m money.Money) string {
	s := m.Display()
	if m%100 == 0 {
		s += ",00"
	}
	return "$ " + s
}

var weekdays = [...]string{"dom", "lun", "mar", "mié", "jue", "vie", "sáb"}

// Weekday is the short Spanish name of d's weekday.
func Weekday(d time.Time) string { return weekdays[d.Weekday()] }

var months = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
	"octubre", "noviembre", "diciembre"}

// Month is "enero de 2027".
func Month(d time.Time) string { return months[d.Month()-1] + " de " + d.Format("2006") }

// MonthName is "enero".
func MonthName(m time.Month) string { return months[m-1] }

// Nights is "1 noche" or "3 noches".
func Nights(n int) string {
	if n == 1 {
		return "1 noche"
	}
	return itoa(n) + " noches"
}

func itoa(n int) string { return strconv.Itoa(n) }
