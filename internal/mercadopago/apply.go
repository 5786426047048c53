package mercadopago

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
)

// Conflict kinds a payment may raise; the dashboard home lists them.
const (
	ConflictPartial          = "payment_partial"
	ConflictRefundDue        = "payment_refund_due"
	ConflictMismatch         = "payment_mismatch"
	ConflictUnknownReference = "payment_unknown_reference"
	ConflictRefunded         = "payment_refunded"
	ConflictChargedBack      = "payment_charged_back"
	// ConflictEarlierLink: a deposit paid through a link made before the hold was re-priced.
	ConflictEarlierLink = "payment_earlier_link"
)

// ActionPayment names a Mercado Pago payment's change in the audit log.
const ActionPayment = "payment_mercadopago"

// leadsTo lists, for each status of a payment, the statuses Mercado Pago
// documents it may reach later (directly or through others we may not see,
// since we only ever see snapshots). A status not listed after another is a
// late, out-of-order answer and is kept out: a late "pending" never undoes an
// "approved". A dispute goes both ways: in_mediation returns to approved when
// it is resolved in the seller's favour, or ends refunded or charged_back.
var leadsTo = map[string][]string{
	"pending":      {"authorized", "in_process", "approved", "rejected", "cancelled", "in_mediation", "refunded", "charged_back"},
	"authorized":   {"approved", "cancelled", "in_mediation", "refunded", "charged_back"},
	"in_process":   {"authorized", "approved", "rejected", "cancelled", "in_mediation", "refunded", "charged_back"},
	"approved":     {"in_mediation", "refunded", "charged_back"},
	"in_mediation": {"approved", "refunded", "charged_back"},
	"rejected":     nil,
	"cancelled":    nil,
	"refunded":     nil,
	"charged_back": nil,
}

// moves reports whether a payment stored as from may now be to.
func moves(from, to string) bool {
	return from == to || slices.Contains(leadsTo[from], to)
}

// stale reports whether the payment fetched now is older than the one stored
// (date_last_updated): two jobs may fetch the same payment and apply their
// snapshots in the other order, and approved ↔ in_mediation is a cycle.
func stale(fetched string, stored []byte) bool {
	var prev struct {
		DateLastUpdated string `json:"date_last_updated"`
	}
	if fetched == "" || json.Unmarshal(stored, &prev) != nil || prev.DateLastUpdated == "" {
		return false
	}
	a, errA := parseMPTime(fetched)
	b, errB := parseMPTime(prev.DateLastUpdated)
	return errA == nil && errB == nil && a.Before(b)
}

func parseMPTime(v string) (time.Time, error) {
	t, err := time.Parse(mpTime, v)
	if err != nil {
		t, err = time.Parse(time.RFC3339Nano, v)
	}
	return t, err
}

// Outcome is what applying a payment did.
type Outcome struct {
	Code         string
	Status       string // the payment's status as stored
	Confirmed    bool
	RefundDue    bool
	Unknown      bool
	HoldExtended bool
}

// counts is the part of a payment that is money on the reservation.
func counts(status, currency string, amount, refunded money.Money, resCurrency string) money.Money {
	if status != "approved" || currency != resCurrency {
		return 0
	}
	return max(amount-refunded, 0)
}

func alert(detail string, args ...any) string { return fmt.Sprintf(detail, args...) }

