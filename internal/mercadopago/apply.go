package mercadopago

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"alojamientos/db"
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

// counts is the part of a payment that is money on the reservation, in the
// reservation's currency. An approved payment in pesos counts what is left
// of it after refunds, converted back the way it was charged
// (booking.Credited: the rate locked on the hold, the frozen surcharge taken
// off, so the surcharge is never stay); for a peso stay without a surcharge
// that is the pesos themselves. A payment in the reservation's own foreign
// currency counts as it is; one in any other currency counts nothing (the
// owner is alerted of the mismatch).
func counts(status, currency string, amount, refunded money.Money, res dbq.Reservation) money.Money {
	if status != "approved" {
		return 0
	}
	return booking.CreditedOf(currency, max(amount-refunded, 0), res.Currency, booking.ReservationRate(res),
		int(res.MpSurchargeBp))
}

// converted reports whether pesos paid count differently on the
// reservation: a foreign-currency stay, or one with a surcharge.
func converted(currency string, res dbq.Reservation) bool {
	return currency == booking.PesoCurrency && (res.Currency != booking.PesoCurrency || res.MpSurchargeBp > 0)
}

// paidText writes an amount of the payment (in its currency) for the
// owner: "$ 6.000,00"; when pesos count differently on the reservation, with
// what they count there: "$ 90.477,00 (acreditado en la reserva: US$ 72,00)".
func (a *applying) paidText(m money.Money) string {
	s := format.Amount(money.In(m, a.p.CurrencyID))
	if converted(a.p.CurrencyID, a.res) {
		credited := booking.Credited(m, a.res.Currency, booking.ReservationRate(a.res), int(a.res.MpSurchargeBp))
		s += " (acreditado en la reserva: " + format.Amount(money.In(credited, a.res.Currency)) + ")"
	}
	return s
}

// resText writes an amount in the reservation's currency: "US$ 72,00".
func (a *applying) resText(m money.Money) string { return format.Amount(money.In(m, a.res.Currency)) }

func alert(detail string, args ...any) string { return fmt.Sprintf(detail, args...) }

