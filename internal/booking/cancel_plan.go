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
	pays, err := db.Q(s.DB).ListRefundablePayments(ctx, r.ID)
	if err != nil {
		return nil, fmt.Errorf("booking: preview refunds %s: %w", r.Code, err)
	}
	return PlanRefunds(r.Currency, r.Rate, r.SurchargeBP, pays, refund), nil
}