// ApplyPayment records what Mercado Pago says about a payment, and only
// that: the payment row (status forward only), the reservation's paid amount
// (recomputed from the stored row, so seeing it again changes nothing), the
// owner's alerts, and the confirmation of a hold whose deposit is covered.
func (s *Service) ApplyPayment(ctx context.Context, p Payment) (Outcome, error) {
	pid := p.ID.String()
	now := s.Clock.Now().UTC()
	out := Outcome{Code: p.ExternalReference, Status: p.Status}
	if _, ok := leadsTo[p.Status]; !ok {
		return out, fmt.Errorf("mercadopago: payment %s has unknown status %q", pid, p.Status)
	}
	amount := p.TransactionAmount.Money()
	if amount <= 0 || amount > money.Max {
		return out, fmt.Errorf("mercadopago: payment %s has amount %s", pid, amount)
	}
	var res dbq.Reservation
	var stored dbq.Payment
	var confirmable bool
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		q := dbq.New(tx)
		var err error
		res, err = q.GetReservationByCodeForUpdate(ctx, p.ExternalReference)
		if errors.Is(err, pgx.ErrNoRows) {
			out.Unknown = true
			return s.unknownReference(ctx, q, p, now)
		}
		if err != nil {
			return err
		}
		old, err := q.GetProviderPaymentForUpdate(ctx, &pid)
		isNew := errors.Is(err, pgx.ErrNoRows)
		if err != nil && !isNew {
			return err
		}
		status, refunded := p.Status, p.AmountRefunded.Money()
		if !isNew {
			if !moves(old.Status, status) || stale(p.DateLastUpdated, old.Raw) {
				status = old.Status
			}
			refunded = max(refunded, old.Refunded)
		}
		refunded = min(refunded, amount)
		method := p.PaymentMethodID
		raw := p.Raw
		if len(raw) == 0 || !json.Valid(raw) {
			raw, _ = json.Marshal(p)
		}
		if isNew {
			stored, err = q.InsertProviderPayment(ctx, dbq.InsertProviderPaymentParams{
				AccountID: res.AccountID, ReservationID: res.ID, ProviderID: &pid, Method: method, Status: status,
				StatusDetail: p.StatusDetail, Amount: amount, Currency: p.CurrencyID, Refunded: refunded, Raw: raw, Now: now,
			})
		} else {
			stored, err = q.UpdateProviderPayment(ctx, dbq.UpdateProviderPaymentParams{
				ID: old.ID, Status: status, StatusDetail: p.StatusDetail, Amount: amount, Refunded: refunded,
				Method: method, Raw: raw, Now: now,
			})
		}
		if err != nil {
			return err
		}
		out.Status = status
		before := money.Money(0)
		if !isNew {
			before = counts(old.Status, old.Currency, old.Amount, old.Refunded, res.Currency)
		}
		after := counts(stored.Status, stored.Currency, stored.Amount, stored.Refunded, res.Currency)
		if after != before {
			if res, err = q.SetReservationPaid(ctx, dbq.SetReservationPaidParams{ID: res.ID, Paid: res.Paid - before + after, Now: now}); err != nil {
				return err
			}
		}
		changed := isNew || old.Status != stored.Status || old.Refunded != stored.Refunded
		if changed {
			detail, _ := json.Marshal(map[string]string{"payment_id": pid, "status": stored.Status,
				"status_detail": p.StatusDetail, "amount": amount.String(), "currency": p.CurrencyID, "paid": res.Paid.String()})
			if err := q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: res.AccountID, ReservationID: &res.ID,
				Actor: "mercadopago", Action: ActionPayment, Detail: detail, Now: now}); err != nil {
				return err
			}
		}
		st := booking.Status(res.Status)
		conflict := func(kind, detail string) error {
			n, err := q.InsertPaymentConflict(ctx, dbq.InsertPaymentConflictParams{AccountID: res.AccountID,
				PropertyID: &res.PropertyID, ReservationID: &res.ID, Kind: kind, Detail: detail, Now: now})
			if err != nil || n == 0 {
				return err
			}
			s.Log.Warn("mercadopago: owner alerted", "kind", kind, "code", res.Code, "payment_id", pid)
			return q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: res.AccountID, ReservationID: &res.ID,
				Actor: "mercadopago", Action: ActionAlert, Detail: alertJSON(kind, pid, detail), Now: now})
		}
		if stored.Status == "approved" && !isNew && old.Status == "in_mediation" {
			if err := s.disputeWon(ctx, q, res, pid, amount, now); err != nil {
				return err
			}
		}
		switch {
		case p.CurrencyID != res.Currency:
			return conflict(ConflictMismatch, alert("El pago %s de Mercado Pago (%s %s) no está en la moneda de la reserva (%s): no se tomó como seña.",
				pid, p.CurrencyID, amount, res.Currency))
		case stored.Status == "approved" && (st == booking.StatusPreReserved || st == booking.StatusExpired):
			// The hold may have been re-priced after the guest opened its link:
			// a payment of what an earlier link asked is the guest paying what
			// we asked, so it confirms, and the owner is told the difference.
			earlier := false
			if amount != res.Deposit && changed {
				if earlier, err = q.EarlierLinkAmount(ctx, dbq.EarlierLinkAmountParams{ReservationID: res.ID,
					Amount: amount, Currency: res.Currency}); err != nil {
					return err
				}
			}
			if booking.DepositCovered(res.Deposit, res.Paid) || earlier {
				confirmable = true
			}
			switch {
			case earlier && !booking.DepositCovered(res.Deposit, res.Paid):
				return conflict(ConflictEarlierLink, alert("El pago %s de Mercado Pago por %s es del link de seña anterior al cambio de la reserva (la seña ahora es %s): se confirmó porque el huésped pagó lo que le pedimos; falta cobrar %s.",
					pid, format.Money(amount), format.Money(res.Deposit), format.Money(res.Deposit-res.Paid)))
			case earlier:
				return conflict(ConflictEarlierLink, alert("El pago %s de Mercado Pago por %s es del link de seña anterior al cambio de la reserva (la seña ahora es %s): se confirmó, y lo pagado de más queda a cuenta del total.",
					pid, format.Money(amount), format.Money(res.Deposit)))
			case confirmable:
				return nil
			}
			return conflict(ConflictPartial, alert("El pago %s de Mercado Pago por %s no cubre la seña de %s: la reserva sigue sin confirmar.",
				pid, format.Money(after), format.Money(res.Deposit)))
		case stored.Status == "approved" && st == booking.StatusCancelled:
			out.RefundDue = true
			if err := q.SetPaymentRefundDue(ctx, dbq.SetPaymentRefundDueParams{ID: stored.ID, RefundDue: true, Now: now}); err != nil {
				return err
			}
			return conflict(ConflictRefundDue, alert("El pago %s de Mercado Pago por %s llegó para una reserva cancelada: hay que devolverlo.",
				pid, format.Money(after)))
		case (stored.Status == "pending" || stored.Status == "in_process" || stored.Status == "authorized") && st == booking.StatusPreReserved:
			return s.extendHold(ctx, q, res, pid, now, &out)
		case stored.Status == "refunded" && changed:
			return conflict(ConflictRefunded, alert("El pago %s de Mercado Pago por %s fue devuelto.", pid, format.Money(amount)))
		case (stored.Status == "charged_back" || stored.Status == "in_mediation") && changed:
			return conflict(ConflictChargedBack, alert("El pago %s de Mercado Pago por %s tiene un contracargo o reclamo (%s).",
				pid, format.Money(amount), stored.Status))
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("mercadopago: apply payment %s: %w", pid, err)
	}
	if !confirmable {
		return out, nil
	}
	// The payment is stored whatever happens next; confirming goes through the one state machine.
	_, err = s.Booking.Transition(ctx, res.ID, booking.ActionConfirm, "mercadopago",
		"Seña pagada con Mercado Pago (pago "+pid+").")
	var te *booking.TransitionError
	switch {
	case err == nil:
		out.Confirmed = true
		s.Log.Info("mercadopago: reservation confirmed", "code", res.Code, "payment_id", pid)
	case errors.As(err, &te):
		// Confirmed (or cancelled) by someone else first: nothing to do.
	case errors.Is(err, booking.ErrDateOverlap):
		out.RefundDue = true
		err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
			q := dbq.New(tx)
			if _, err := q.GetReservationForUpdate(ctx, res.ID); err != nil {
				return err
			}
			if err := q.SetPaymentRefundDue(ctx, dbq.SetPaymentRefundDueParams{ID: stored.ID, RefundDue: true, Now: now}); err != nil {
				return err
			}
			detail := alert("El pago %s de Mercado Pago por %s llegó después de que la pre-reserva venciera y las noches ya están ocupadas: hay que devolverlo.",
				pid, format.Money(res.Paid))
			n, err := q.InsertPaymentConflict(ctx, dbq.InsertPaymentConflictParams{AccountID: res.AccountID,
				PropertyID: &res.PropertyID, ReservationID: &res.ID, Kind: ConflictRefundDue, Detail: detail, Now: now})
			if err != nil || n == 0 {
				return err
			}
			s.Log.Warn("mercadopago: owner alerted", "kind", ConflictRefundDue, "code", res.Code, "payment_id", pid)
			return q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: res.AccountID, ReservationID: &res.ID,
				Actor: "mercadopago", Action: ActionAlert, Detail: alertJSON(ConflictRefundDue, pid, detail), Now: now})
		})
		if err != nil {
			return out, fmt.Errorf("mercadopago: refund due for payment %s: %w", pid, err)
		}
	default:
		return out, fmt.Errorf("mercadopago: confirm after payment %s: %w", pid, err)
	}
	return out, nil
}

