package booking

import (
	"time"

	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

// BalancePlan is what a guest is told about a stay's balance: how much, by
// when, and the ways the property takes it. The guest page and the WhatsApp
// reminder both show it, so they say the same.
type BalancePlan struct {
	Balance  money.Money // in the reservation's currency
	Currency string
	Due      time.Time
	// AtArrival: the balance is due on the day of arrival.
	AtArrival bool
	// MercadoPago: the property takes Mercado Pago (whether a link can be
	// made now is the caller's question: configuration and currency).
	MercadoPago bool
	// Transfer is the account to transfer to; nil when transfers are not taken.
	Transfer *TransferAccount
	// TransferPesos is the balance in pesos at the stay's locked rate, for a
	// foreign-currency stay whose transfer is asked in pesos (0 otherwise).
	TransferPesos money.Money
	Cash          bool
}

// PlanBalance tells what r still owes under its property's terms (the
// methods and account as they are now; the due date frozen on the hold).
// ok is false when nothing is owed or the stay no longer expects payment.
func PlanBalance(r Reservation, terms PaymentTerms) (BalancePlan, bool) {
	if r.Paid >= r.Total || (r.Status != StatusConfirmed && r.Status != StatusCheckedIn) {
		return BalancePlan{}, false
	}
	p := BalancePlan{Balance: r.Total - r.Paid, Currency: r.Currency, Due: r.BalanceDue(),
		MercadoPago: terms.MercadoPago, Cash: terms.Cash}
	p.AtArrival = p.Due.Equal(r.CheckIn)
	if terms.Transfer {
		a := terms.Account
		p.Transfer = &a
		if due := a.TransferAmount(p.Balance, r.Currency, r.Rate); due.Currency != r.Currency {
			p.TransferPesos = due.Value
		}
	}
	return p, true
}

// PlanBalanceOf is PlanBalance for a reservation row (the dashboard's).
func PlanBalanceOf(r dbq.Reservation, terms PaymentTerms) (BalancePlan, bool) {
	return PlanBalance(fromRow(r), terms)
}
