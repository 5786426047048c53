package rates

import (
	"strconv"
	"time"
)

// KindLabels name the rate kinds as Argentines call them.
var KindLabels = map[string]string{
	"manual": "Manual", "oficial": "Oficial", "mep": "MEP (bolsa)", "tarjeta": "Tarjeta", "blue": "Blue",
}

// AutoKinds are the kinds the settings form offers, in order.
var AutoKinds = []string{"oficial", "mep", "tarjeta", "blue"}

// Age says how long ago something happened: "hace 5 minutos", "hace 3 horas", "hace 2 días".
func Age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "recién"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minuto", "minutos")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hora", "horas")
	}
	return plural(int(d/(24*time.Hour)), "día", "días")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "hace 1 " + one
	}
	return "hace " + strconv.Itoa(n) + " " + many
}