// disputeWon closes the owner's dispute alert about a payment that Mercado
// Pago returned to approved (the claim was resolved in the seller's favour)
// and tells the owner.
func (s *Service) disputeWon(ctx context.Context, q *dbq.Queries, res dbq.Reservation, pid string, amount money.Money, now time.Time) error {
	if _, err := q.ResolvePaymentConflicts(ctx, dbq.ResolvePaymentConflictsParams{ReservationID: &res.ID,
		Kind: ConflictChargedBack, PaymentID: pid, Now: now}); err != nil {
		return err
	}
	detail := alert("El reclamo por el pago %s de Mercado Pago (%s) se resolvió a tu favor: el pago vuelve a estar aprobado y cuenta como pagado.",
		pid, format.Money(amount))
	s.Log.Info("mercadopago: dispute resolved for the seller", "code", res.Code, "payment_id", pid)
	return q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: res.AccountID, ReservationID: &res.ID,
		Actor: "mercadopago", Action: ActionAlert, Detail: alertJSON("payment_dispute_won", pid, detail), Now: now})
}

// extendHold gives a hold with a payment in progress (cash at a Rapipago,
// a card under review) more time, once per hold.
func (s *Service) extendHold(ctx context.Context, q *dbq.Queries, res dbq.Reservation, pid string, now time.Time, out *Outcome) error {
	extended, err := q.MarkHoldExtended(ctx, dbq.MarkHoldExtendedParams{ReservationID: res.ID, Now: now})
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !extended) {
		return nil
	}
	if err != nil {
		return err
	}
	base := now
	if res.HoldExpiresAt != nil && res.HoldExpiresAt.After(now) {
		base = *res.HoldExpiresAt
	}
	until := base.Add(s.holdExtension())
	if err := q.ExtendHold(ctx, dbq.ExtendHoldParams{ReservationID: res.ID, HoldExpiresAt: until, Now: now,
		JobKind: booking.ExpireHoldArgs{}.Kind()}); err != nil {
		return err
	}
	out.HoldExtended = true
	detail, _ := json.Marshal(map[string]string{"payment_id": pid, "until": until.Format(time.RFC3339)})
	return q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: res.AccountID, ReservationID: &res.ID,
		Actor: "mercadopago", Action: "hold_extended", Detail: detail, Now: now})
}

