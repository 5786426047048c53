package booking

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

// ErrRefundAmount is a manual refund of nothing, or of more than what is
// left of the payment once the refunds already decided are taken off.
var ErrRefundAmount = errors.New("booking: refund amount out of range")

// ErrNotRefundable is a payment that is not an approved Mercado Pago payment.
var ErrNotRefundable = errors.New("booking: payment cannot be refunded")

// ManualRefundRequest is the owner giving back (part of) a Mercado Pago
// payment from the reservation page, outside any cancellation.
type ManualRefundRequest struct {
	AccountID     int64
	ReservationID int64
	PaymentID     int64       // our payments.id
	Amount        money.Money // in the payment's currency; 0 = what is left of it
	Actor         string
	// After is the newest refund id of the reservation when the page was
	// drawn: a manual refund of the same payment written since is the same
	// click arriving twice, and is answered instead of repeated.
	After int64
}

// ManualRefund decides a Mercado Pago refund in one transaction: the
// refunds row (reason "manual") and the job that carries it out, so no
// request waits on Mercado Pago and a crash between "decided" and "done"
// loses nothing. What is left of the payment counts the refunds still
// pending. It answers the row and whether it was already there.
func (s *Service) ManualRefund(ctx context.Context, req ManualRefundRequest) (dbq.Refund, bool, error) {
	now := s.Clock.Now().UTC()
	var out dbq.Refund
	repeated := false
	err := s.inTx(ctx, func(tx db.Tx) error {
		q := db.Q(tx)
		res, err := lockReservation(ctx, q, req.ReservationID, req.AccountID)
		if err != nil {
			return err
		}
		pay, err := q.GetPaymentForRefund(ctx, dbq.GetPaymentForRefundParams{ID: req.PaymentID,
			ReservationID: res.ID, AccountID: req.AccountID})
		if errors.Is(err, db.ErrNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		// The same click again (even after its refund emptied the payment) is answered, not repeated.
		prev, err := q.LastManualRefundAfter(ctx, dbq.LastManualRefundAfterParams{PaymentID: &pay.ID, After: req.After})
		if err == nil && (req.Amount == 0 || prev.Amount == req.Amount) {
			out, repeated = prev, true
			return nil
		}
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		if pay.Provider != MethodMercadoPago || pay.ProviderID == nil || pay.Status != "approved" {
			return ErrNotRefundable
		}
		pending, err := q.PendingPaymentRefunds(ctx, &pay.ID)
		if err != nil {
			return err
		}
		left := pay.Amount - pay.Refunded - pending
		amount := req.Amount
		if amount == 0 {
			amount = left
		}
		if amount <= 0 || amount > left {
			return ErrRefundAmount
		}
		rate, bp := ReservationRate(res), int(res.MpSurchargeBp)
		stay := CreditedOf(pay.Currency, left, res.Currency, rate, bp) -
			CreditedOf(pay.Currency, left-amount, res.Currency, rate, bp)
		out, err = q.InsertRefund(ctx, dbq.InsertRefundParams{AccountID: res.AccountID, ReservationID: res.ID,
			PaymentID: &pay.ID, Reason: "manual", Method: MethodMercadoPago, Status: "pending", Amount: amount,
			Currency: pay.Currency, StayAmount: max(stay, 0), Actor: req.Actor, Now: now})
		if err != nil {
			return err
		}
		if err := q.InsertRefundJob(ctx, dbq.InsertRefundJobParams{Now: now, RefundID: out.ID, Kind: RefundJobKind,
			Queue: PaymentsQueue}); err != nil {
			return err
		}
		return audit(ctx, q, res, req.Actor, "payment_refund", map[string]string{"payment_id": *pay.ProviderID,
			"amount": amount.String(), "currency": pay.Currency, "refund_id": strconv.FormatInt(out.ID, 10)}, now)
	})
	switch {
	case err == nil:
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrRefundAmount), errors.Is(err, ErrNotRefundable):
		return dbq.Refund{}, false, err
	default:
		return dbq.Refund{}, false, fmt.Errorf("booking: manual refund of payment %d: %w", req.PaymentID, err)
	}
	if !repeated {
		_ = db.Q(s.DB).WakeQueue(ctx, PaymentsQueue)
	}
	return out, repeated, nil
}
