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

// RefundJobKind is the job internal/mercadopago runs to carry out one
// Mercado Pago refund row (args: refund_id), on PaymentsQueue.
const RefundJobKind = "mercadopago.refund"

// ErrRefundChanged refuses a cancellation whose refund is no longer the one
// the guest was shown (CancelRequest.ExpectRefund).
var ErrRefundChanged = errors.New("booking: the refund changed since it was shown")

// CancelRequest ends a booking early.
type CancelRequest struct {
	ReservationID int64
	// AccountID, when set, must own the reservation (the dashboard);
	// guest surfaces find it by its code and token first.
	AccountID int64
	By        Party
	// Actor is who asked: "guest", "whatsapp", "withdrawal", "user:<id>".
	Actor  string
	UserID *int64
	// Refund is the owner's decision on what goes back of what was paid;
	// nil takes what the terms give. Less than that needs Note.
	Refund *money.Money
	// ExpectRefund, when set, is the refund the guest saw before confirming:
	// if the terms now give another (a payment arrived, a day passed), the
	// cancellation is refused with ErrRefundChanged and nothing changes.
	ExpectRefund *money.Money
	// Note is the reason (required from the owner, as any cancellation).
	Note string
	// Contact and ClientNet record a withdrawal's proof and origin.
	Contact, ClientNet string
}

// RefundPart is one refund a cancellation decided.
type RefundPart struct {
	ID        int64
	PaymentID *int64
	Method    string // "mercadopago" (a job refunds it) or "transfer" (owed, settled by the owner)
	Reason    string
	Amount    money.Money
	Currency  string
	// StayAmount is what it takes off paid, in the stay's currency.
	StayAmount money.Money
}

// Cancelled is the outcome of Cancel.
type Cancelled struct {
	Reservation Reservation
	Settlement  Settlement
	// Refund is what was decided to go back of what was paid (≥ Settlement.Refund unless noted).
	Refund  money.Money
	Refunds []RefundPart
	// WithdrawalCode answers a withdrawal.
	WithdrawalCode string
}

// PreviewCancel computes, writing nothing, what a cancellation by party
// would give now: what the guest sees before confirming.
func (s *Service) PreviewCancel(ctx context.Context, r Reservation, by Party) (Settlement, error) {
	p, err := s.LoadProperty(ctx, r.PropertyID)
	if err != nil {
		return Settlement{}, fmt.Errorf("booking: preview cancel %s: %w", r.Code, err)
	}
	return Settle(s.settleInput(r, by, p.CheckInTime, p.Timezone)), nil
}

func (s *Service) settleInput(r Reservation, by Party, checkInTime string, loc *time.Location) SettleInput {
	in := SettleInput{By: by, At: s.Clock.Now(), CheckIn: r.CheckIn, CheckInTime: checkInTime, Timezone: loc,
		BookedAt: r.CreatedAt, Deposit: r.Deposit, Paid: r.Paid, Currency: r.Currency}
	if r.Policy != nil {
		in.Policy, in.HasPolicy = *r.Policy, true
	}
	return in
}

// Cancel ends a booking early in one transaction: the nights are released,
// the decision is recorded with what the frozen terms gave, and the refunds
// are written: each Mercado Pago payment (largest first) with a job that
// carries it out, the rest (and any penalty) owed by transfer for the owner
// to settle. The audit entry tells the guest. A booking that is not held or
// confirmed (confirmed only, for a no-show) is a *TransitionError.
func (s *Service) Cancel(ctx context.Context, req CancelRequest) (Cancelled, error) {
	note := strings.TrimSpace(req.Note)
	if utf8.RuneCountInString(note) > MaxNoteLen {
		return Cancelled{}, &ValidationError{Fields: map[string]string{"reason": fmt.Sprintf(
			"El motivo es demasiado largo (máximo %d caracteres).", MaxNoteLen)}}
	}
	action := ActionCancel
	if req.By == PartyNoShow {
		action = ActionNoShow
	}
	var out Cancelled
	err := s.inTx(ctx, func(tx db.Tx) error {
		var err error
		out, err = s.cancelTx(ctx, db.Q(tx), req, action, note)
		return err
	})
	var verr *ValidationError
	var terr *TransitionError
	switch {
	case err == nil:
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrRefundChanged), errors.As(err, &verr), errors.As(err, &terr):
		return Cancelled{}, err
	default:
		return Cancelled{}, fmt.Errorf("booking: cancel reservation %d: %w", req.ReservationID, err)
	}
	if len(out.Refunds) > 0 {
		_ = db.Q(s.DB).WakeQueue(ctx, PaymentsQueue)
	}
	s.Metrics.ReservationsCancel.Inc()
	return out, nil
}

