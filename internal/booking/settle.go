package booking

import (
	"fmt"
	"math"
	"time"

	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/rates"
)

// Party is who ends a booking before its stay.
type Party string

// The ways a booking ends early.
const (
	// PartyGuest: the guest cancels (guest page, WhatsApp, or the owner on their behalf).
	PartyGuest Party = "guest"
	// PartyHost: the host cancels; the guest gets everything back (and the
	// seña doubled under seña penitencial).
	PartyHost Party = "host"
	// PartyWithdrawal: the guest uses the "Botón de arrepentimiento"; within
	// the legal window everything is returned, after it the terms apply.
	PartyWithdrawal Party = "withdrawal"
	// PartyNoShow: the guest never arrived.
	PartyNoShow Party = "no_show"
)

// SettleInput is what the computation needs of a booking: its frozen
// terms, the money it received, when it was made and when it starts.
type SettleInput struct {
	Policy Policy
	// HasPolicy is false for a stay without frozen terms (held before
	// policies existed, or imported from a channel): a guest cancellation
	// then refunds what the owner decides, computed as nothing owed.
	HasPolicy bool
	By        Party
	// At is when the cancellation or withdrawal is asked.
	At time.Time
	// CheckIn is the civil date of arrival; CheckInTime its "HH:MM" in Timezone.
	CheckIn     time.Time
	CheckInTime string
	Timezone    *time.Location
	// BookedAt is when the guest accepted the terms (the hold's creation).
	BookedAt time.Time
	// Deposit is the seña the booking asked; Paid what it holds now (reservations.paid).
	Deposit, Paid money.Money
	Currency      string
}

// Settlement is what each side owes when a booking ends early, in the stay's currency.
type Settlement struct {
	By Party
	// DaysBefore is the number of days from the local date of At to the day
	// of arrival (0 on the day, negative after it).
	DaysBefore int
	Paid       money.Money
	// Refund is what the guest gets back of Paid; Kept = Paid - Refund.
	Refund, Kept money.Money
	// SenaKept is the part of Kept that is the seña (a seña rule).
	SenaKept money.Money
	// Penalty is owed beyond the payments: the seña once more when the host
	// withdraws under seña penitencial.
	Penalty money.Money
	// Percent is the tier's refund percent applied (100 for the host or a withdrawal in time).
	Percent int
	// Withdrawal is the legal window, for PartyWithdrawal.
	Withdrawal *WithdrawalWindow
	// Rule says in Spanish why: the rule and the date that decided.
	Rule     string
	Currency string
}

// Owed is everything the guest is to receive: the refund and any penalty.
func (s Settlement) Owed() money.Money { return s.Refund + s.Penalty }

// Settle computes what a guest gets back when a booking ends early, from
// the terms frozen on it and the money it actually received. It is the one
// computation behind the guest page, WhatsApp, the owner's dashboard, the
// API and the withdrawal button.
func Settle(in SettleInput) Settlement {
	loc := in.Timezone
	if loc == nil {
		loc = time.UTC
	}
	s := Settlement{By: in.By, Paid: max(in.Paid, 0), Currency: in.Currency,
		DaysBefore: daysBefore(LocalDate(in.At, loc), in.CheckIn)}
	switch in.By {
	case PartyHost:
		s.Refund, s.Percent = s.Paid, 100
		s.Rule = "Cancela el alojamiento: se devuelve todo lo pagado."
		if in.HasPolicy && in.Policy.Sena == SenaPenitencial {
			s.Penalty = min(s.Paid, in.Deposit)
			s.Rule = "Cancela el alojamiento con seña penitencial (art. 1059 CCyC): se devuelve todo lo pagado y la seña una vez más."
		}
	case PartyWithdrawal:
		w := Withdrawal(in.BookedAt, in.CheckIn, in.CheckInTime, loc, in.At)
		s.Withdrawal = &w
		if w.InTime {
			s.Refund, s.Percent = s.Paid, 100
			s.Rule = "Arrepentimiento dentro del plazo legal (art. 1110 CCyC, Disp. 954/2025): se devuelve todo lo pagado, sin costo."
			break
		}
		s = guestTerms(in, s)
		s.Rule = "Arrepentimiento fuera del plazo legal (" + w.Reason + "): rigen las condiciones de cancelación. " + s.Rule
	default:
		s = guestTerms(in, s)
	}
	s.Refund = min(max(s.Refund, 0), s.Paid)
	s.Kept = s.Paid - s.Refund
	s.SenaKept = min(s.SenaKept, s.Kept)
	return s
}

// daysBefore counts the days from the local date of a request to the day of
// arrival, negative after it. Not NightsBetween: its integer division
// truncates toward zero, so the day after arrival came out as 0 (the day of
// arrival itself) and a tier "until the day of arrival" still refunded a
// stay already started.
func daysBefore(today, arrival time.Time) int {
	return int(math.Round(arrival.Sub(today).Hours() / 24))
}

// guestTerms applies the frozen terms to a guest who cancels or never arrives.
func guestTerms(in SettleInput, s Settlement) Settlement {
	if !in.HasPolicy {
		s.Rule = "La reserva no tiene condiciones de cancelación guardadas: lo que se devuelve lo decide el alojamiento."
		return s
	}
	p := in.Policy
	base := s.Paid
	if p.Sena == SenaConfirmatoria || p.Sena == SenaPenitencial {
		s.SenaKept = min(s.Paid, in.Deposit)
		base = s.Paid - s.SenaKept
	}
	var tier *Tier
	switch {
	case in.By == PartyNoShow:
		s.Percent = p.NoShowRefundPercent
	case s.DaysBefore < 0:
		s.Percent = 0 // after the day of arrival: the stay has started
	default:
		s.Percent, tier = p.tierFor(s.DaysBefore)
	}
	s.Refund = money.Money(rates.MulDivHalfUp(int64(base), int64(s.Percent), 100))
	s.Rule = guestRule(p, in.By, s, tier)
	return s
}

// guestRule writes why a guest's refund is what it is.
func guestRule(p Policy, by Party, s Settlement, tier *Tier) string {
	when := fmt.Sprintf("a %d días de la llegada", s.DaysBefore)
	switch {
	case by == PartyNoShow:
		when = "sin presentarse"
	case s.DaysBefore == 0:
		when = "el día de llegada"
	case s.DaysBefore == 1:
		when = "a 1 día de la llegada"
	case s.DaysBefore < 0:
		when = "con la estadía empezada"
	}
	out := fmt.Sprintf("Política %s, cancelación %s: se devuelve el %d %%", p.Name(), when, s.Percent)
	if s.SenaKept > 0 {
		out += " de lo pagado además de la seña; la seña (" + format.Amount(money.In(s.SenaKept, s.Currency)) + ") no se devuelve"
	} else {
		out += " de lo pagado"
	}
	if tier != nil && tier.DaysBefore == 1 {
		out += " (escalón: hasta 1 día antes)"
	} else if tier != nil && tier.DaysBefore > 1 {
		out += fmt.Sprintf(" (escalón: hasta %d días antes)", tier.DaysBefore)
	}
	return out + "."
}
