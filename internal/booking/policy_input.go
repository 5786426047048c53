package booking

import (
	"strconv"
	"strings"
)

// PolicyInput is the owner's cancellation form as typed: a preset's name
// (its terms, whatever the rows say) or PresetCustom with the seña rule,
// the tier rows and the no-show percent.
type PolicyInput struct {
	Preset string
	Sena   string
	// Tiers are the rows as typed; a row with both cells empty is skipped.
	Tiers  []TierInput
	NoShow string
}

// TierInput is one row: "hasta Days días antes de la llegada, devolver Percent %".
type TierInput struct{ Days, Percent string }

// Policy reads the form into a policy (not yet Normalize'd): a named
// preset is that preset; otherwise the rows, with a *ValidationError when a
// cell is not a whole number.
func (in PolicyInput) Policy() (Policy, error) {
	if p, ok := Preset(in.Preset); ok {
		return p, nil
	}
	var verr ValidationError
	p := Policy{Preset: PresetCustom, Sena: SenaRule(in.Sena), Tiers: []Tier{}}
	for _, t := range in.Tiers {
		days, percent := strings.TrimSpace(t.Days), strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(t.Percent), "%"))
		if days == "" && percent == "" {
			continue
		}
		d, derr := strconv.Atoi(days)
		pc, perr := strconv.Atoi(percent)
		if derr != nil || perr != nil {
			verr.add("tiers", "Completá cada escalón con dos números: los días antes de la llegada y el porcentaje a devolver.")
			continue
		}
		p.Tiers = append(p.Tiers, Tier{DaysBefore: d, RefundPercent: pc})
	}
	if ns := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(in.NoShow), "%")); ns != "" {
		n, err := strconv.Atoi(ns)
		if err != nil {
			verr.add("no_show_refund_percent", "Escribí un número de 0 a 100.")
		}
		p.NoShowRefundPercent = n
	}
	return p, verr.orNil()
}

// InputFromPolicy is the form showing a policy: its rows, then empty ones
// up to MaxTiers.
func InputFromPolicy(p Policy) PolicyInput {
	in := PolicyInput{Preset: p.Preset, Sena: string(p.Sena), NoShow: strconv.Itoa(p.NoShowRefundPercent)}
	for _, t := range p.Tiers {
		in.Tiers = append(in.Tiers, TierInput{Days: strconv.Itoa(t.DaysBefore), Percent: strconv.Itoa(t.RefundPercent)})
	}
	for len(in.Tiers) < MaxTiers {
		in.Tiers = append(in.Tiers, TierInput{})
	}
	return in
}
