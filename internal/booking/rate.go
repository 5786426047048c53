package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"alojamientos/db/dbq"
	"alojamientos/internal/rates"
)

// Rates gives an account's exchange rate of today for a foreign currency,
// rates.ErrNoRate when it has none (internal/rates implements it; internal/app
// gives it to New).
type Rates interface {
	Today(ctx context.Context, accountID int64, currency string) (rates.Current, error)
}

// LockedRate is the exchange rate a reservation keeps from its hold (issue
// 12), or today's rate for a quote: pesos per unit of the currency, the kind
// of rate (manual, oficial, mep, tarjeta, blue) and when it was set.
type LockedRate struct {
	Currency string
	Rate     rates.Rate
	Source   string
	At       time.Time
}

// Pesos converts an amount in the rate's currency (minor units) to whole
// pesos, half-up: the one conversion of rates.ToPesos.
func (l LockedRate) Pesos(amountMinor int64) int64 { return rates.ToPesos(amountMinor, l.Rate) }

// RateToday is the account's rate of today for currency: nil for pesos, when
// the account has no rate, or when the service was built without rates. A
// rate is never a reason to refuse a quote or a hold, so only a database
// error is returned, and callers that must not fail log it and go on.
func (s *Service) RateToday(ctx context.Context, accountID int64, currency string) (*LockedRate, error) {
	if s.Rates == nil || currency == "" || currency == "ARS" {
		return nil, nil
	}
	cur, err := s.Rates.Today(ctx, accountID, currency)
	if errors.Is(err, rates.ErrNoRate) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("booking: rate of %s: %w", currency, err)
	}
	return &LockedRate{Currency: currency, Rate: cur.Rate, Source: cur.Kind, At: cur.At}, nil
}

// lockRate is the rate a new hold keeps; a failure to read it is logged and
// the hold goes on without one ("sin cotización"): rates never block bookings.
func (s *Service) lockRate(ctx context.Context, p Property) *LockedRate {
	l, err := s.RateToday(ctx, p.AccountID, p.Rules.Currency)
	if err != nil {
		s.Log.Warn("booking: hold without an exchange rate", "property_id", p.ID, "error", err)
	}
	return l
}

// ReservationRate is the rate locked on a reservation row, nil for none.
func ReservationRate(r dbq.Reservation) *LockedRate {
	return lockedFromRow(r.Currency, r.ExchangeRateE4, r.ExchangeRateSource, r.ExchangeRateAt)
}

func lockedFromRow(currency string, e4 *int64, source *string, at *time.Time) *LockedRate {
	if e4 == nil || source == nil || at == nil {
		return nil
	}
	return &LockedRate{Currency: currency, Rate: rates.Rate(*e4), Source: *source, At: *at}
}
