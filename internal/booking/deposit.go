package booking

// How a property collects its damage deposit (properties.damage_deposit_method).
const (
	// DepositBalance: added to what the guest pays with the balance.
	DepositBalance = "balance"
	// DepositTransfer: a separate bank transfer before arrival.
	DepositTransfer = "transfer"
	// DepositCash: in cash at check-in.
	DepositCash = "cash"
)

// depositMethod is the method a hold freezes: none without a deposit.
func depositMethod(p Property) string {
	if p.DamageDeposit <= 0 {
		return ""
	}
	return p.DamageDepositMethod
}
