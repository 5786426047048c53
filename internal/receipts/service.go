// Package receipts holds bank-transfer receipts: the file a guest sends
// (from the reservation page or as WhatsApp media) to prove a transfer, and
// the owner's review of it. A receipt moves no money by itself: Confirm
// records the payment the owner saw arrive, through booking's manual payment,
// in the same transaction as the review. It is a package apart from booking
// because checking untrusted files (content sniffing, PDF active content,
// metadata) has nothing to do with nights, and from web so both the guest
// page and the WhatsApp job add receipts the same way.
package receipts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/platform"
)

// MaxPerReservation is how many receipts a reservation may have, whatever
// their status: a rejected one still counts, so a guest cannot flood the owner.
const MaxPerReservation = 5

// MaxReasonLen is the longest rejection reason, in characters.
const MaxReasonLen = 500

// Statuses of a receipt.
const (
	StatusReview    = "en_revision"
	StatusConfirmed = "confirmed"
	StatusRejected  = "rejected"
)

// Sources of a receipt.
const (
	SourceGuestPage = "guest_page"
	SourceWhatsApp  = "whatsapp"
)

// Audit actions.
const (
	ActionUploaded = "receipt_uploaded"
	ActionRejected = "receipt_rejected"
)

// Receipt is a stored receipt, without its file.
type Receipt struct {
	ID            int64
	ReservationID int64
	Status        string
	Source        string
	ContentType   string
	Size          int
	CreatedAt     time.Time
	RejectReason  string
	PaymentID     *int64
}

// Deps are what the service is built from (internal/app assembles them).
type Deps struct {
	DB      booking.DB
	Clock   platform.Clock
	Log     *slog.Logger
	Booking *booking.Service
}

// Service adds and reviews receipts. Build it with New.
type Service struct {
	db      booking.DB
	clock   platform.Clock
	log     *slog.Logger
	booking *booking.Service
}

// New builds the service.
func New(d Deps) *Service {
	return &Service{db: d.DB, clock: d.Clock, log: d.Log, booking: d.Booking}
}

// Upload is a receipt arriving.
type Upload struct {
	AccountID     int64
	ReservationID int64
	Source        string // SourceGuestPage or SourceWhatsApp
	SourceRef     string // WhatsApp media id, or ""
	Data          []byte
}

// Add cleans and stores a receipt for a reservation. In one transaction it
// locks the reservation, refuses a cancelled one (ErrCancelled) or one paid
// in full (ErrPaid), and the (MaxPerReservation+1)-th receipt (ErrTooMany);
// inserts the receipt; extends a live hold once by its property's
// receipt_hold_hours; and writes the receipt_uploaded audit entry. The same
// file again (same sha256), or the same WhatsApp media id, returns the
// stored receipt and changes nothing. An unknown reservation, or one of
// another account, is booking.ErrNotFound.
func (s *Service) Add(ctx context.Context, u Upload) (Receipt, error) {
	if u.Source != SourceGuestPage && u.Source != SourceWhatsApp {
		return Receipt{}, fmt.Errorf("receipts: unknown source %q", u.Source)
	}
	f, err := Clean(u.Data)
	if err != nil {
		return Receipt{}, err
	}
	sum := sha256.Sum256(f.Data)
	hash := hex.EncodeToString(sum[:])
	var ref *string
	if u.SourceRef != "" {
		ref = &u.SourceRef
	}
	now := s.clock.Now().UTC()
	var out Receipt
	err = db.InTx(ctx, s.db, func(tx db.Tx) error {
		q := db.Q(tx)
		res, err := lockReservation(ctx, q, u.ReservationID, u.AccountID)
		if err != nil {
			return err
		}
		same, err := q.GetSameReceipt(ctx, dbq.GetSameReceiptParams{AccountID: res.AccountID, ReservationID: res.ID, Sha256: hash, SourceRef: ref})
		if err == nil {
			out = fromRow(dbq.ListReservationReceiptsRow(same))
			return nil
		}
		if !errors.Is(err, db.ErrNotFound) {
			return err
		}
		if err := refuse(ctx, q, res); err != nil {
			return err
		}
		row, err := q.InsertReceipt(ctx, dbq.InsertReceiptParams{AccountID: res.AccountID, ReservationID: res.ID,
			Source: u.Source, SourceRef: ref, ContentType: f.ContentType, Size: int32(len(f.Data)), // #nosec G115 -- at most MaxBytes
			Sha256: hash, Data: f.Data, Now: now})
		if errors.Is(err, db.ErrNotFound) {
			// A media id stored for another reservation: the same message, seen again.
			same, err = q.GetSameReceipt(ctx, dbq.GetSameReceiptParams{AccountID: res.AccountID, ReservationID: res.ID, Sha256: hash, SourceRef: ref})
			out = fromRow(dbq.ListReservationReceiptsRow(same))
			return err
		}
		if err != nil {
			return err
		}
		out = fromRow(dbq.ListReservationReceiptsRow(row))
		if err := s.extendHold(ctx, q, res, actorOf(u.Source), now); err != nil {
			return err
		}
		return audit(ctx, q, res, actorOf(u.Source), ActionUploaded, map[string]any{"receipt_id": row.ID, "source": u.Source}, now)
	})
	if err != nil {
		if Refused(err) || errors.Is(err, booking.ErrNotFound) {
			return Receipt{}, err
		}
		return Receipt{}, fmt.Errorf("receipts: add to reservation %d: %w", u.ReservationID, err)
	}
	return out, nil
}

