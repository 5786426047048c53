package booking

import (
	"time"

	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

// Payment methods a guest may choose for a hold (reservations.payment_method).
const (
	MethodMercadoPago = "mercadopago"
	MethodTransfer    = "transfer"
)

// PaymentTerms is how a property takes money (migration 00020): the methods
// it offers, what Mercado Pago adds and allows, the account a transfer goes
// to, and when the balance is due. A hold freezes the parts that change what
// a guest owes (surcharge, installments, balance date), like its price.
type PaymentTerms struct {
	MercadoPago bool
	Transfer    bool
	// Cash is the balance paid in cash on arrival.
	Cash bool
	// SurchargeBP is added to a Mercado Pago charge, in basis points (600 = 6 %).
	SurchargeBP int
	// MaxInstallments caps the cuotas a Checkout Pro preference offers; 0 leaves Mercado Pago's.
	MaxInstallments int
	Account         TransferAccount
	// BalanceDueDays is how many days before arrival the balance is due; 0 is at check-in.
	BalanceDueDays int
	// ReceiptHoldHours extends, once, a hold whose transfer receipt waits for review.
	ReceiptHoldHours int
	// DamageDeposit is the optional deposit against damage (0: none), in
	// the property's currency, and DamageDepositMethod how it is collected
	// (DepositCash, DepositTransfer, DepositBalance). A hold freezes both.
	DamageDeposit       money.Money
	DamageDepositMethod string
}

// TransferAccount is where a bank transfer goes.
type TransferAccount struct {
	CBU, Alias, Holder, CUIT, Bank string
	// InPesos asks a foreign-currency stay's transfer in pesos at the locked rate.
	InPesos bool
}

// Offers reports whether a guest may choose method for a hold; "" (no
// choice yet) is always allowed.
func (t PaymentTerms) Offers(method string) bool {
	switch method {
	case "":
		return true
	case MethodMercadoPago:
		return t.MercadoPago
	case MethodTransfer:
		return t.Transfer
	}
	return false
}

// termsFromRow reads a property's payment columns.
func termsFromRow(p dbq.GetPropertyForBookingRow) PaymentTerms {
	return PaymentTerms{
		MercadoPago: p.PayMercadopago, Transfer: p.PayTransfer, Cash: p.PayCash,
		SurchargeBP: int(p.MpSurchargeBp), MaxInstallments: int(p.MpMaxInstallments),
		Account: TransferAccount{CBU: p.TransferCbu, Alias: p.TransferAlias, Holder: p.TransferHolder,
			CUIT: p.TransferCuit, Bank: p.TransferBank, InPesos: p.TransferInPesos},
		BalanceDueDays: int(p.BalanceDueDays), ReceiptHoldHours: int(p.ReceiptHoldHours),
	}
}

// BalanceDue is the date a stay's balance is due: balanceDueDays before
// check-in, never before the day it was booked.
func BalanceDue(checkIn, bookedOn time.Time, balanceDueDays int) time.Time {
	due := checkIn.AddDate(0, 0, -balanceDueDays)
	if due.Before(bookedOn) {
		return bookedOn
	}
	return due
}
