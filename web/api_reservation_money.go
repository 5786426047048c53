package web

import (
	"context"
	"errors"
	"fmt"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

// refundJSON is money going back to the guest: pending (Mercado Pago is
// doing it), owed (the owner will transfer it), done or failed; a planned
// one (a cancellation's preview) has no status nor date yet.
type refundJSON struct {
	Method    string      `json:"method"` // mercadopago, transfer or cash
	Amount    money.Money `json:"amount"`
	Currency  string      `json:"currency"`
	Status    string      `json:"status,omitempty"`
	CreatedAt time.Time   `json:"created_at,omitzero"`
}

// depositJSON is the damage deposit: what the stay asks (status asked),
// and once received what became of it (received, returned with what was
// deducted and the owner's note).
type depositJSON struct {
	Amount   money.Money  `json:"amount"`
	Currency string       `json:"currency"`
	Method   string       `json:"method"` // cash, transfer, balance (mercadopago when received so)
	Status   string       `json:"status"`
	Returned *money.Money `json:"returned,omitempty"`
	Deducted *money.Money `json:"deducted,omitempty"`
	Note     string       `json:"note,omitempty"`
}

// guestRefundsAndDeposit reads a reservation's refunds (never null) and its
// damage deposit (nil when the stay asks none and none was received).
func (s *Server) guestRefundsAndDeposit(ctx context.Context, r booking.Reservation) ([]refundJSON, *depositJSON, error) {
	q := db.Q(s.pool)
	rows, err := q.ListReservationRefunds(ctx, dbq.ListReservationRefundsParams{ReservationID: r.ID, AccountID: r.AccountID})
	if err != nil {
		return nil, nil, fmt.Errorf("web: refunds of %s: %w", r.Code, err)
	}
	refunds := make([]refundJSON, 0, len(rows))
	for _, f := range rows {
		refunds = append(refunds, refundJSON{Method: f.Method, Amount: f.Amount, Currency: f.Currency, Status: f.Status,
			CreatedAt: f.CreatedAt.UTC()})
	}
	var dep *depositJSON
	if r.DamageDeposit > 0 {
		dep = &depositJSON{Amount: r.DamageDeposit, Currency: r.Currency, Method: r.DamageDepositMethod, Status: "asked"}
	}
	d, err := q.GetDamageDeposit(ctx, dbq.GetDamageDepositParams{ReservationID: r.ID, AccountID: r.AccountID})
	switch {
	case errors.Is(err, db.ErrNotFound):
		return refunds, dep, nil
	case err != nil:
		return nil, nil, fmt.Errorf("web: deposit of %s: %w", r.Code, err)
	}
	dep = &depositJSON{Amount: d.Amount, Currency: d.Currency, Method: d.Method, Status: "received"}
	if d.SettledAt != nil {
		dep.Status, dep.Returned, dep.Deducted, dep.Note = "returned", &d.Returned, &d.Deducted, d.Note
	}
	return refunds, dep, nil
}
