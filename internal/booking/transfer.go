package booking

import "alojamientos/internal/money"

// TransferAmount is what a guest transfers to a for amount (what is due now,
// in the stay's currency): pesos at the rate locked on the hold (no
// surcharge, which is Mercado Pago's) when the stay is in a foreign currency
// and the owner asks transfers in pesos, otherwise the amount in the stay's
// currency (also for a foreign stay held without a rate, which cannot be
// converted). The one home of that rule: the guest page, the API, the
// owner's review and the balance reminder all ask it.
func (a TransferAccount) TransferAmount(amount money.Money, currency string, rate *LockedRate) money.Amount {
	if currency != PesoCurrency && a.InPesos {
		if ch, err := PesosCharge(amount, currency, rate, 0); err == nil {
			return money.In(ch.Pesos, PesoCurrency)
		}
	}
	return money.In(amount, currency)
}

// DueNow is what a reservation expects next: the rest of its seña while it
// is a hold whose seña is not covered, else the rest of its total (never
// below zero); seña says which. The owner's receipt review, the home page
// and the guest's transfer box all ask it.
func DueNow(status Status, deposit, paid, total money.Money) (due money.Money, seña bool) {
	if (status == StatusPreReserved || status == StatusExpired) && paid < deposit {
		return deposit - paid, true
	}
	return max(total-paid, 0), false
}
