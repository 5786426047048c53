package booking

import (
	"context"
	"errors"
	"fmt"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

// Audit actions of a damage deposit. 'deposit_returned' also reaches the
// guest on WhatsApp (the audit_log trigger, migration 00026).
const (
	ActionDepositReceived = "deposit_received"
	ActionDepositReturned = "deposit_returned"
)

var (
	// ErrDepositSettled is a deposit already returned: it is returned once.
	ErrDepositSettled = errors.New("booking: damage deposit already returned")
	// ErrNoDeposit is a return asked for a deposit never recorded as received.
	ErrNoDeposit = errors.New("booking: damage deposit not received")
)

// DepositReceipt is the owner (or staff) recording the damage deposit received.
type DepositReceipt struct {
	AccountID     int64
	ReservationID int64
	UserID        int64
	// Amount received; 0 takes the amount frozen on the reservation.
	Amount money.Money
	// Method is one of DepositReceiptMethods.
	Method string
	Actor  string
}

// depositStatuses are the states of a stay whose deposit may be received:
// the stay is on (or over); a hold, a cancelled or expired booking is not.
var depositStatuses = []Status{StatusConfirmed, StatusCheckedIn, StatusCompleted}

// RecordDeposit records the damage deposit received, in one transaction
// with its audit entry. It is not stay money: reservations.paid does not
// move, and no report counts it. A second receipt, a bad amount or method
// is a *ValidationError; a stay not confirmed, begun or completed a
// *TransitionError.
func (s *Service) RecordDeposit(ctx context.Context, in DepositReceipt) (dbq.DamageDeposit, error) {
	if !DepositReceiptMethods[in.Method] {
		return dbq.DamageDeposit{}, &ValidationError{Fields: map[string]string{"deposit_method": "Elegí cómo lo recibiste."}}
	}
	now := s.Clock.Now().UTC()
	var out dbq.DamageDeposit
	err := s.inTx(ctx, func(tx db.Tx) error {
		q := db.Q(tx)
		res, err := lockReservation(ctx, q, in.ReservationID, in.AccountID)
		if err != nil {
			return err
		}
		if !statusIn(Status(res.Status), depositStatuses) {
			return &TransitionError{Action: ActionDepositReceived, From: Status(res.Status)}
		}
		amount := in.Amount
		if amount == 0 {
			amount = res.DamageDeposit
		}
		if amount <= 0 || amount > money.Max {
			return &ValidationError{Fields: map[string]string{"deposit_amount": "Escribí el monto recibido, mayor que cero, por ejemplo 50.000."}}
		}
		var by *int64
		if in.UserID > 0 {
			by = &in.UserID
		}
		out, err = q.InsertDamageDeposit(ctx, dbq.InsertDamageDepositParams{ReservationID: res.ID, AccountID: res.AccountID,
			Amount: amount, Currency: res.Currency, Method: in.Method, ReceivedBy: by, Now: now})
		if db.IsUnique(err) {
			return &ValidationError{Fields: map[string]string{"deposit_amount": "El depósito de esta reserva ya está registrado."}}
		}
		if err != nil {
			return err
		}
		return audit(ctx, q, res, in.Actor, ActionDepositReceived, map[string]string{"amount": amount.String(),
			"currency": res.Currency, "method": in.Method}, now)
	})
	var verr *ValidationError
	var terr *TransitionError
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.As(err, &verr) && !errors.As(err, &terr) {
		return dbq.DamageDeposit{}, fmt.Errorf("booking: record deposit of reservation %d: %w", in.ReservationID, err)
	}
	return out, err
}
