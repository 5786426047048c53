package mercadopago

import (
	"context"
	"errors"
	"fmt"

	"alojamientos/internal/booking"
)

// ErrRefundAmount is a balance link asked for a stay with nothing left to pay.
var ErrRefundAmount = errors.New("mercadopago: refund amount out of range")

// BalanceLink makes a Checkout Pro link for what is left to pay of a
// reservation, for the owner to send: the balance in the stay's currency,
// charged in pesos at the rate locked on its hold with its frozen surcharge
// (booking.ErrNoRate for a foreign stay held without a rate). The key names
// the reservation and the pesos charged, so asking twice for the same
// balance gives the same link.
func (s *Service) BalanceLink(ctx context.Context, r booking.Reservation) (string, booking.Charge, error) {
	balance := r.Total - r.Paid
	if balance <= 0 {
		return "", booking.Charge{}, ErrRefundAmount
	}
	pay, err := r.MPCharge(balance)
	if err != nil {
		return "", booking.Charge{}, err
	}
	pref := s.preference(charge{Kind: "balance", ReservationID: r.ID, Code: r.Code, GuestToken: r.GuestToken,
		PropertyName: r.PropertyName, CheckIn: r.CheckIn, CheckOut: r.CheckOut, Pay: pay,
		MaxInstallments: r.MaxInstallments})
	res, err := s.Client.CreatePreference(ctx, pref, fmt.Sprintf("balance-%s-%d-%s%s", r.Code, balance, pay.Total,
		booking.PesoCurrency))
	if err != nil {
		return "", booking.Charge{}, fmt.Errorf("mercadopago: balance link for %s: %w", r.Code, err)
	}
	return res.InitPoint, pay, nil
}
