package mercadopago

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
)

// RefundArgs is the job booking.Cancel writes for each Mercado Pago refund
// it decides (booking.RefundJobKind).
type RefundArgs struct {
	RefundID int64 `json:"refund_id"`
}

// Kind implements river.JobArgs.
func (RefundArgs) Kind() string { return booking.RefundJobKind }

// RefundWorker carries out one refund.
type RefundWorker struct {
	river.WorkerDefaults[RefundArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *RefundWorker) Work(ctx context.Context, job *river.Job[RefundArgs]) error {
	err := w.Service.CarryOutRefund(ctx, job.Args.RefundID)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status >= 400 && apiErr.Status < 500 && apiErr.Status != 429 {
		// Mercado Pago refused it for good (the payment is too old, in
		// dispute…): the owner settles it by hand.
		return w.Service.refundFailed(ctx, job.Args.RefundID, apiErr)
	}
	return err
}

// CarryOutRefund asks Mercado Pago to give back a pending refund row and
// records its answer. The idempotency key names the row, so a retry after
// a crash between Mercado Pago's answer and our commit gets the same
// refund back instead of a second one. A row no longer pending is done.
func (s *Service) CarryOutRefund(ctx context.Context, refundID int64) error {
	q := db.Q(s.DB)
	row, err := q.GetRefund(ctx, refundID)
	if errors.Is(err, db.ErrNotFound) || (err == nil && row.Refund.Status != "pending") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mercadopago: refund %d: %w", refundID, err)
	}
	r := row.Refund
	if row.ProviderID == nil || row.PaymentAmount == nil || row.PaymentRefunded == nil {
		return fmt.Errorf("mercadopago: refund %d: payment without a Mercado Pago id", refundID)
	}
	send := r.Amount
	if *row.PaymentRefunded == 0 && r.Amount == *row.PaymentAmount {
		send = 0 // a full refund is asked for without an amount, as documented
	}
	ans, err := s.Client.Refund(ctx, *row.ProviderID, send, fmt.Sprintf("refund-row-%d", r.ID))
	if err != nil {
		return fmt.Errorf("mercadopago: refund %d of payment %s: %w", r.ID, *row.ProviderID, err)
	}
	// Apply what Mercado Pago says the payment is now (paid goes down), then
	// close the row; the notification that follows changes nothing.
	p, err := s.Client.GetPayment(ctx, *row.ProviderID)
	if err != nil {
		return fmt.Errorf("mercadopago: refund %d: read payment: %w", r.ID, err)
	}
	if _, err := s.ApplyPayment(ctx, p); err != nil {
		return fmt.Errorf("mercadopago: refund %d: apply payment: %w", r.ID, err)
	}
	return db.InTx(ctx, s.DB, func(tx db.Tx) error {
		q := db.Q(tx)
		done, err := q.SetRefundDone(ctx, dbq.SetRefundDoneParams{ID: r.ID, ProviderRef: ans.ID.String(),
			StayAmount: r.StayAmount, Now: s.Clock.Now().UTC()})
		if errors.Is(err, db.ErrNotFound) {
			return nil // done meanwhile
		}
		if err != nil {
			return err
		}
		return s.auditRefund(ctx, q, done, "refund_done")
	})
}

// refundFailed marks a refund Mercado Pago refused and tells the owner
// (a payment conflict), who can settle it by hand.
func (s *Service) refundFailed(ctx context.Context, refundID int64, cause *APIError) error {
	q := db.Q(s.DB)
	if err := q.SetRefundFailed(ctx, dbq.SetRefundFailedParams{ID: refundID, Error: truncate(cause.Body, 300)}); err != nil {
		return err
	}
	r, err := q.GetRefund(ctx, refundID)
	if err != nil {
		return err
	}
	return s.auditRefund(ctx, q, r.Refund, "refund_failed")
}

func (s *Service) auditRefund(ctx context.Context, q *dbq.Queries, r dbq.Refund, action string) error {
	detail := fmt.Sprintf(`{"refund_id":"%d","method":%q,"amount":%q,"currency":%q,"reason":%q}`,
		r.ID, r.Method, r.Amount.String(), r.Currency, r.Reason)
	return q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: r.AccountID, ReservationID: &r.ReservationID,
		Actor: "mercadopago", Action: action, Detail: []byte(detail), Now: time.Now().UTC()})
}
