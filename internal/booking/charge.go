package booking

import (
	"errors"

	"alojamientos/internal/money"
	"alojamientos/internal/rates"
)

// PesoCurrency is the currency Mercado Pago charges in, whatever the stay's.
const PesoCurrency = "ARS"

// ErrNoRate means a foreign-currency stay has no locked exchange rate, so
// nothing can be charged in pesos for it (the owner sets a rate and the
// guest holds again, or pays by transfer).
var ErrNoRate = errors.New("booking: foreign-currency stay without a locked exchange rate")

// Charge is what a guest pays in pesos for an amount of a reservation
// (its seña or its balance) through Mercado Pago: the one place that turns
// an amount in the stay's currency into the pesos asked for, so the quote,
// the guest page, the preference and the payment that comes back agree.
type Charge struct {
	Amount   money.Money // in the reservation's currency
	Currency string
	Rate     *LockedRate // nil for a peso stay
	// Pesos is Amount in pesos: itself for a peso stay; for a foreign one
	// Amount × the locked rate, rounded half-up to the whole peso.
	Pesos money.Money
	// SurchargeBP and Surcharge are what the owner passes on for paying with
	// Mercado Pago: Pesos × SurchargeBP / 10000, rounded half-up to the whole
	// peso for a foreign stay (to the cent for a peso one).
	SurchargeBP int
	Surcharge   money.Money
	// Total is Pesos + Surcharge: the preference's unit_price in ARS.
	Total money.Money
}

// PesosCharge prices amount (minor units of currency) in pesos with the
// rate locked on the stay and its surcharge. A foreign stay without a rate
// is ErrNoRate.
func PesosCharge(amount money.Money, currency string, rate *LockedRate, surchargeBP int) (Charge, error) {
	c := Charge{Amount: amount, Currency: currency, SurchargeBP: surchargeBP}
	whole := currency != PesoCurrency
	if !whole {
		c.Pesos = amount
	} else if rate == nil {
		return Charge{}, ErrNoRate
	} else {
		c.Rate = rate
		c.Pesos = money.Money(rate.Pesos(int64(amount)) * 100)
	}
	c.Surcharge = surcharge(c.Pesos, surchargeBP, whole)
	c.Total = c.Pesos + c.Surcharge
	return c, nil
}

// surcharge is pesos × bp / 10000 half-up, to the whole peso when whole.
func surcharge(pesos money.Money, bp int, whole bool) money.Money {
	if bp == 0 {
		return 0
	}
	unit := int64(1)
	if whole {
		unit = 100
	}
	return money.Money(rates.MulDivHalfUp(int64(pesos), int64(bp), 10_000*unit) * unit)
}

// Credited is what pesos paid through Mercado Pago count on a reservation,
// in its currency: the largest amount whose PesosCharge total is at most
// what was paid. So paying exactly what a Charge asked credits its Amount,
// a surcharge is never credited as stay, and a short payment credits less.
// A foreign stay without a rate credits nothing.
func Credited(paid money.Money, currency string, rate *LockedRate, surchargeBP int) money.Money {
	if paid <= 0 || (currency != PesoCurrency && rate == nil) {
		return 0
	}
	total := func(m money.Money) money.Money {
		c, _ := PesosCharge(m, currency, rate, surchargeBP)
		return c.Total
	}
	lo, hi := money.Money(0), paid+1 // total(m) ≥ m for pesos
	if currency != PesoCurrency {
		// total(m) ≥ m × rate / Scale (in cents) minus half a peso.
		hi = money.Money((int64(paid)/100+1)*100*rates.Scale/int64(rate.Rate) + 2)
	}
	for lo < hi-1 { // invariant: total(lo) ≤ paid < total(hi)
		mid := lo + (hi-lo)/2
		if total(mid) <= paid {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}
