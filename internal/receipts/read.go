package receipts

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

// List returns a reservation's receipts, oldest first, without their files.
// A reservation of another account has none.
func (s *Service) List(ctx context.Context, accountID, reservationID int64) ([]Receipt, error) {
	rows, err := db.Q(s.db).ListReservationReceipts(ctx, dbq.ListReservationReceiptsParams{
		ReservationID: reservationID, AccountID: accountID})
	if err != nil {
		return nil, fmt.Errorf("receipts: list of reservation %d: %w", reservationID, err)
	}
	out := make([]Receipt, 0, len(rows))
	for _, r := range rows {
		out = append(out, fromRow(r))
	}
	return out, nil
}

// Open returns a receipt's stored (cleaned) file, for the owner to see. One
// of another account is booking.ErrNotFound.
func (s *Service) Open(ctx context.Context, accountID, receiptID int64) (File, error) {
	row, err := db.Q(s.db).GetReceiptFile(ctx, dbq.GetReceiptFileParams{ID: receiptID, AccountID: accountID})
	if errors.Is(err, db.ErrNotFound) {
		return File{}, booking.ErrNotFound
	}
	if err != nil {
		return File{}, fmt.Errorf("receipts: open %d: %w", receiptID, err)
	}
	return File{ContentType: row.ContentType, Data: row.Data}, nil
}

// PendingReceipt is a receipt waiting for the owner's review, as the
// dashboard home lists it.
type PendingReceipt struct {
	ID            int64
	ReservationID int64
	Code          string
	GuestName     string
	PropertyName  string
	CreatedAt     time.Time
	// Expected is what the reservation still expects: the rest of the
	// deposit, or else the rest of the total, in the reservation's currency.
	Expected money.Amount
}

// Pending lists the account's receipts waiting for review, oldest first.
func (s *Service) Pending(ctx context.Context, accountID int64) ([]PendingReceipt, error) {
	rows, err := db.Q(s.db).PendingReceipts(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("receipts: pending of account %d: %w", accountID, err)
	}
	out := make([]PendingReceipt, 0, len(rows))
	for _, r := range rows {
		due, _ := booking.DueNow(booking.Status(r.Status), r.Deposit, r.Paid, r.Total)
		out = append(out, PendingReceipt{ID: r.ID, ReservationID: r.ReservationID, Code: r.Code, GuestName: r.GuestName,
			PropertyName: r.PropertyName, CreatedAt: r.CreatedAt, Expected: money.In(due, r.Currency)})
	}
	return out, nil
}
