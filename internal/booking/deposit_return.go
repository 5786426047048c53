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
	"alojamientos/internal/format"
	"alojamientos/internal/money"
)

// DepositReturn is the owner giving the damage deposit back, less what
// was kept for damage.
type DepositReturn struct {
	AccountID     int64
	ReservationID int64
	UserID        int64
	// Deducted is what is kept ("se descontó una copa rota"); the rest goes back.
	Deducted money.Money
	// Note says why anything was kept; the guest reads it. Required with a deduction.
	Note  string
	Actor string
}

// ReturnDeposit settles a received deposit in one transaction: what is
// kept and what goes back (deducted + returned = amount), the note, who
// and when, and the audit entry 'deposit_returned' that tells the guest.
// It may be done any time after receipt (usually after check-out). A
// deduction without a note, or more than the deposit, is a
// *ValidationError; a deposit never received ErrNoDeposit; one already
// returned ErrDepositSettled. reservations.paid never moves.
func (s *Service) ReturnDeposit(ctx context.Context, in DepositReturn) (dbq.DamageDeposit, error) {
	in.Note = strings.TrimSpace(in.Note)
	var verr ValidationError
	switch {
	case in.Deducted < 0:
		verr.add("deducted", "El descuento no puede ser negativo.")
	case in.Deducted > 0 && in.Note == "":
		verr.add("deposit_note", "Escribí qué se descontó y por qué: el huésped lo va a leer.")
	}
	if utf8.RuneCountInString(in.Note) > MaxNoteLen {
		verr.add("deposit_note", fmt.Sprintf("La nota es demasiado larga (máximo %d caracteres).", MaxNoteLen))
	}
	if err := verr.orNil(); err != nil {
		return dbq.DamageDeposit{}, err
	}
	now := s.Clock.Now().UTC()
	var out dbq.DamageDeposit
	err := s.inTx(ctx, func(tx db.Tx) error {
		var err error
		out, err = returnDepositTx(ctx, db.Q(tx), in, now)
		return err
	})
	var ve *ValidationError
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrNoDeposit) &&
		!errors.Is(err, ErrDepositSettled) && !errors.As(err, &ve) {
		return dbq.DamageDeposit{}, fmt.Errorf("booking: return deposit of reservation %d: %w", in.ReservationID, err)
	}
	return out, err
}

// returnDepositTx is ReturnDeposit's transaction: the reservation is
// locked first (as every change to it), then the deposit row.
func returnDepositTx(ctx context.Context, q *dbq.Queries, in DepositReturn, now time.Time) (dbq.DamageDeposit, error) {
	res, err := lockReservation(ctx, q, in.ReservationID, in.AccountID)
	if err != nil {
		return dbq.DamageDeposit{}, err
	}
	cur, err := q.GetDamageDepositForUpdate(ctx, dbq.GetDamageDepositForUpdateParams{ReservationID: res.ID,
		AccountID: res.AccountID})
	switch {
	case errors.Is(err, db.ErrNotFound):
		return dbq.DamageDeposit{}, ErrNoDeposit
	case err != nil:
		return dbq.DamageDeposit{}, err
	case cur.SettledAt != nil:
		return dbq.DamageDeposit{}, ErrDepositSettled
	case in.Deducted > cur.Amount:
		return dbq.DamageDeposit{}, &ValidationError{Fields: map[string]string{"deducted": fmt.Sprintf(
			"El descuento no puede superar el depósito (%s).", format.Amount(money.In(cur.Amount, cur.Currency)))}}
	}
	var by *int64
	if in.UserID > 0 {
		by = &in.UserID
	}
	returned := cur.Amount - in.Deducted
	out, err := q.SettleDamageDeposit(ctx, dbq.SettleDamageDepositParams{Deducted: in.Deducted, Returned: returned,
		Note: in.Note, SettledBy: by, Now: now, ReservationID: res.ID})
	if err != nil {
		return dbq.DamageDeposit{}, err
	}
	return out, audit(ctx, q, res, in.Actor, ActionDepositReturned, map[string]string{"amount": cur.Amount.String(),
		"deducted": in.Deducted.String(), "returned": returned.String(), "currency": cur.Currency,
		"method": cur.Method, "note": in.Note}, now)
}
