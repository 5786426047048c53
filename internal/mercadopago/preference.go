package mercadopago

import (
	"fmt"
	"strconv"
	"time"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/rates"
)

// charge is what one Checkout Pro link asks a guest to pay: the deposit of a
// hold or the balance of a stay.
type charge struct {
	Kind          string // "deposit" or "balance"
	DepositPct    int    // a deposit's percentage, written in its title
	ReservationID int64
	Code          string
	GuestToken    string
	PropertyName  string
	CheckIn       time.Time
	CheckOut      time.Time
	// Pay is the amount in the stay's currency and what it costs in pesos
	// (booking.PesosCharge): the preference asks for Pay.Total in ARS.
	Pay booking.Charge
	// MaxInstallments caps the cuotas offered (the reservation's frozen cap); 0 leaves Mercado Pago's.
	MaxInstallments int
	// Expires, when set, is when the link stops taking payments (a hold's end); Now is then its start.
	Expires  time.Time
	Now      time.Time
	Payer    *Payer
	Metadata map[string]string // more keys besides reservation_id, reservation_code and kind
}

// preference is the one way a Checkout Pro preference is assembled: the
// item, the guest's return addresses, the webhook and the metadata that
// bring the payment back to its reservation. Mercado Pago charges in pesos
// whatever the stay's currency: one item of Pay.Total ARS (the amount at the
// locked rate plus the surcharge, both in whole pesos for a foreign stay),
// its title naming the amount in the stay's currency and the rate, its
// description the surcharge, so what Checkout Pro shows is what our pages said.
func (s *Service) preference(c charge) Preference {
	id, word := "-SALDO", "Saldo"
	head := word
	if c.Kind == "deposit" {
		id, word = "-DEP", "Seña"
		head = fmt.Sprintf("%s %d%%", word, c.DepositPct)
	}
	title := fmt.Sprintf("%s - %s, %s al %s", head, c.PropertyName, format.DayMonth(c.CheckIn), format.DayMonth(c.CheckOut))
	if c.Pay.Rate != nil {
		title += fmt.Sprintf(" (%s a %s)", format.Amount(money.In(c.Pay.Amount, c.Pay.Currency)), c.Pay.Rate.Rate.Format())
	}
	desc := word + " de la reserva " + c.Code
	if c.Pay.Surcharge > 0 {
		desc += fmt.Sprintf(": %s + recargo por pago con Mercado Pago (%s) %s", pesos(c.Pay.Pesos),
			rates.FormatMarkup(c.Pay.SurchargeBP), pesos(c.Pay.Surcharge))
	}
	back := booking.GuestURL(s.BaseURL, c.Code, c.GuestToken, "pago")
	meta := map[string]string{"reservation_id": strconv.FormatInt(c.ReservationID, 10), "reservation_code": c.Code,
		"kind": c.Kind}
	if c.Pay.Foreign() || c.Pay.Surcharge > 0 {
		meta["amount"], meta["currency"], meta["charged_ars"] = c.Pay.Amount.String(), c.Pay.Currency, c.Pay.Total.String()
		if c.Pay.Rate != nil {
			meta["exchange_rate"] = c.Pay.Rate.Rate.String()
		}
	}
	for k, v := range c.Metadata {
		meta[k] = v
	}
	pref := Preference{
		Items: []Item{{
			ID: c.Code + id, CategoryID: "travels", Quantity: 1, CurrencyID: booking.PesoCurrency,
			UnitPrice: Amount(c.Pay.Total), Title: title, Description: desc,
		}},
		BackURLs:          BackURLs{Success: back + "&resultado=aprobado", Pending: back + "&resultado=pendiente", Failure: back + "&resultado=error"},
		AutoReturn:        "approved",
		NotificationURL:   s.BaseURL + "/webhooks/mercadopago?source_news=webhooks",
		ExternalReference: c.Code,
		Metadata:          meta,
		Payer:             c.Payer,
	}
	if c.MaxInstallments > 0 {
		pref.PaymentMethods = &PaymentMethods{Installments: c.MaxInstallments}
	}
	if !c.Expires.IsZero() {
		pref.Expires = true
		pref.ExpirationDateFrom = c.Now.Format(mpTime)
		pref.ExpirationDateTo = c.Expires.UTC().Format(mpTime)
		pref.DateOfExpiration = c.Expires.UTC().Format(mpTime)
	}
	return pref
}

// pesos writes an amount of pesos as the guest reads it: "$ 85.356".
func pesos(m money.Money) string { return format.AmountBrief(money.In(m, booking.PesoCurrency)) }