func actorOf(source string) string {
	if source == SourceWhatsApp {
		return "whatsapp"
	}
	return "guest"
}

// refuse says why the locked reservation takes no new receipt, if it does not.
func refuse(ctx context.Context, q *dbq.Queries, res dbq.Reservation) error {
	switch {
	case booking.Status(res.Status) == booking.StatusCancelled:
		return ErrCancelled
	case res.Paid >= res.Total:
		return ErrPaid
	}
	n, err := q.CountReservationReceipts(ctx, res.ID)
	if err != nil {
		return err
	}
	if n >= MaxPerReservation {
		return ErrTooMany
	}
	return nil
}

// extendHold gives a live hold its property's receipt_hold_hours more, once
// per hold (reservations.receipt_hold_extended): the owner needs time to see
// the money arrive. The new expiry gets its own expiry job, as Mercado
// Pago's pending payments do (the ExtendHold query both use).
func (s *Service) extendHold(ctx context.Context, q *dbq.Queries, res dbq.Reservation, actor string, now time.Time) error {
	hours, err := q.MarkReceiptHoldExtended(ctx, dbq.MarkReceiptHoldExtendedParams{ReservationID: res.ID, Now: now})
	if errors.Is(err, db.ErrNotFound) || (err == nil && hours == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	base := now
	if res.HoldExpiresAt != nil && res.HoldExpiresAt.After(now) {
		base = *res.HoldExpiresAt
	}
	until := base.Add(time.Duration(hours) * time.Hour)
	if err := q.ExtendHold(ctx, dbq.ExtendHoldParams{ReservationID: res.ID, HoldExpiresAt: until, Now: now,
		JobKind: booking.ExpireHoldArgs{}.Kind()}); err != nil {
		return err
	}
	return audit(ctx, q, res, actor, "hold_extended", map[string]string{"reason": "receipt",
		"until": until.Format(time.RFC3339)}, now)
}

// lockReservation reads the reservation for update; one of another account
// is booking.ErrNotFound, the same answer as an unknown id.
func lockReservation(ctx context.Context, q *dbq.Queries, id, accountID int64) (dbq.Reservation, error) {
	r, err := q.GetReservationForUpdate(ctx, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && r.AccountID != accountID) {
		return dbq.Reservation{}, booking.ErrNotFound
	}
	return r, err
}

func audit(ctx context.Context, q *dbq.Queries, r dbq.Reservation, actor, action string, detail any, now time.Time) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	return q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: r.AccountID, ReservationID: &r.ID, Actor: actor,
		Action: action, Detail: b, Now: now})
}

func fromRow(r dbq.ListReservationReceiptsRow) Receipt {
	return Receipt{ID: r.ID, ReservationID: r.ReservationID, Status: r.Status, Source: r.Source,
		ContentType: r.ContentType, Size: int(r.Size), CreatedAt: r.CreatedAt, RejectReason: r.RejectReason,
		PaymentID: r.PaymentID}
}
