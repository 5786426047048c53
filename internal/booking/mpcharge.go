package booking

import (
	"context"
	"time"

	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

// MPCharge is what Mercado Pago charges, in pesos, for amount (in the
// stay's currency) of this reservation: at the rate locked on its hold and
// with the surcharge frozen on it. ErrNoRate for a foreign stay held
// without a rate.
func (r Reservation) MPCharge(amount money.Money) (Charge, error) {
	return PesosCharge(amount, r.Currency, r.Rate, r.SurchargeBP)
}

// RowCharge is MPCharge for a reservation row as stored.
func RowCharge(r dbq.Reservation, amount money.Money) (Charge, error) {
	return PesosCharge(amount, r.Currency, ReservationRate(r), int(r.MpSurchargeBp))
}

// QuoteCharge is what a Mercado Pago payment of amount (a quote's seña, in
// the property's currency) would charge if the guest held now: today's rate
// and the property's surcharge, the same PesosCharge the hold's preference
// uses with the rate it locks. ErrNoRate for a foreign currency without a
// rate today; only a database error besides.
func (s *Service) QuoteCharge(ctx context.Context, p Property, amount money.Money) (Charge, error) {
	return PesosCharge(amount, p.Rules.Currency, p.RateToday, p.Pay.SurchargeBP)
}

// Foreign reports whether the charge converts a foreign currency to pesos.
func (c Charge) Foreign() bool { return c.Currency != PesoCurrency }

// RateFromColumns is the rate locked on a reservation from its columns
// (exchange_rate_e4, _source, _at) as a query returns them, nil for none.
func RateFromColumns(currency string, e4 *int64, source *string, at *time.Time) *LockedRate {
	return lockedFromRow(currency, e4, source, at)
}
