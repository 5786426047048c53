package web

import "alojamientos/internal/booking"

// policyJSON is a cancellation policy as the public API gives it (the
// contract's cancellation_policy): the property's on a quote, the frozen
// copy on a reservation.
type policyJSON struct {
	Name                string     `json:"name"`
	Preset              string     `json:"preset"`
	SenaRule            string     `json:"sena_rule"`
	Tiers               []tierJSON `json:"tiers"`
	NoShowRefundPercent int        `json:"no_show_refund_percent"`
	Text                string     `json:"text"`
	Version             int        `json:"version"`
}

type tierJSON struct {
	DaysBefore    int `json:"days_before"`
	RefundPercent int `json:"refund_percent"`
}

// policyOf is p for the API; nil (JSON null) for a stay with no frozen terms.
func policyOf(p *booking.Policy) *policyJSON {
	if p == nil {
		return nil
	}
	out := &policyJSON{Name: p.Name(), Preset: p.Preset, SenaRule: string(p.Sena), Tiers: make([]tierJSON, len(p.Tiers)),
		NoShowRefundPercent: p.NoShowRefundPercent, Text: p.Text(), Version: p.Version}
	for i, t := range p.Tiers {
		out.Tiers[i] = tierJSON{DaysBefore: t.DaysBefore, RefundPercent: t.RefundPercent}
	}
	return out
}
