package booking_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
	"alojamientos/internal/money"
)

// depositStay is a confirmed stay of a property that asks a damage deposit
// of $ 50.000 in cash (frozen on the hold), with the seña paid by hand.
func depositStay(t *testing.T, e *bookingtest.Env) (booking.Reservation, int64) {
	t.Helper()
	ctx := context.Background()
	p := e.Property(t)
	_, err := e.Pool.Exec(ctx, `UPDATE properties SET damage_deposit = 50000, damage_deposit_method = 'cash' WHERE id = $1`, p.ID)
	require.NoError(t, err)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12)) // 20000, seña 6000
	require.Equal(t, money.FromUnits(50000), r.DamageDeposit, "the hold freezes the deposit")
	require.Equal(t, booking.DepositCash, r.DamageDepositMethod)
	_, err = e.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: r.ID, AccountID: e.Account.ID,
		Amount: money.FromUnits(6000), Method: "transfer", Actor: "test"})
	require.NoError(t, err)
	return r, dbtest.User(t, e.Pool, e.Account.ID, "owner").ID
}

func TestDepositRecordedAndReturnedWithDeduction(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	r, uid := depositStay(t, e)

	// Amount 0 takes the frozen amount; paid does not move.
	d, err := e.Booking.RecordDeposit(ctx, booking.DepositReceipt{AccountID: e.Account.ID, ReservationID: r.ID,
		UserID: uid, Method: booking.DepositCash, Actor: "user:1"})
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(50000), d.Amount)
	require.Equal(t, "ARS", d.Currency)
	got, err := e.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(6000), got.Paid, "a deposit is not stay money")

	// A second receipt is refused.
	_, err = e.Booking.RecordDeposit(ctx, booking.DepositReceipt{AccountID: e.Account.ID, ReservationID: r.ID,
		Method: booking.DepositCash, Actor: "user:1"})
	var verr *booking.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields["deposit_amount"], "ya está registrado")

	// A deduction without a note, or above the deposit, is refused and changes nothing.
	_, err = e.Booking.ReturnDeposit(ctx, booking.DepositReturn{AccountID: e.Account.ID, ReservationID: r.ID,
		Deducted: money.FromUnits(8000), Note: "  ", Actor: "user:1"})
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields, "deposit_note")
	_, err = e.Booking.ReturnDeposit(ctx, booking.DepositReturn{AccountID: e.Account.ID, ReservationID: r.ID,
		Deducted: money.FromUnits(50001), Note: "todo", Actor: "user:1"})
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields, "deducted")
	require.Equal(t, 0, countRows(t, e, `SELECT count(*) FROM damage_deposits WHERE reservation_id = $1 AND settled_at IS NOT NULL`, r.ID))

	d, err = e.Booking.ReturnDeposit(ctx, booking.DepositReturn{AccountID: e.Account.ID, ReservationID: r.ID, UserID: uid,
		Deducted: money.FromUnits(8000), Note: " se descontó una copa rota ", Actor: "user:1"})
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(8000), d.Deducted)
	require.Equal(t, money.FromUnits(42000), d.Returned)
	require.Equal(t, "se descontó una copa rota", d.Note)
	require.NotNil(t, d.SettledAt)

	// Returned once only.
	_, err = e.Booking.ReturnDeposit(ctx, booking.DepositReturn{AccountID: e.Account.ID, ReservationID: r.ID, Actor: "user:1"})
	require.ErrorIs(t, err, booking.ErrDepositSettled)

	got, err = e.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(6000), got.Paid, "returning a deposit is not a refund of stay money")
	require.Equal(t, []string{"hold_created", booking.ActionPaymentAdd, "confirm", booking.ActionDepositReceived,
		booking.ActionDepositReturned}, trAudit(t, e, r.ID))
	var note, returned string
	require.NoError(t, e.Pool.QueryRow(ctx, `SELECT detail->>'note', detail->>'returned' FROM audit_log
		WHERE reservation_id = $1 AND action = 'deposit_returned'`, r.ID).Scan(&note, &returned))
	require.Equal(t, []string{"se descontó una copa rota", "42000.00"}, []string{note, returned})

	// The ledger shows the deposit apart from the stay money.
	l, err := e.Booking.Ledger(ctx, e.Account.ID, r.Code)
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(6000), l.StayNet())
	require.Equal(t, map[string]money.Money{"ARS": money.FromUnits(6000)}, l.Moved)
	var kinds []string
	for _, en := range l.Entries {
		kinds = append(kinds, en.Kind)
	}
	require.Equal(t, []string{booking.LedgerPayment, booking.LedgerDeposit, booking.LedgerDepositReturn,
		booking.LedgerDepositKept}, kinds)
}

