package receipts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

// Review is the owner confirming that a receipt's money arrived.
type Review struct {
	AccountID int64
	ReceiptID int64
	UserID    int64
	Actor     string
	// Amount is what arrived, in the reservation's currency (the page
	// pre-fills what the reservation expects).
	Amount money.Money
	Note   string
}

// Confirm records the money a receipt proves. In one transaction the
// receipt goes from en_revision to confirmed (ErrReviewed when it was
// reviewed already: two owners clicking at once record one payment), a
// payment with method "transfer" is recorded through booking's manual
// payment (its *booking.ValidationError when the amount is wrong or above
// what is due; *booking.TransitionError for a cancelled reservation), and
// the receipt keeps the payment's id. After the commit a hold whose deposit
// is now covered is confirmed (booking.Service.ConfirmIfDepositPaid).
func (s *Service) Confirm(ctx context.Context, r Review) (booking.PaymentResult, error) {
	now := s.clock.Now().UTC()
	var after dbq.Reservation
	err := db.InTx(ctx, s.db, func(tx db.Tx) error {
		q := db.Q(tx)
		rc, err := lockReceipt(ctx, q, r.AccountID, r.ReceiptID)
		if err != nil {
			return err
		}
		note := strings.TrimSpace(r.Note)
		if note == "" {
			note = fmt.Sprintf("Comprobante de transferencia %d.", rc.ID)
		}
		var payID int64
		after, payID, err = booking.RecordManualPaymentTx(ctx, q, booking.ManualPayment{ReservationID: rc.ReservationID,
			AccountID: r.AccountID, UserID: r.UserID, Amount: r.Amount, Method: "transfer", Note: note, Actor: r.Actor}, now)
		if err != nil {
			return err
		}
		return q.SetReceiptConfirmed(ctx, dbq.SetReceiptConfirmedParams{ID: rc.ID, PaymentID: &payID,
			ReviewedBy: userRef(r.UserID), Now: &now})
	})
	if err != nil {
		return booking.PaymentResult{}, s.reviewError("confirm", r.ReceiptID, err)
	}
	return s.booking.ConfirmIfDepositPaid(ctx, after, r.Actor), nil
}

// Rejection is the owner refusing a receipt (the money did not arrive, the
// file is not a transfer…); Reason is told to the guest.
type Rejection struct {
	AccountID int64
	ReceiptID int64
	UserID    int64
	Actor     string
	Reason    string
}

// Reject marks a receipt rejected with its reason (required, at most
// MaxReasonLen characters) and writes the receipt_rejected audit entry,
// whose trigger tells the guest on WhatsApp. A receipt reviewed already is
// ErrReviewed. The rejected receipt still counts towards MaxPerReservation.
func (s *Service) Reject(ctx context.Context, r Rejection) error {
	reason := strings.TrimSpace(r.Reason)
	switch {
	case reason == "":
		return ErrReasonRequired
	case utf8.RuneCountInString(reason) > MaxReasonLen:
		return ErrReasonTooLong
	}
	now := s.clock.Now().UTC()
	err := db.InTx(ctx, s.db, func(tx db.Tx) error {
		q := db.Q(tx)
		rc, err := lockReceipt(ctx, q, r.AccountID, r.ReceiptID)
		if err != nil {
			return err
		}
		res, err := q.GetReservationForUpdate(ctx, rc.ReservationID)
		if err != nil {
			return err
		}
		if err := q.SetReceiptRejected(ctx, dbq.SetReceiptRejectedParams{ID: rc.ID, RejectReason: reason,
			ReviewedBy: userRef(r.UserID), Now: &now}); err != nil {
			return err
		}
		return audit(ctx, q, res, r.Actor, ActionRejected, map[string]any{"receipt_id": rc.ID, "reason": reason}, now)
	})
	return s.reviewError("reject", r.ReceiptID, err)
}

// lockReceipt locks the receipt's reservation, then the receipt (the order
// Add takes them in), and refuses one already reviewed. A receipt of another
// account is booking.ErrNotFound.
func lockReceipt(ctx context.Context, q *dbq.Queries, accountID, id int64) (dbq.GetReceiptForUpdateRow, error) {
	resID, err := q.GetReceiptReservation(ctx, dbq.GetReceiptReservationParams{ID: id, AccountID: accountID})
	if errors.Is(err, db.ErrNotFound) {
		return dbq.GetReceiptForUpdateRow{}, booking.ErrNotFound
	}
	if err != nil {
		return dbq.GetReceiptForUpdateRow{}, err
	}
	if _, err := lockReservation(ctx, q, resID, accountID); err != nil {
		return dbq.GetReceiptForUpdateRow{}, err
	}
	rc, err := q.GetReceiptForUpdate(ctx, dbq.GetReceiptForUpdateParams{ID: id, AccountID: accountID})
	if errors.Is(err, db.ErrNotFound) {
		return rc, booking.ErrNotFound
	}
	if err == nil && rc.Status != StatusReview {
		return rc, ErrReviewed
	}
	return rc, err
}

// reviewError passes refusals on as they are and wraps the rest.
func (s *Service) reviewError(action string, id int64, err error) error {
	var te *booking.TransitionError
	if err == nil || Refused(err) || errors.Is(err, booking.ErrNotFound) || errors.As(err, &te) {
		return err
	}
	return fmt.Errorf("receipts: %s receipt %d: %w", action, id, err)
}

func userRef(id int64) *int64 {
	if id <= 0 {
		return nil
	}
	return &id
}
