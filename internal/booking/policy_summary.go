package booking

import "strings"

// Summary is the policy in one line, for a chat message where Text is too
// long: "Cancelación: política Moderada — hasta 5 días antes se devuelve
// todo; hasta 1 día antes, el 50 %; después, nada."
func (p Policy) Summary() string {
	var parts []string
	rest := ""
	switch p.Sena {
	case SenaConfirmatoria:
		parts, rest = append(parts, "la seña no se devuelve"), " del resto"
	case SenaPenitencial:
		parts, rest = append(parts, "si cancelás perdés la seña; si cancela el alojamiento, te la devuelve doblada"), " del resto"
	}
	if len(p.Tiers) == 0 {
		parts = append(parts, "no se devuelve nada"+rest)
	}
	for i, t := range p.Tiers {
		when, what := t.words("")
		if i == 0 {
			parts = append(parts, when+" se devuelve "+what+rest)
		} else {
			parts = append(parts, when+", "+what)
		}
	}
	if n := len(p.Tiers); n > 0 && (p.Tiers[n-1].DaysBefore > 0 || p.Tiers[n-1].RefundPercent < 100) {
		parts = append(parts, "después, nada")
	}
	return "Cancelación: política " + p.Name() + " — " + strings.Join(parts, "; ") + "."
}
