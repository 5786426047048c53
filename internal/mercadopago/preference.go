package mercadopago

import (
	"fmt"
	"strconv"
	"time"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
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
	Amount        money.Money
	Currency      string
	// Expires, when set, is when the link stops taking payments (a hold's end); Now is then its start.
	Expires  time.Time
	Now      time.Time
	Payer    *Payer
	Metadata map[string]string // more keys besides reservation_id, reservation_code and kind
}

// preference is the one way a Checkout Pro preference is assembled: the
// item, the guest's return addresses, the webhook and the metadata that
// bring the payment back to its reservation.
func (s *Service) preference(c charge) Preference {
	id, word := "-SALDO", "Saldo"
	head := word
	if c.Kind == "deposit" {
		id, word = "-DEP", "Seña"
		head = fmt.Sprintf("%s %d%%", word, c.DepositPct)
	}
	back := booking.GuestURL(s.BaseURL, c.Code, c.GuestToken, "pago")
	meta := map[string]string{"reservation_id": strconv.FormatInt(c.ReservationID, 10), "reservation_code": c.Code,
		"kind": c.Kind}
	for k, v := range c.Metadata {
		meta[k] = v
	}
	pref := Preference{
		Items: []Item{{
			ID: c.Code + id, CategoryID: "travels", Quantity: 1, CurrencyID: c.Currency, UnitPrice: Amount(c.Amount),
			Title: fmt.Sprintf("%s - %s, %s al %s", head, c.PropertyName, format.DayMonth(c.CheckIn),
				format.DayMonth(c.CheckOut)),
			Description: word + " de la reserva " + c.Code,
		}},
		BackURLs:          BackURLs{Success: back + "&resultado=aprobado", Pending: back + "&resultado=pendiente", Failure: back + "&resultado=error"},
		AutoReturn:        "approved",
		NotificationURL:   s.BaseURL + "/webhooks/mercadopago?source_news=webhooks",
		ExternalReference: c.Code,
		Metadata:          meta,
		Payer:             c.Payer,
	}
	if !c.Expires.IsZero() {
		pref.Expires = true
		pref.ExpirationDateFrom = c.Now.Format(mpTime)
		pref.ExpirationDateTo = c.Expires.UTC().Format(mpTime)
		pref.DateOfExpiration = c.Expires.UTC().Format(mpTime)
	}
	return pref
}