// ApplyPayment records what Mercado Pago says about a payment, and only
// that: the payment row (status forward only), the reservation's paid amount
// (recomputed from the stored row, so seeing it again changes nothing), the
// owner's alerts, and the confirmation of a hold whose deposit is covered.
func (s *Service) ApplyPayment(ctx context.Context, p Payment) (Outcome, error) {
	a := &applying{p: p, pid: p.ID.String(), amount: p.TransactionAmount.Money(), now: s.Clock.Now().UTC()}
	out := Outcome{Code: p.ExternalReference, Status: p.Status}
	if _, ok := leadsTo[p.Status]; !ok {
		return out, fmt.Errorf("mercadopago: payment %s has unknown status %q", a.pid, p.Status)
	}
	if a.amount <= 0 || a.amount > money.Max {
		return out, fmt.Errorf("mercadopago: payment %s has amount %s", a.pid, a.amount)
	}
	var confirmable bool
	err := db.InTx(ctx, s.DB, func(tx db.Tx) error {
		a.q = db.Q(tx)
		var err error
		confirmable, err = s.applyInTx(ctx, a, &out)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("mercadopago: apply payment %s: %w", a.pid, err)
	}
	if !confirmable {
		return out, nil
	}
	return s.confirmPaid(ctx, a, out)
}

// applying is one payment being applied inside its transaction.
type applying struct {
	q      *dbq.Queries
	p      Payment
	pid    string
	amount money.Money
	now    time.Time

	res     dbq.Reservation // locked; Paid as recomputed
	old     dbq.Payment     // the row before (zero when isNew)
	isNew   bool
	stored  dbq.Payment // the row after
	after   money.Money // what the payment counts on the reservation now
	changed bool        // new, or its status or refund moved
}

// applyInTx stores the payment, recomputes what the reservation has paid and
// reacts to it; true when the hold may now be confirmed.
func (s *Service) applyInTx(ctx context.Context, a *applying, out *Outcome) (bool, error) {
	var err error
	a.res, err = a.q.GetReservationByCodeForUpdate(ctx, a.p.ExternalReference)
	if errors.Is(err, db.ErrNotFound) {
		out.Unknown = true
		return false, s.unknownReference(ctx, a.q, a.p, a.now)
	}
	if err != nil {
		return false, err
	}
	status, err := s.storePayment(ctx, a)
	if err != nil {
		return false, err
	}
	out.Status = status
	if err := s.recordPaid(ctx, a); err != nil {
		return false, err
	}
	if a.stored.Status == "approved" && !a.isNew && a.old.Status == "in_mediation" {
		if err := s.disputeWon(ctx, a.q, a.res, a.pid, a.paidText(a.amount), a.now); err != nil {
			return false, err
		}
	}
	return s.react(ctx, a, out)
}

// storePayment inserts or updates the payment row, its status moving only
// forward; it returns the status kept.
func (s *Service) storePayment(ctx context.Context, a *applying) (string, error) {
	old, err := a.q.GetProviderPaymentForUpdate(ctx, &a.pid)
	a.isNew = errors.Is(err, db.ErrNotFound)
	if err != nil && !a.isNew {
		return "", err
	}
	a.old = old
	status, refunded := a.p.Status, a.p.AmountRefunded.Money()
	if !a.isNew {
		if !moves(old.Status, status) || stale(a.p.DateLastUpdated, old.Raw) {
			status = old.Status
		}
		refunded = max(refunded, old.Refunded)
	}
	refunded = min(refunded, a.amount)
	fee := a.p.Fee()
	if !a.isNew && stale(a.p.DateLastUpdated, old.Raw) {
		fee = old.Fee
	}
	raw := a.p.Raw
	if len(raw) == 0 || !json.Valid(raw) {
		raw, _ = json.Marshal(a.p)
	}
	if a.isNew {
		a.stored, err = a.q.InsertProviderPayment(ctx, dbq.InsertProviderPaymentParams{
			AccountID: a.res.AccountID, ReservationID: a.res.ID, ProviderID: &a.pid, Method: a.p.PaymentMethodID,
			Status: status, StatusDetail: a.p.StatusDetail, Amount: a.amount, Currency: a.p.CurrencyID,
			Refunded: refunded, Fee: fee, Raw: raw, Now: a.now,
		})
	} else {
		a.stored, err = a.q.UpdateProviderPayment(ctx, dbq.UpdateProviderPaymentParams{
			ID: old.ID, Status: status, StatusDetail: a.p.StatusDetail, Amount: a.amount, Refunded: refunded, Fee: fee,
			Method: a.p.PaymentMethodID, Raw: raw, Now: a.now,
		})
	}
	a.changed = a.isNew || old.Status != a.stored.Status || old.Refunded != a.stored.Refunded
	return status, err
}

// recordPaid moves the reservation's paid amount by what the payment counts
// now minus what it counted before, and audits a payment that changed.
func (s *Service) recordPaid(ctx context.Context, a *applying) error {
	before := money.Money(0)
	if !a.isNew {
		before = counts(a.old.Status, a.old.Currency, a.old.Amount, a.old.Refunded, a.res)
	}
	a.after = counts(a.stored.Status, a.stored.Currency, a.stored.Amount, a.stored.Refunded, a.res)
	if a.after != before {
		res, err := a.q.SetReservationPaid(ctx, dbq.SetReservationPaidParams{ID: a.res.ID,
			Paid: a.res.Paid - before + a.after, Now: a.now})
		if err != nil {
			return err
		}
		a.res = res
	}
	if !a.changed {
		return nil
	}
	d := map[string]string{"payment_id": a.pid, "status": a.stored.Status,
		"status_detail": a.p.StatusDetail, "amount": a.amount.String(), "currency": a.p.CurrencyID, "paid": a.res.Paid.String()}
	if converted(a.p.CurrencyID, a.res) {
		d["credited"], d["paid_currency"] = a.after.String(), a.res.Currency
	}
	if a.stored.Fee > 0 {
		d["fee"] = a.stored.Fee.String()
	}
	detail, _ := json.Marshal(d)
	return a.q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: a.res.AccountID, ReservationID: &a.res.ID,
		Actor: "mercadopago", Action: ActionPayment, Detail: detail, Now: a.now})
}

