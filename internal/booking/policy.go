package booking

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// SenaRule is what happens to the seña when plans change.
type SenaRule string

// The seña rules a policy may carry.
const (
	// SenaNone: the seña is part of what was paid and follows the tiers.
	SenaNone SenaRule = "none"
	// SenaConfirmatoria (CCyC art. 1060): the seña confirms the stay and is
	// not refunded to a guest who cancels; the rest follows the tiers.
	SenaConfirmatoria SenaRule = "confirmatoria"
	// SenaPenitencial (CCyC art. 1059): either side may withdraw; the guest
	// who does loses the seña, the host who does returns it doubled.
	SenaPenitencial SenaRule = "penitencial"
)

// Tier is one step of a policy: a guest who cancels DaysBefore days or more
// before the day of arrival gets RefundPercent of what the tier applies to.
type Tier struct {
	DaysBefore    int `json:"days_before"`
	RefundPercent int `json:"refund_percent"`
}

// Policy is a property's cancellation terms, frozen on each booking at
// hold time (reservations.cancel_policy) so later edits never change it.
type Policy struct {
	Preset string   `json:"preset"`
	Sena   SenaRule `json:"sena"`
	// Tiers, most days first. Cancelling later than the last tier refunds nothing.
	Tiers []Tier `json:"tiers"`
	// NoShowRefundPercent is what a guest who never arrives gets back of
	// what the tiers apply to (0 by default).
	NoShowRefundPercent int `json:"no_show_refund_percent"`
	// Version grows with every change of the property's policy.
	Version int `json:"version"`
}

// Preset names. PresetCustom is a policy the owner edited.
const (
	PresetFlexible      = "flexible"
	PresetModerada      = "moderada"
	PresetEstricta      = "estricta"
	PresetConfirmatoria = "sena_confirmatoria"
	PresetPenitencial   = "sena_penitencial"
	PresetCustom        = "personalizada"
)

// PresetNames lists the presets in the order an owner sees them.
var PresetNames = []string{PresetFlexible, PresetModerada, PresetEstricta, PresetConfirmatoria, PresetPenitencial}

// Presets are the policies written for Argentina: the three tiers hosts
// know from the channels, and the two kinds of seña of the Civil and
// Commercial Code.
var Presets = map[string]Policy{
	PresetFlexible: {Preset: PresetFlexible, Sena: SenaNone, Tiers: []Tier{{1, 100}}},
	PresetModerada: {Preset: PresetModerada, Sena: SenaNone, Tiers: []Tier{{5, 100}, {1, 50}}},
	PresetEstricta: {Preset: PresetEstricta, Sena: SenaNone, Tiers: []Tier{{30, 100}, {7, 50}}},
	PresetConfirmatoria: {Preset: PresetConfirmatoria, Sena: SenaConfirmatoria,
		Tiers: []Tier{{7, 100}, {2, 50}}},
	PresetPenitencial: {Preset: PresetPenitencial, Sena: SenaPenitencial, Tiers: []Tier{{0, 100}}},
}

// Preset returns a copy of a preset, or false.
func Preset(name string) (Policy, bool) {
	p, ok := Presets[name]
	p.Tiers = slices.Clone(p.Tiers)
	return p, ok
}

// DefaultPolicy is what a property has until its owner chooses (and what
// migration 00026 writes).
func DefaultPolicy() Policy {
	p, _ := Preset(PresetModerada)
	p.Version = 1
	return p
}

// Limits of an edited policy.
const (
	MaxTiers      = 6
	MaxTierDays   = 365
	maxPresetName = 40
)

// Normalize sorts the tiers (most days first) and checks the policy,
// returning field errors in Spanish keyed like the owner's form.
func (p *Policy) Normalize() error {
	var verr ValidationError
	switch p.Sena {
	case SenaNone, SenaConfirmatoria, SenaPenitencial:
	default:
		verr.add("sena", "Elegí qué pasa con la seña.")
	}
	if len(p.Tiers) > MaxTiers {
		verr.add("tiers", fmt.Sprintf("Como máximo %d escalones.", MaxTiers))
	}
	slices.SortStableFunc(p.Tiers, func(a, b Tier) int { return b.DaysBefore - a.DaysBefore })
	for i, t := range p.Tiers {
		switch {
		case t.DaysBefore < 0 || t.DaysBefore > MaxTierDays:
			verr.add("tiers", fmt.Sprintf("Los días antes de la llegada van de 0 a %d.", MaxTierDays))
		case t.RefundPercent < 0 || t.RefundPercent > 100:
			verr.add("tiers", "El porcentaje a devolver va de 0 a 100.")
		case i > 0 && t.DaysBefore == p.Tiers[i-1].DaysBefore:
			verr.add("tiers", "Hay dos escalones con los mismos días.")
		case i > 0 && t.RefundPercent > p.Tiers[i-1].RefundPercent:
			verr.add("tiers", "Cancelar más cerca de la llegada no puede devolver más que cancelar antes.")
		}
	}
	if p.NoShowRefundPercent < 0 || p.NoShowRefundPercent > 100 {
		verr.add("no_show_refund_percent", "El porcentaje a devolver va de 0 a 100.")
	}
	if len(p.Preset) > maxPresetName {
		p.Preset = PresetCustom
	}
	return verr.orNil()
}

