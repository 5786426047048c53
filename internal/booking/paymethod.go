package booking

import (
	"context"
	"errors"
	"fmt"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// ErrMethodClosed means a guest asked to switch the payment method of a
// reservation that is no longer a live hold (paid, expired, cancelled).
var ErrMethodClosed = errors.New("booking: payment method can no longer change")

// EffectiveMethod is how the guest pays a reservation of a property with
// terms t: the method they chose, or, when they chose none (an older hold,
// the API, the owner), Mercado Pago when offered, else a transfer when
// offered, else "" (the owner arranges it).
func EffectiveMethod(chosen string, t PaymentTerms) string {
	switch {
	case chosen != "":
		return chosen
	case t.MercadoPago:
		return MethodMercadoPago
	case t.Transfer:
		return MethodTransfer
	}
	return ""
}

// ChangeMethod switches the payment method of a guest's live hold to one the
// property offers, with an audit entry. Choosing the method already chosen
// changes nothing and is no error. A method not offered is a
// *ValidationError; a reservation that is no longer a live hold is
// ErrMethodClosed. It reports whether the method changed.
func (s *Service) ChangeMethod(ctx context.Context, r Reservation, t PaymentTerms, method string) (bool, error) {
	if method == "" || !t.Offers(method) {
		return false, &ValidationError{Fields: map[string]string{
			"payment_method": "Ese medio de pago no está disponible en este alojamiento."}}
	}
	now := s.Clock.Now().UTC()
	if !HoldLive(r.Status, r.HoldExpiresAt, now) {
		return false, ErrMethodClosed
	}
	if r.PaymentMethod == method {
		return false, nil
	}
	_, err := db.Q(s.DB).ChangePaymentMethod(ctx, dbq.ChangePaymentMethodParams{ID: r.ID, Method: method, Now: now})
	switch {
	case errors.Is(err, db.ErrNotFound):
		// Paid or expired in the meantime, or the same method twice at once.
		cur, gerr := s.Get(ctx, r.Code)
		if gerr == nil && cur.PaymentMethod == method {
			return false, nil
		}
		return false, ErrMethodClosed
	case err != nil:
		return false, fmt.Errorf("booking: change method of %s: %w", r.Code, err)
	}
	return true, nil
}