// unknownReference tells the owner about money that names none of our
// reservations. The credentials are the installation's, so the alert goes to
// its account when there is exactly one; otherwise the log says it.
func (s *Service) unknownReference(ctx context.Context, q *dbq.Queries, p Payment, now time.Time) error {
	s.Log.Warn("mercadopago: payment for an unknown reference", "payment_id", p.ID.String(),
		"external_reference", p.ExternalReference, "status", p.Status)
	acc, err := q.OnlyAccountID(ctx)
	if err != nil || acc == 0 {
		return err
	}
	ref := p.ExternalReference
	if len(ref) > 64 {
		ref = ref[:64] + "…"
	}
	detail := alert("El pago %s de Mercado Pago (%s, %s %s) dice ser de la reserva «%s», que no existe.",
		p.ID.String(), p.Status, p.CurrencyID, p.TransactionAmount.Money(), ref)
	n, err := q.InsertPaymentConflict(ctx, dbq.InsertPaymentConflictParams{AccountID: acc, Kind: ConflictUnknownReference,
		Detail: detail, Now: now})
	if err != nil || n == 0 {
		return err
	}
	return q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: acc, Actor: "mercadopago", Action: ActionAlert,
		Detail: alertJSON(ConflictUnknownReference, p.ID.String(), detail), Now: now})
}

// ActionAlert names an owner's alert about a payment in the audit log.
const ActionAlert = "payment_alert"

func alertJSON(kind, pid, detail string) []byte {
	b, _ := json.Marshal(map[string]string{"kind": kind, "payment_id": pid, "detail": detail})
	return b
}