func TestDepositReturnedWhole(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	r, _ := depositStay(t, e)

	_, err := e.Booking.ReturnDeposit(ctx, booking.DepositReturn{AccountID: e.Account.ID, ReservationID: r.ID, Actor: "t"})
	require.ErrorIs(t, err, booking.ErrNoDeposit, "nothing received, nothing to return")

	_, err = e.Booking.RecordDeposit(ctx, booking.DepositReceipt{AccountID: e.Account.ID, ReservationID: r.ID,
		Amount: money.FromUnits(30000), Method: booking.DepositTransfer, Actor: "t"})
	require.NoError(t, err)
	d, err := e.Booking.ReturnDeposit(ctx, booking.DepositReturn{AccountID: e.Account.ID, ReservationID: r.ID, Actor: "t"})
	require.NoError(t, err, "no deduction needs no note")
	require.Equal(t, money.FromUnits(30000), d.Returned)
	require.Zero(t, d.Deducted)
}

func TestDepositRefusals(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	hold := e.Hold(t, p.ID, e.Day(10), e.Day(12))

	// A hold has no deposit to receive yet; a bad method is refused first.
	_, err := e.Booking.RecordDeposit(ctx, booking.DepositReceipt{AccountID: e.Account.ID, ReservationID: hold.ID,
		Method: booking.DepositCash, Amount: 100, Actor: "t"})
	var terr *booking.TransitionError
	require.ErrorAs(t, err, &terr)
	_, err = e.Booking.RecordDeposit(ctx, booking.DepositReceipt{AccountID: e.Account.ID, ReservationID: hold.ID,
		Method: "bitcoin", Amount: 100, Actor: "t"})
	var verr *booking.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields, "deposit_method")

	// A confirmed stay that froze no deposit needs an amount.
	_, err = e.Booking.Transition(ctx, hold.ID, booking.ActionConfirm, "t", "")
	require.NoError(t, err)
	_, err = e.Booking.RecordDeposit(ctx, booking.DepositReceipt{AccountID: e.Account.ID, ReservationID: hold.ID,
		Method: booking.DepositCash, Actor: "t"})
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields, "deposit_amount")

	// Another account's reservation is not found.
	other := dbtest.Account(t, e.Pool)
	_, err = e.Booking.RecordDeposit(ctx, booking.DepositReceipt{AccountID: other.ID, ReservationID: hold.ID,
		Method: booking.DepositCash, Amount: 100, Actor: "t"})
	require.ErrorIs(t, err, booking.ErrNotFound)
	_, err = e.Booking.Ledger(ctx, other.ID, hold.Code)
	require.ErrorIs(t, err, booking.ErrNotFound)
}

func TestDepositSettingsChecked(t *testing.T) {
	t.Parallel()
	in := booking.PaymentTermsInput{Cash: true, BalanceAtArrival: true, ReceiptHoldHours: "0", DamageDeposit: "50.000",
		DamageDepositMethod: booking.DepositTransfer}
	terms, err := in.Check()
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(50000), terms.DamageDeposit)
	require.Equal(t, booking.DepositTransfer, terms.DamageDepositMethod)
	require.Equal(t, "50.000", booking.InputFromTerms(terms).DamageDeposit)

	in.DamageDeposit, in.DamageDepositMethod = "mucho", "cheque"
	_, err = in.Check()
	var verr *booking.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields["damage_deposit"], "Escribí el monto del depósito")
	require.Contains(t, verr.Fields["damage_deposit_method"], "Elegí cómo se cobra el depósito")

	require.Equal(t, "Depósito en garantía: $ 50.000,00, se paga junto con el saldo y se devuelve después de la salida.",
		booking.DepositTerms(money.FromUnits(50000), "ARS", booking.DepositBalance))
	require.Empty(t, booking.DepositTerms(0, "ARS", booking.DepositCash))
}

func countRows(t *testing.T, e *bookingtest.Env, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, e.Pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}