// Matches reports whether p has a preset's terms (its name aside).
func (p Policy) Matches(preset string) bool {
	q, ok := Presets[preset]
	return ok && p.Sena == q.Sena && slices.Equal(p.Tiers, q.Tiers) && p.NoShowRefundPercent == q.NoShowRefundPercent
}

// Name is the policy's name for guests and owners.
func (p Policy) Name() string {
	switch p.Preset {
	case PresetFlexible:
		return "Flexible"
	case PresetModerada:
		return "Moderada"
	case PresetEstricta:
		return "Estricta"
	case PresetConfirmatoria:
		return "Seña confirmatoria"
	case PresetPenitencial:
		return "Seña penitencial"
	}
	return "Personalizada"
}

// tierFor is the refund percent for cancelling daysBefore days before the
// day of arrival, and the tier that gave it (nil: later than every tier).
func (p Policy) tierFor(daysBefore int) (int, *Tier) {
	for i := range p.Tiers {
		if daysBefore >= p.Tiers[i].DaysBefore {
			return p.Tiers[i].RefundPercent, &p.Tiers[i]
		}
	}
	return 0, nil
}

// ParsePolicy reads a stored policy; nil or empty is no policy (false).
func ParsePolicy(raw []byte) (Policy, bool, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return Policy{}, false, nil
	}
	var p Policy
	if err := json.Unmarshal(raw, &p); err != nil {
		return Policy{}, false, fmt.Errorf("booking: stored cancellation policy: %w", err)
	}
	if p.Tiers == nil {
		p.Tiers = []Tier{}
	}
	return p, true, nil
}

// JSON is the stored form of the policy.
func (p Policy) JSON() []byte {
	if p.Tiers == nil {
		p.Tiers = []Tier{}
	}
	b, _ := json.Marshal(p)
	return b
}

// Text is the policy in plain Spanish, as the guest reads it before booking
// and on the guest page: the seña rule, then what cancelling on each date
// gives back, then a no-show.
func (p Policy) Text() string {
	var b strings.Builder
	subject := "lo pagado"
	switch p.Sena {
	case SenaConfirmatoria:
		b.WriteString("Seña confirmatoria: la seña confirma la reserva y no se devuelve si cancelás. ")
		subject = "lo pagado además de la seña"
	case SenaPenitencial:
		b.WriteString("Seña penitencial (art. 1059 del Código Civil y Comercial): cualquiera de las dos partes puede " +
			"arrepentirse; si cancelás vos, perdés la seña; si cancela el alojamiento, te devuelve la seña doblada. ")
		subject = "lo pagado además de la seña"
	}
	b.WriteString(p.tiersText(subject))
	if p.NoShowRefundPercent > 0 {
		fmt.Fprintf(&b, " Si no llegás sin avisar, se devuelve el %d %% de %s.", p.NoShowRefundPercent, subject)
	} else {
		b.WriteString(" Si no llegás sin avisar, no se devuelve nada.")
	}
	return b.String()
}

// words are a tier's "hasta N días antes" (with after, e.g. " de la
// llegada") and "el X %" ("todo", "nada"), for Text and Summary.
func (t Tier) words(after string) (when, what string) {
	switch t.DaysBefore {
	case 0:
		when = "hasta el día de llegada"
	case 1:
		when = "hasta 1 día antes" + after
	default:
		when = fmt.Sprintf("hasta %d días antes%s", t.DaysBefore, after)
	}
	switch t.RefundPercent {
	case 100:
		what = "todo"
	case 0:
		what = "nada"
	default:
		what = fmt.Sprintf("el %d %%", t.RefundPercent)
	}
	return when, what
}

func (p Policy) tiersText(subject string) string {
	if len(p.Tiers) == 0 {
		return "Si cancelás, no se devuelve " + subject + "."
	}
	parts := make([]string, 0, len(p.Tiers)+1)
	for i, t := range p.Tiers {
		when, what := t.words(" de la llegada")
		if i == 0 {
			// "todo lo pagado", "no se devuelve nada de lo pagado", "el 50 % de lo pagado".
			switch t.RefundPercent {
			case 100:
				parts = append(parts, fmt.Sprintf("Si cancelás %s, se devuelve todo %s", when, subject))
			case 0:
				parts = append(parts, fmt.Sprintf("Si cancelás %s, no se devuelve nada de %s", when, subject))
			default:
				parts = append(parts, fmt.Sprintf("Si cancelás %s, se devuelve %s de %s", when, what, subject))
			}
		} else {
			parts = append(parts, fmt.Sprintf("%s, %s", when, what))
		}
	}
	if last := p.Tiers[len(p.Tiers)-1]; last.DaysBefore > 0 || last.RefundPercent < 100 {
		parts = append(parts, "después, nada")
	}
	return strings.Join(parts, "; ") + "."
}