func (s *Service) cancelTx(ctx context.Context, q *dbq.Queries, req CancelRequest, action Action, note string) (Cancelled, error) {
	cur, err := q.GetReservationForUpdate(ctx, req.ReservationID)
	if errors.Is(err, db.ErrNotFound) || (err == nil && req.AccountID != 0 && cur.AccountID != req.AccountID) {
		return Cancelled{}, ErrNotFound
	}
	if err != nil {
		return Cancelled{}, err
	}
	t := transitions[action]
	if !statusIn(Status(cur.Status), t.from) {
		return Cancelled{}, &TransitionError{Action: string(action), From: Status(cur.Status)}
	}
	// The property's check-in time and zone, as quotes read them (cached).
	p, err := s.LoadProperty(ctx, cur.PropertyID)
	if err != nil {
		return Cancelled{}, err
	}
	r := fromRow(cur)
	set := Settle(s.settleInput(r, req.By, p.CheckInTime, p.Timezone))
	if guestSide(req) && set.DaysBefore < 0 {
		// Once the day of arrival has passed, a guest who is (or was) in the
		// house does not free its nights from outside: the owner decides.
		return Cancelled{}, &TransitionError{Action: string(action), From: Status(cur.Status), Started: true}
	}
	if req.ExpectRefund != nil && *req.ExpectRefund != set.Refund {
		return Cancelled{}, ErrRefundChanged
	}
	refund, err := decideRefund(set, req.Refund, note)
	if err != nil {
		return Cancelled{}, err
	}
	now := s.Clock.Now().UTC()
	out := Cancelled{Settlement: set, Refund: refund}
	if _, err := q.ReleaseOccupancy(ctx, dbq.ReleaseOccupancyParams{ID: cur.OccupancyID, Now: now}); err != nil {
		return Cancelled{}, err
	}
	row, err := q.SetReservationStatus(ctx, dbq.SetReservationStatusParams{ID: cur.ID, Status: string(t.to), Now: now})
	if err != nil {
		return Cancelled{}, err
	}
	if err := q.InsertCancellation(ctx, dbq.InsertCancellationParams{ReservationID: cur.ID, AccountID: cur.AccountID,
		By: string(req.By), Currency: cur.Currency, Paid: set.Paid, Computed: set.Refund, Refund: refund,
		Penalty: set.Penalty, Rule: set.Rule, Note: note, Actor: req.Actor, Now: now}); err != nil {
		return Cancelled{}, err
	}
	if req.By == PartyWithdrawal {
		if out.WithdrawalCode, err = recordWithdrawal(ctx, q, row, req, set, refund, now); err != nil {
			return Cancelled{}, err
		}
	}
	if out.Refunds, err = s.writeRefunds(ctx, q, cur, req, refund, set.Penalty, now); err != nil {
		return Cancelled{}, err
	}
	detail := map[string]string{"from": cur.Status, "to": string(t.to), "note": note, "by": string(req.By),
		"refund": refund.String(), "penalty": set.Penalty.String(), "currency": cur.Currency,
		"withdrawal_code": out.WithdrawalCode}
	if err := audit(ctx, q, row, req.Actor, string(action), detail, now); err != nil {
		return Cancelled{}, err
	}
	out.Reservation = fromRow(row)
	out.Reservation.PropertyName, out.Reservation.PropertySlug = p.Name, p.Slug
	return out, nil
}

// recordWithdrawal stores a withdrawal with a new code and its own audit
// entry, 'withdrawn', whose notice tells the guest the code and the owner
// that the stay was withdrawn (internal/whatsapp notify_withdrawal.go).
func recordWithdrawal(ctx context.Context, q *dbq.Queries, row dbq.Reservation, req CancelRequest, set Settlement,
	refund money.Money, now time.Time) (string, error) {
	code := NewWithdrawalCode()
	if _, err := q.InsertWithdrawal(ctx, dbq.InsertWithdrawalParams{AccountID: row.AccountID, ReservationID: row.ID,
		Code: code, Contact: req.Contact, InTime: set.Withdrawal.InTime, ClientNet: req.ClientNet, Now: now}); err != nil {
		return "", err
	}
	detail := map[string]any{"withdrawal_code": code, "refund": refund.String(), "currency": row.Currency,
		"in_time": set.Withdrawal.InTime, "rule": set.Rule}
	return code, audit(ctx, q, row, req.Actor, "withdrawn", detail, now)
}

// guestSide reports a cancellation asked by the guest themselves (guest
// page, API, WhatsApp, the withdrawal button), not by a user of the
// dashboard on their behalf.
func guestSide(req CancelRequest) bool {
	return !strings.HasPrefix(req.Actor, "user:") && (req.By == PartyGuest || req.By == PartyWithdrawal)
}

func statusIn(s Status, in []Status) bool {
	for _, x := range in {
		if x == s {
			return true
		}
	}
	return false
}

