package booking

import (
	"alojamientos/internal/format"
	"alojamientos/internal/money"
)

// How a property collects its damage deposit (properties.damage_deposit_method).
const (
	// DepositBalance: added to what the guest pays with the balance.
	DepositBalance = "balance"
	// DepositTransfer: a separate bank transfer before arrival.
	DepositTransfer = "transfer"
	// DepositCash: in cash at check-in.
	DepositCash = "cash"
)

// DepositMethods are the ways a property may collect its deposit, in the
// order the owner's form offers them.
var DepositMethods = []string{DepositCash, DepositTransfer, DepositBalance}

// DepositReceiptMethods are the ways a deposit may have been received
// (damage_deposits.method): the collection methods and Mercado Pago.
var DepositReceiptMethods = map[string]bool{DepositCash: true, DepositTransfer: true, DepositBalance: true,
	MethodMercadoPago: true}

// depositMethod is the method a hold freezes: none without a deposit.
func depositMethod(p Property) string {
	if p.DamageDeposit <= 0 {
		return ""
	}
	return p.DamageDepositMethod
}

// DepositHow says in Spanish when and how a deposit collected by method is
// paid ("se paga en efectivo al llegar").
func DepositHow(method string) string {
	switch method {
	case DepositBalance:
		return "se paga junto con el saldo"
	case DepositTransfer:
		return "se paga por transferencia antes de llegar"
	case DepositCash:
		return "se paga en efectivo al llegar"
	case MethodMercadoPago:
		return "se paga con Mercado Pago"
	}
	return "se paga antes de entrar"
}

// DepositTerms is the one sentence that tells a guest about a damage
// deposit (quote box, guest page, API): "Depósito en garantía: $ 50.000,00,
// se paga en efectivo al llegar y se devuelve después de la salida." It is
// "" when the stay asks for none.
func DepositTerms(amount money.Money, currency, method string) string {
	if amount <= 0 {
		return ""
	}
	return "Depósito en garantía: " + format.Amount(money.In(amount, currency)) + ", " + DepositHow(method) +
		" y se devuelve después de la salida."
}
