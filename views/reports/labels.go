package reports

import (
	"strconv"
	"strings"
	"time"

	"alojamientos/internal/money"
	"alojamientos/views/format"
)

var channels = map[string]string{
	"direct": "Directo", "web": "Web", "whatsapp": "WhatsApp", "phone": "Teléfono", "walk_in": "En persona",
	"airbnb": "Airbnb", "booking": "Booking.com", "vrbo": "Vrbo", "other": "Otro",
}

// ChannelLabel is the name of a reservation channel as owners say it.
func ChannelLabel(code string) string {
	if l, ok := channels[code]; ok {
		return l
	}
	return code
}

// Percent is "63 %".
func Percent(n int) string { return strconv.Itoa(n) + " %" }

// MonthShort is the first three letters of a month's name ("sep").
func MonthShort(m time.Month) string { return string([]rune(format.MonthName(m))[:3]) }

// CompactMoney writes an amount short enough to sit above a bar: "$ 950",
// "$ 12,5 mil", "$ 350 mil", "$ 1,2 M". The exact figure is in the table.
func CompactMoney(m money.Money) string {
	units := int64(m) / 100
	switch {
	case units < 0:
		return "-" + CompactMoney(-m)
	case units < 1000:
		return "$ " + strconv.FormatInt(units, 10)
	case units < 999_500: // from there it reads "$ 1 M", not "$ 1000 mil"
		return "$ " + oneDecimal(units, 1000) + " mil"
	}
	return "$ " + oneDecimal(units, 1_000_000) + " M"
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
