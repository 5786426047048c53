// Package properties is the dashboard's properties pages: the list, the
// create and edit forms, photos, seasons and the price preview. A package per
// dashboard feature keeps each screen's view models and components together;
// the handlers in web fill them.
package properties

import (
	"strconv"
	"strings"

	"alojamientos/internal/format"
)

// KindOption is one choice of the kind select.
type KindOption struct {
	Value, Label string
}

// Kinds are the kinds of property, in the order the form offers them.
var Kinds = []KindOption{
	{"cabin", "Cabaña"}, {"apartment", "Departamento"}, {"room", "Habitación"}, {"house", "Casa"},
}

// KindLabel is the Spanish name of a kind.
func KindLabel(kind string) string {
	for _, k := range Kinds {
		if k.Value == kind {
			return k.Label
		}
	}
	return kind
}

// Currencies the form offers; a property stored in another valid code keeps
// it and the select shows it too (see currencyOptions).
var Currencies = []string{"ARS", "USD"}

// currencyOptions are the offered currencies, plus the current one when it is another.
func currencyOptions(current string) []KindOption {
	codes := Currencies
	if current != "" && !contains(codes, current) {
		codes = append(append([]string{}, codes...), current)
	}
	opts := make([]KindOption, len(codes))
	for i, c := range codes {
		opts[i] = KindOption{c, format.CurrencyName(c)}
	}
	return opts
}

// moneySign is what sits before the amount fields: "$", "US$".
func moneySign(currency string) string {
	if currency == "" {
		currency = "ARS"
	}
	return strings.TrimSpace(format.CurrencySymbol(currency))
}

// nightOption is a weekday whose night can count as weekend.
type nightOption struct {
	Value, Label string
}

// weekNights are Go's weekday numbers, Monday first as a calendar here reads.
var weekNights = func() []nightOption {
	opts := make([]nightOption, len(format.Week))
	for i, d := range format.Week {
		opts[i] = nightOption{strconv.Itoa(int(d)), format.WeekdayName(d)}
	}
	return opts
}()

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// invalid is the aria-invalid value of a field with message err.
func invalid(err string) string {
	if err != "" {
		return "true"
	}
	return "false"
}

func itoa(n int) string { return strconv.Itoa(n) }

// describedBy lists the ids of a field's hint and error, those it has.
func describedBy(name, hint, err string) string {
	ids := ""
	if hint != "" {
		ids = "f-" + name + "-hint"
	}
	if err != "" {
		if ids != "" {
			ids += " "
		}
		ids += "f-" + name + "-error"
	}
	return ids
}