// react does what the payment's status means for the reservation in its
// state: alerts, a refund due, a longer hold; true when the hold's deposit
// is covered and it may be confirmed.
func (s *Service) react(ctx context.Context, a *applying, out *Outcome) (bool, error) {
	st := booking.Status(a.res.Status)
	status := a.stored.Status
	switch {
	case a.p.CurrencyID != a.res.Currency && a.p.CurrencyID != booking.PesoCurrency:
		return false, s.alertOwner(ctx, a, ConflictMismatch, alert("El pago %s de Mercado Pago (%s %s) no está en la moneda de la reserva (%s) ni en pesos: no se tomó como seña.",
			a.pid, a.p.CurrencyID, a.amount, a.res.Currency))
	case status == "approved" && (st == booking.StatusPreReserved || st == booking.StatusExpired):
		return s.depositPaid(ctx, a)
	// Money that became approved after the stay was cancelled must go back;
	// a payment partly refunded by its cancellation (booking.Cancel) stays
	// approved and is not news.
	case status == "approved" && st == booking.StatusCancelled && (a.isNew || a.old.Status != "approved"):
		out.RefundDue = true
		return false, s.refundDue(ctx, a, alert("El pago %s de Mercado Pago por %s llegó para una reserva cancelada: hay que devolverlo.",
			a.pid, a.paidText(a.stored.Amount-a.stored.Refunded)))
	case (status == "pending" || status == "in_process" || status == "authorized") && st == booking.StatusPreReserved:
		return false, s.extendHold(ctx, a.q, a.res, a.pid, a.now, out)
	case status == "refunded" && a.changed:
		// A refund we asked for (a cancellation's refund row) is no news;
		// the alert is for money given back outside this system.
		ours, err := a.q.PaymentHasOwnRefund(ctx, &a.stored.ID)
		if err != nil || ours {
			return false, err
		}
		return false, s.alertOwner(ctx, a, ConflictRefunded, alert("El pago %s de Mercado Pago por %s fue devuelto.", a.pid, a.paidText(a.amount)))
	case (status == "charged_back" || status == "in_mediation") && a.changed:
		return false, s.alertOwner(ctx, a, ConflictChargedBack, alert("El pago %s de Mercado Pago por %s tiene un contracargo o reclamo (%s).",
			a.pid, a.paidText(a.amount), status))
	}
	return false, nil
}

// depositPaid is an approved payment for a hold (live or lapsed): true when
// it covers the deposit. The hold may have been re-priced after the guest
// opened its link: a payment of what an earlier link asked is the guest
// paying what we asked, so it confirms, and the owner is told the difference.
func (s *Service) depositPaid(ctx context.Context, a *applying) (bool, error) {
	res := a.res
	earlier := false
	if a.amount != asked(a.p.CurrencyID, res) && a.changed {
		// Links record what they charge, in the payment's currency (pesos).
		var err error
		if earlier, err = a.q.EarlierLinkAmount(ctx, dbq.EarlierLinkAmountParams{ReservationID: res.ID,
			Amount: a.amount, Currency: a.p.CurrencyID}); err != nil {
			return false, err
		}
	}
	switch {
	case earlier && !booking.DepositCovered(res.Deposit, res.Paid):
		return true, s.alertOwner(ctx, a, ConflictEarlierLink, alert("El pago %s de Mercado Pago por %s es del link de seña anterior al cambio de la reserva (la seña ahora es %s): se confirmó porque el huésped pagó lo que le pedimos; falta cobrar %s.",
			a.pid, a.paidText(a.amount), a.resText(res.Deposit), a.resText(res.Deposit-res.Paid)))
	case earlier:
		return true, s.alertOwner(ctx, a, ConflictEarlierLink, alert("El pago %s de Mercado Pago por %s es del link de seña anterior al cambio de la reserva (la seña ahora es %s): se confirmó, y lo pagado de más queda a cuenta del total.",
			a.pid, a.paidText(a.amount), a.resText(res.Deposit)))
	case booking.DepositCovered(res.Deposit, res.Paid):
		return true, nil
	}
	return false, s.alertOwner(ctx, a, ConflictPartial, alert("El pago %s de Mercado Pago por %s no cubre la seña de %s: la reserva sigue sin confirmar.",
		a.pid, a.paidText(a.stored.Amount-a.stored.Refunded), a.resText(res.Deposit)))
}

// asked is what the current link asks for the deposit, in a payment's
// currency: the deposit in pesos at the locked rate with the surcharge for a
// payment in pesos, the deposit itself otherwise.
func asked(currency string, res dbq.Reservation) money.Money {
	if currency == booking.PesoCurrency {
		if pay, err := booking.RowCharge(res, res.Deposit); err == nil {
			return pay.Total
		}
	}
	return res.Deposit
}

