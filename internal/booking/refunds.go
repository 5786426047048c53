package booking

import (
	"context"
	"errors"
	"fmt"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// ErrRefundSettled is a refund already done, or one that is not the
// owner's to settle (a Mercado Pago refund its job is carrying out).
var ErrRefundSettled = errors.New("booking: refund is not owed")

// SettleRefund records that the owner gave back an owed refund (by
// transfer or cash) in one transaction: the refund is done, paid goes
// down by its stay amount and the audit entry ("refund_done") tells the
// guest. Settling twice is ErrRefundSettled the second time.
func (s *Service) SettleRefund(ctx context.Context, accountID, refundID, userID int64) (dbq.Refund, error) {
	now := s.Clock.Now().UTC()
	var out dbq.Refund
	err := s.inTx(ctx, func(tx db.Tx) error {
		q := db.Q(tx)
		cur, err := q.GetRefundForUpdate(ctx, refundID)
		if errors.Is(err, db.ErrNotFound) || (err == nil && cur.AccountID != accountID) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		// A Mercado Pago refund its job could not make (refused for good) is
		// the owner's to give back by hand, as the job tells them.
		if cur.Status != "owed" && cur.Status != "failed" {
			return ErrRefundSettled
		}
		res, err := lockReservation(ctx, q, cur.ReservationID, accountID)
		if err != nil {
			return err
		}
		if cur.StayAmount > 0 {
			if res, err = q.SubtractReservationPaid(ctx, dbq.SubtractReservationPaidParams{Amount: cur.StayAmount,
				Now: now, ID: res.ID}); err != nil {
				return err
			}
		}
		out, err = q.SetRefundDone(ctx, dbq.SetRefundDoneParams{ID: cur.ID, ProviderRef: "", StayAmount: cur.StayAmount,
			Now: now, SettledBy: &userID})
		if err != nil {
			return err
		}
		return audit(ctx, q, res, fmt.Sprintf("user:%d", userID), "refund_done", map[string]string{
			"refund_id": fmt.Sprint(cur.ID), "method": cur.Method, "amount": cur.Amount.String(),
			"currency": cur.Currency, "reason": cur.Reason, "paid": res.Paid.String()}, now)
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrRefundSettled) {
		return dbq.Refund{}, fmt.Errorf("booking: settle refund %d: %w", refundID, err)
	}
	return out, err
}
