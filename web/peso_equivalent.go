package web

import (
	"context"
	"fmt"
	"time"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
)

// pesoEquivalent writes an amount of a foreign-currency stay in pesos at a
// rate (the one locked on its hold, or today's for a quote), with the rate
// and its date: "≈ $ 284.520 (cotización 1 USD = $ 1.185,50 del 02/12/2026)".
// The conversion is rates.ToPesos (half-up to whole pesos), the one Mercado
// Pago charges. Empty without a rate: pesos, or "sin cotización".
func pesoEquivalent(l *booking.LockedRate, amount money.Money, loc *time.Location) string {
	if l == nil {
		return ""
	}
	return fmt.Sprintf("≈ %s (cotización 1 %s = %s del %s)", pesoAmount(l, amount), l.Currency, l.Rate.Format(),
		format.Date(l.At.In(loc)))
}

// pesoAmount is an amount converted at l, written in pesos: "$ 284.520".
func pesoAmount(l *booking.LockedRate, amount money.Money) string {
	return format.AmountBrief(money.In(money.FromUnits(l.Pesos(int64(amount))), "ARS"))
}

// noRateNote is what a foreign-currency stay held without a rate says where
// its peso equivalent would be.
const noRateNote = "Sin cotización: no había tipo de cambio cargado al reservar."

// rateToday is the property's currency's rate of today for a quote, nil for
// pesos or without a rate; a failure to read it is logged, never an answer:
// rates never block a quote.
func (s *Server) rateToday(ctx context.Context, p booking.Property) *booking.LockedRate {
	l, err := s.booking.RateToday(ctx, p.AccountID, p.Rules.Currency)
	if err != nil {
		s.log.Warn("web: quote without an exchange rate", "property_id", p.ID, "error", err)
	}
	return l
}

// pesosJSON is the peso side of a foreign-currency amount in the API's
// quote, pre-reserve and reservation answers (the one home of these fields):
// the rate (pesos per unit, decimal string), its kind, when it was set, and
// the total and deposit in whole pesos at it. Absent for pesos and without a
// rate.
type pesosJSON struct {
	ExchangeRate       string       `json:"exchange_rate,omitempty"`
	ExchangeRateSource string       `json:"exchange_rate_source,omitempty"` // manual, oficial, mep, tarjeta, blue
	ExchangeRateAt     *time.Time   `json:"exchange_rate_at,omitempty"`
	TotalARS           *money.Money `json:"total_ars,omitempty"`
	DepositARS         *money.Money `json:"deposit_ars,omitempty"`
}

func pesosOf(l *booking.LockedRate, total, deposit money.Money) pesosJSON {
	if l == nil {
		return pesosJSON{}
	}
	t, d := money.FromUnits(l.Pesos(int64(total))), money.FromUnits(l.Pesos(int64(deposit)))
	at := l.At.UTC()
	return pesosJSON{ExchangeRate: l.Rate.String(), ExchangeRateSource: l.Source, ExchangeRateAt: &at, TotalARS: &t,
		DepositARS: &d}
}