// decideRefund checks the owner's decision against the terms: never more
// than was paid, less than the terms give only with a note.
func decideRefund(set Settlement, decided *money.Money, note string) (money.Money, error) {
	if decided == nil {
		return set.Refund, nil
	}
	switch {
	case *decided < 0 || *decided > set.Paid:
		return 0, &ValidationError{Fields: map[string]string{"refund": "La devolución no puede ser negativa ni mayor que lo pagado."}}
	case *decided < set.Refund && note == "":
		return 0, &ValidationError{Fields: map[string]string{"reason": "Para devolver menos de lo que dan las condiciones, escribí por qué."}}
	}
	return *decided, nil
}

// refundReason is the refunds.reason of a cancellation by party.
func refundReason(by Party) string {
	switch by {
	case PartyHost:
		return "host_cancel"
	case PartyWithdrawal:
		return "withdrawal"
	case PartyNoShow:
		return "no_show"
	}
	return "guest_cancel"
}

// writeRefunds splits refund over the payments received: Mercado Pago
// payments first, largest first, each with its job; what is left (money
// received by hand) is owed by transfer, and so is a penalty.
func (s *Service) writeRefunds(ctx context.Context, q *dbq.Queries, res dbq.Reservation, req CancelRequest,
	refund, penalty money.Money, now time.Time) ([]RefundPart, error) {
	pays, err := q.ListRefundablePayments(ctx, res.ID)
	if err != nil {
		return nil, err
	}
	parts := PlanRefunds(res.Currency, ReservationRate(res), int(res.MpSurchargeBp), pays, refund)
	if penalty > 0 {
		parts = append(parts, RefundPart{Method: MethodTransfer, Reason: "penalty", Amount: penalty, Currency: res.Currency})
	}
	for i := range parts {
		p := &parts[i]
		if p.Reason == "" {
			p.Reason = refundReason(req.By)
		}
		status := "owed"
		if p.Method == MethodMercadoPago {
			status = "pending"
		}
		row, err := q.InsertRefund(ctx, dbq.InsertRefundParams{AccountID: res.AccountID, ReservationID: res.ID,
			PaymentID: p.PaymentID, Reason: p.Reason, Method: p.Method, Status: status, Amount: p.Amount,
			Currency: p.Currency, StayAmount: p.StayAmount, Note: req.Note, Actor: req.Actor, Now: now})
		if err != nil {
			return nil, err
		}
		p.ID = row.ID
		if p.Method == MethodMercadoPago {
			if err := q.InsertRefundJob(ctx, dbq.InsertRefundJobParams{Now: now, RefundID: row.ID, Kind: RefundJobKind,
				Queue: PaymentsQueue}); err != nil {
				return nil, err
			}
		}
	}
	return parts, nil
}

// PlanRefunds splits refund (stay currency) over a reservation's payments
// (as ListRefundablePayments gives them, largest first): each Mercado Pago
// payment gives back up to what it counts on the stay, in its own pesos
// (the whole of what is left when all of it goes back, else the PesosCharge
// of the part, so the surcharge goes back in proportion); the rest is one
// transfer in the stay's currency.
func PlanRefunds(currency string, rate *LockedRate, bp int, pays []dbq.ListRefundablePaymentsRow,
	refund money.Money) []RefundPart {
	var parts []RefundPart
	left := refund
	for _, p := range pays {
		if left <= 0 || p.Provider != MethodMercadoPago || p.ProviderID == nil {
			continue
		}
		rest := p.Amount - p.Refunded
		credited := CreditedOf(p.Currency, rest, currency, rate, bp)
		if credited <= 0 {
			continue
		}
		part := min(left, credited)
		pesos := rest
		if part < credited {
			if c, err := PesosCharge(part, currency, rate, bp); err == nil && p.Currency == PesoCurrency {
				pesos = min(rest, c.Total)
			} else {
				pesos = min(rest, part)
			}
		}
		stay := credited - CreditedOf(p.Currency, rest-pesos, currency, rate, bp)
		if pesos <= 0 || stay <= 0 {
			continue // too small to count on the stay: it goes back with the transfer
		}
		id := p.ID
		parts = append(parts, RefundPart{PaymentID: &id, Method: MethodMercadoPago, Amount: pesos,
			Currency: p.Currency, StayAmount: stay})
		left -= stay
	}
	if left > 0 {
		parts = append(parts, RefundPart{Method: MethodTransfer, Amount: left, Currency: currency, StayAmount: left})
	}
	return parts
}

// CreditedOf is what amount of a payment in currency counts on a stay in
// stayCurrency: pesos through Credited (the locked rate, the surcharge
// taken off), the stay's own currency as it is, any other nothing. Refund
// plans and internal/mercadopago's count of an approved payment use it.
func CreditedOf(currency string, amount money.Money, stayCurrency string, rate *LockedRate, bp int) money.Money {
	switch currency {
	case PesoCurrency:
		return Credited(amount, stayCurrency, rate, bp)
	case stayCurrency:
		return amount
	}
	return 0
}
