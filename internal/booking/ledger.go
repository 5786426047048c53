package booking

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

// Kinds of ledger entries.
const (
	// LedgerPayment: a seña or balance payment (Mercado Pago, transfer, cash…).
	LedgerPayment = "payment"
	// LedgerSurcharge: the Mercado Pago surcharge of a payment, its own part: never stay money.
	LedgerSurcharge = "surcharge"
	// LedgerRefund: a refunds row (Mercado Pago, transfer, cash).
	LedgerRefund = "refund"
	// LedgerRefundedInMP: what Mercado Pago gave back of a payment beyond our
	// refunds rows (refunded from Mercado Pago's own site, a chargeback).
	LedgerRefundedInMP = "refunded_in_mp"
	// LedgerPenalty: what the host pays beyond the payments (seña penitencial).
	LedgerPenalty = "penalty"
	// LedgerDeposit, LedgerDepositReturn, LedgerDepositKept: the damage
	// deposit received, given back, and kept for damage.
	LedgerDeposit       = "deposit"
	LedgerDepositReturn = "deposit_return"
	LedgerDepositKept   = "deposit_kept"
)

// LedgerEntry is one amount in or out of a reservation.
type LedgerEntry struct {
	At   time.Time
	Kind string
	// In is money from the guest; out is money back to the guest (a kept
	// deposit is neither: it stays with the host).
	In bool
	// Method: mercadopago, transfer, cash, other, balance.
	Method string
	// Status is the row's own: a payment's (approved, pending, rejected…),
	// a refund's (pending, owed, done, failed), a deposit's (received,
	// returned, kept).
	Status string
	// Amount is what moved, in the currency it moved in (pesos for Mercado Pago).
	Amount money.Amount
	// Stay is what the entry counts on reservations.paid, in the stay's
	// currency, always ≥ 0 (its sign is In); 0 when it is not stay money or
	// has not happened (a pending refund, a rejected payment).
	Stay money.Money
	// Counted says it moved money (approved, done): what reports count.
	Counted bool
	// Actor ("user:3", "mercadopago", "guest"…) and the user's name when a user did it.
	Actor, UserName string
	Note            string
	Reference       string // Mercado Pago's payment id
}

// Ledger is every amount of a reservation in and out, oldest first.
type Ledger struct {
	Currency string
	Entries  []LedgerEntry
	// StayIn and StayOut are the stay money received and given back (stay
	// currency); StayIn − StayOut is reservations.paid.
	StayIn, StayOut money.Money
	// Moved is the money that moved per currency, in less out, counting
	// payments (surcharges included) and stay refunds but no deposit and no
	// penalty: what the reports' "cobrado" counts.
	Moved map[string]money.Money
	// Deposit is the damage deposit received (nil: none yet).
	Deposit *dbq.GetDamageDepositRow
}

// StayNet is the stay money kept: it equals reservations.paid.
func (l Ledger) StayNet() money.Money { return l.StayIn - l.StayOut }

// Ledger reads the ledger of the account's reservation code; another
// account's is ErrNotFound.
func (s *Service) Ledger(ctx context.Context, accountID int64, code string) (Ledger, error) {
	q := db.Q(s.DB)
	row, err := q.GetReservationByCode(ctx, strings.ToUpper(code))
	if errors.Is(err, db.ErrNotFound) || (err == nil && row.Reservation.AccountID != accountID) {
		return Ledger{}, ErrNotFound
	}
	if err != nil {
		return Ledger{}, fmt.Errorf("booking: ledger of %s: %w", code, err)
	}
	res := row.Reservation
	rows, err := q.ListLedger(ctx, dbq.ListLedgerParams{ReservationID: res.ID, AccountID: accountID})
	if err != nil {
		return Ledger{}, fmt.Errorf("booking: ledger of %s: %w", code, err)
	}
	var dep *dbq.GetDamageDepositRow
	d, err := q.GetDamageDeposit(ctx, dbq.GetDamageDepositParams{ReservationID: res.ID, AccountID: accountID})
	switch {
	case err == nil:
		dep = &d
	case !errors.Is(err, db.ErrNotFound):
		return Ledger{}, fmt.Errorf("booking: ledger of %s: deposit: %w", code, err)
	}
	return BuildLedger(res, rows, dep), nil
}

// BuildLedger turns a reservation's payments, refunds and deposit into
// entries. A Mercado Pago payment counts what booking.Credited gives for
// it; its surcharge is an entry of its own; what Mercado Pago refunded of
// it beyond our done refunds rows is one more entry, so that the stay sum
// is reservations.paid whoever refunded (internal/mercadopago counts an
// approved payment as Credited(amount − refunded), anything else as 0).
func BuildLedger(res dbq.Reservation, rows []dbq.ListLedgerRow, dep *dbq.GetDamageDepositRow) Ledger {
	l := Ledger{Currency: res.Currency, Moved: map[string]money.Money{}, Deposit: dep}
	doneRefunds := map[int64][2]money.Money{} // payment id → pesos and stay given back by done rows
	for _, r := range rows {
		if r.Source == "refund" && r.Status == "done" && r.PaymentID != 0 {
			d := doneRefunds[r.PaymentID]
			doneRefunds[r.PaymentID] = [2]money.Money{d[0] + r.Amount, d[1] + r.StayAmount}
		}
	}
	for _, r := range rows {
		if r.Source == "payment" {
			l.addPayment(res, r, doneRefunds[r.ID])
		} else {
			l.addRefund(r)
		}
	}
	if dep != nil {
		l.addDeposit(*dep)
	}
	sort.SliceStable(l.Entries, func(i, j int) bool { return l.Entries[i].At.Before(l.Entries[j].At) })
	return l
}