// confirmPaid confirms a hold whose deposit is paid, through the one state
// machine; the payment is stored whatever happens here.
func (s *Service) confirmPaid(ctx context.Context, a *applying, out Outcome) (Outcome, error) {
	_, err := s.Booking.Transition(ctx, a.res.ID, booking.ActionConfirm, "mercadopago",
		"Seña pagada con Mercado Pago (pago "+a.pid+").")
	var te *booking.TransitionError
	switch {
	case err == nil:
		out.Confirmed = true
		s.Log.Info("mercadopago: reservation confirmed", "code", a.res.Code, "payment_id", a.pid)
	case errors.As(err, &te):
		// Confirmed (or cancelled) by someone else first: nothing to do.
	case errors.Is(err, booking.ErrDateOverlap):
		out.RefundDue = true
		if err := s.nightsTaken(ctx, a); err != nil {
			return out, fmt.Errorf("mercadopago: refund due for payment %s: %w", a.pid, err)
		}
	default:
		return out, fmt.Errorf("mercadopago: confirm after payment %s: %w", a.pid, err)
	}
	return out, nil
}

// nightsTaken is a deposit paid after the hold lapsed and its nights were
// taken by someone else: the money goes back, and the owner is told.
func (s *Service) nightsTaken(ctx context.Context, a *applying) error {
	return db.InTx(ctx, s.DB, func(tx db.Tx) error {
		a.q = db.Q(tx)
		if _, err := a.q.GetReservationForUpdate(ctx, a.res.ID); err != nil {
			return err
		}
		return s.refundDue(ctx, a, alert("El pago %s de Mercado Pago por %s llegó después de que la pre-reserva venciera y las noches ya están ocupadas: hay que devolverlo.",
			a.pid, a.resText(a.res.Paid)))
	})
}

// refundDue marks the payment to be given back and alerts the owner.
func (s *Service) refundDue(ctx context.Context, a *applying, detail string) error {
	if err := a.q.SetPaymentRefundDue(ctx, dbq.SetPaymentRefundDueParams{ID: a.stored.ID, RefundDue: true, Now: a.now}); err != nil {
		return err
	}
	return s.alertOwner(ctx, a, ConflictRefundDue, detail)
}

// alertOwner raises an alert about the payment on the dashboard and in the
// audit log, once per kind (a repeat inserts nothing and audits nothing).
func (s *Service) alertOwner(ctx context.Context, a *applying, kind, detail string) error {
	res := a.res
	n, err := a.q.InsertPaymentConflict(ctx, dbq.InsertPaymentConflictParams{AccountID: res.AccountID,
		PropertyID: &res.PropertyID, ReservationID: &res.ID, Kind: kind, Detail: detail, Now: a.now})
	if err != nil || n == 0 {
		return err
	}
	s.Log.Warn("mercadopago: owner alerted", "kind", kind, "code", res.Code, "payment_id", a.pid)
	return a.q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: res.AccountID, ReservationID: &res.ID,
		Actor: "mercadopago", Action: ActionAlert, Detail: alertJSON(kind, a.pid, detail), Now: a.now})
}

// disputeWon closes the owner's dispute alert about a payment that Mercado
// Pago returned to approved (the claim was resolved in the seller's favour)
// and tells the owner.
func (s *Service) disputeWon(ctx context.Context, q *dbq.Queries, res dbq.Reservation, pid, amount string, now time.Time) error {
	if _, err := q.ResolvePaymentConflicts(ctx, dbq.ResolvePaymentConflictsParams{ReservationID: &res.ID,
		Kind: ConflictChargedBack, PaymentID: pid, Now: now}); err != nil {
		return err
	}
	detail := alert("El reclamo por el pago %s de Mercado Pago (%s) se resolvió a tu favor: el pago vuelve a estar aprobado y cuenta como pagado.",
		pid, amount)
	s.Log.Info("mercadopago: dispute resolved for the seller", "code", res.Code, "payment_id", pid)
	return q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: res.AccountID, ReservationID: &res.ID,
		Actor: "mercadopago", Action: ActionAlert, Detail: alertJSON("payment_dispute_won", pid, detail), Now: now})
}

// extendHold gives a hold with a payment in progress (cash at a Rapipago,
// a card under review) more time, once per hold.
func (s *Service) extendHold(ctx context.Context, q *dbq.Queries, res dbq.Reservation, pid string, now time.Time, out *Outcome) error {
	extended, err := q.MarkHoldExtended(ctx, dbq.MarkHoldExtendedParams{ReservationID: res.ID, Now: now})
	if errors.Is(err, db.ErrNotFound) || (err == nil && !extended) {
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
