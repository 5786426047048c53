package booking

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

// ActionPaymentAdd names a payment recorded by hand in TransitionError and the audit log.
const ActionPaymentAdd = "payment_added"

// PaymentMethods a payment received by hand may have.
var PaymentMethods = map[string]bool{"cash": true, "transfer": true, "other": true}

// ManualPayment is money the owner or staff received outside Mercado Pago.
type ManualPayment struct {
	ReservationID int64
	AccountID     int64
	UserID        int64
	Amount        money.Money
	Method        string // cash, transfer or other
	Note          string
	Actor         string
}

// PaymentResult is what recording a payment did.
type PaymentResult struct {
	Reservation Reservation
	// Confirmed is set when the payment covered the deposit of a hold and the hold was confirmed.
	Confirmed bool
	// NightsTaken is set when the payment covered the deposit of an expired hold
	// whose nights someone else took meanwhile: the money is recorded, the stay is not confirmed.
	NightsTaken bool
}

// AddManualPayment records a payment received by hand: in one transaction it
// inserts an approved 'manual' payment, adds it to the reservation's paid
// amount and writes the audit entry. A payment may not take paid above the
// total (a typo in an amount is likelier than a tip), nor be recorded on a
// cancelled reservation.
//
// A deposit paid is a deposit paid, whoever received it: when the payment
// brings a pre-reserved (or expired) hold's paid amount to its deposit, the hold
// is confirmed at once through Transition, as a Mercado Pago payment would
// confirm it, with an audit note saying why. Otherwise the hold would still
// expire after its minutes and give away nights the guest has paid for.
func (s *Service) AddManualPayment(ctx context.Context, mp ManualPayment) (PaymentResult, error) {
	if err := mp.validate(); err != nil {
		return PaymentResult{}, err
	}
	now := s.Clock.Now().UTC()
	var after dbq.Reservation
	err := s.inTx(ctx, func(tx db.Tx) error {
		var err error
		after, _, err = recordManualPayment(ctx, db.Q(tx), mp, now)
		return err
	})
	var ve *ValidationError
	var te *TransitionError
	switch {
	case err == nil:
	case errors.Is(err, ErrNotFound), errors.As(err, &ve), errors.As(err, &te):
		return PaymentResult{}, err
	default:
		return PaymentResult{}, fmt.Errorf("booking: add payment to reservation %d: %w", mp.ReservationID, err)
	}
	return s.confirmIfDepositPaid(ctx, after, mp.Actor), nil
}

// validate trims the note and checks what needs no database: the amount,
// the method and the note's length.
func (mp *ManualPayment) validate() error {
	var verr ValidationError
	if mp.Amount <= 0 {
		verr.add("amount", "Escribí un monto mayor que cero, por ejemplo 12.345,67.")
	} else if mp.Amount > money.Max {
		verr.add("amount", "El monto es demasiado alto.")
	}
	if !PaymentMethods[mp.Method] {
		verr.add("method", "Elegí cómo se pagó.")
	}
	mp.Note = strings.TrimSpace(mp.Note)
	if utf8.RuneCountInString(mp.Note) > MaxNoteLen {
		verr.add("note", fmt.Sprintf("La nota es demasiado larga (máximo %d caracteres).", MaxNoteLen))
	}
	return verr.orNil()
}

// recordManualPayment is AddManualPayment's transaction: it locks the
// reservation, refuses a cancelled one (*TransitionError) and an amount that
// takes paid above the total (*ValidationError), then inserts the payment,
// adds it to paid and writes the audit entry. It returns the reservation
// after the payment and the payment's id.
func recordManualPayment(ctx context.Context, q *dbq.Queries, mp ManualPayment, now time.Time) (dbq.Reservation, int64, error) {
	before, err := lockReservation(ctx, q, mp.ReservationID, mp.AccountID)
	if err != nil {
		return dbq.Reservation{}, 0, err
	}
	if Status(before.Status) == StatusCancelled {
		return dbq.Reservation{}, 0, &TransitionError{Action: ActionPaymentAdd, From: StatusCancelled}
	}
	if before.Paid+mp.Amount > before.Total {
		return dbq.Reservation{}, 0, &ValidationError{Fields: map[string]string{"amount": "El pago supera el saldo pendiente de la reserva."}}
	}
	var createdBy *int64
	if mp.UserID > 0 {
		createdBy = &mp.UserID
	}
	pay, err := q.InsertManualPayment(ctx, dbq.InsertManualPaymentParams{
		AccountID: before.AccountID, ReservationID: before.ID, Method: mp.Method, Amount: mp.Amount,
		Currency: before.Currency, Note: mp.Note, CreatedBy: createdBy, Now: now,
	})
	if err != nil {
		return dbq.Reservation{}, 0, err
	}
	after, err := q.AddReservationPaid(ctx, dbq.AddReservationPaidParams{Amount: mp.Amount, Now: now, ID: before.ID})
	if err != nil {
		return dbq.Reservation{}, 0, err
	}
	return after, pay.ID, audit(ctx, q, before, mp.Actor, ActionPaymentAdd, map[string]any{"payment_id": pay.ID,
		"amount": mp.Amount.String(), "method": mp.Method, "note": mp.Note, "paid": after.Paid.String()}, now)
}

// confirmIfDepositPaid confirms a pre-reserved or expired hold whose paid
// amount now covers its deposit, and says what happened. The payment is
// stored whatever happens here; confirming is a second step through the one
// state machine (Transition), so a hold someone else moved first is left as
// it is and a failure is logged, not returned.
func (s *Service) confirmIfDepositPaid(ctx context.Context, after dbq.Reservation, actor string) PaymentResult {
	res := PaymentResult{Reservation: fromRow(after)}
	st := Status(after.Status)
	if (st != StatusPreReserved && st != StatusExpired) || !DepositCovered(after.Deposit, after.Paid) {
		return res
	}
	r, err := s.Transition(ctx, after.ID, ActionConfirm, actor, "Seña cubierta con un pago registrado a mano.")
	var te *TransitionError
	switch {
	case err == nil:
		res.Reservation, res.Confirmed = r, true
	case errors.Is(err, ErrDateOverlap):
		res.NightsTaken = true
	case errors.As(err, &te):
		// Someone moved it first (confirmed or cancelled it): nothing to do.
	default:
		s.Log.Error("confirm after manual payment", "code", after.Code, "error", err)
	}
	return res
}