// received are the payment statuses of money that reached the host at
// some point (a refund or a chargeback may have taken it back since).
var received = map[string]bool{"approved": true, "refunded": true, "charged_back": true, "in_mediation": true}

func (l *Ledger) addPayment(res dbq.Reservation, r dbq.ListLedgerRow, done [2]money.Money) {
	e := LedgerEntry{At: r.At, Kind: LedgerPayment, In: true, Method: r.Method, Status: r.Status,
		Amount: money.In(r.Amount, r.Currency), Actor: r.Actor, UserName: r.Who, Note: r.Note}
	if r.Provider == MethodMercadoPago {
		e.Method, e.Reference = MethodMercadoPago, r.Reference
	}
	if !received[r.Status] {
		l.Entries = append(l.Entries, e)
		return
	}
	rate, bp := ReservationRate(res), int(res.MpSurchargeBp)
	credit := func(m money.Money) money.Money {
		if r.Provider == MethodMercadoPago {
			return CreditedOf(r.Currency, m, res.Currency, rate, bp)
		}
		if r.Currency == res.Currency { // received by hand: counted as it is (AddManualPayment)
			return m
		}
		return 0
	}
	e.Stay, e.Counted = credit(r.Amount), true
	l.Entries = append(l.Entries, e)
	l.StayIn += e.Stay
	l.Moved[r.Currency] += r.Amount
	if r.Provider == MethodMercadoPago && r.Currency == PesoCurrency && e.Stay > 0 {
		if c, err := PesosCharge(e.Stay, res.Currency, rate, 0); err == nil && c.Total < r.Amount {
			// The surcharge is its own part: the payment shows what is stay.
			sur := r.Amount - c.Total
			l.Entries[len(l.Entries)-1].Amount.Value = c.Total
			l.Entries = append(l.Entries, LedgerEntry{At: r.At, Kind: LedgerSurcharge, In: true, Method: MethodMercadoPago,
				Status: r.Status, Amount: money.In(sur, r.Currency), Counted: true, Actor: r.Actor, Reference: e.Reference})
		}
	}
	// What the payment still counts, as internal/mercadopago counts it.
	left, leftPesos := money.Money(0), money.Money(0)
	if r.Status == "approved" {
		leftPesos = max(r.Amount-r.Refunded, 0)
		left = credit(leftPesos)
	}
	outStay, outPesos := e.Stay-left-done[1], r.Amount-leftPesos-done[0]
	if outStay == 0 && outPesos == 0 {
		return
	}
	// When Mercado Pago last told us of the payment is when it was given back.
	ex := LedgerEntry{At: r.ChangedAt, Kind: LedgerRefundedInMP, Method: e.Method, Status: r.Status,
		Amount: money.In(outPesos, r.Currency), Stay: outStay, Counted: true, Actor: MethodMercadoPago,
		Reference: e.Reference}
	l.Entries = append(l.Entries, ex)
	l.StayOut += outStay
	l.Moved[r.Currency] -= outPesos
}

func (l *Ledger) addRefund(r dbq.ListLedgerRow) {
	e := LedgerEntry{At: r.At, Kind: LedgerRefund, Method: r.Method, Status: r.Status,
		Amount: money.In(r.Amount, r.Currency), Actor: r.Actor, UserName: r.Who, Note: r.Note}
	if r.Reason == "penalty" {
		e.Kind = LedgerPenalty
	}
	if r.Status == "done" {
		e.Counted, e.Stay = true, r.StayAmount
		l.StayOut += r.StayAmount
		// A penalty is the host's own money, not a collection given back.
		if r.PaymentID != 0 || r.StayAmount > 0 {
			l.Moved[r.Currency] -= r.Amount
		}
	}
	l.Entries = append(l.Entries, e)
}

func (l *Ledger) addDeposit(d dbq.GetDamageDepositRow) {
	amount := func(m money.Money) money.Amount { return money.In(m, d.Currency) }
	l.Entries = append(l.Entries, LedgerEntry{At: d.ReceivedAt, Kind: LedgerDeposit, In: true, Method: d.Method,
		Status: "received", Amount: amount(d.Amount), Counted: true, UserName: d.ReceivedByName, Actor: "user"})
	if d.SettledAt == nil {
		return
	}
	if d.Returned > 0 {
		l.Entries = append(l.Entries, LedgerEntry{At: *d.SettledAt, Kind: LedgerDepositReturn, Method: d.Method,
			Status: "returned", Amount: amount(d.Returned), Counted: true, UserName: d.SettledByName, Actor: "user",
			Note: d.Note})
	}
	if d.Deducted > 0 {
		l.Entries = append(l.Entries, LedgerEntry{At: *d.SettledAt, Kind: LedgerDepositKept, Method: d.Method,
			Status: "kept", Amount: amount(d.Deducted), Counted: true, UserName: d.SettledByName, Actor: "user",
			Note: d.Note})
	}
}
