package booking

import (
	"context"
	"fmt"

	"alojamientos/db"
	"alojamientos/internal/money"
)

// PreviewRefunds splits refund over r's payments as Cancel would, writing
// nothing, so the guest sees before confirming how the money comes back:
// what Mercado Pago returns to the card or account they paid with, and what
// the owner transfers.
func (s *Service) PreviewRefunds(ctx context.Context, r Reservation, refund money.Money) ([]RefundPart, error) {
	if refund <= 0 {
		return nil, nil
	}
	q := db.Q(s.DB)
	row, err := q.GetReservationByCode(ctx, r.Code)
	if err != nil {
		return nil, fmt.Errorf("booking: preview refunds %s: %w", r.Code, err)
	}
	pays, err := q.ListRefundablePayments(ctx, row.Reservation.ID)
	if err != nil {
		return nil, fmt.Errorf("booking: preview refunds %s: %w", r.Code, err)
	}
	return PlanRefunds(row.Reservation, pays, refund), nil
}
