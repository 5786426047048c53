package receipts_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
	"alojamientos/internal/money"
	"alojamientos/internal/receipts"
)

type env struct {
	*bookingtest.Env
	svc *receipts.Service
	ctx context.Context
}

func newEnv(t *testing.T) env {
	e := bookingtest.New(t, bookingtest.Options{})
	svc := receipts.New(receipts.Deps{DB: e.Pool, Clock: e.Clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Booking: e.Booking})
	return env{Env: e, svc: svc, ctx: context.Background()}
}

// receiptPDF is a valid PDF that differs for every n.
func receiptPDF(n int) []byte { return pdf(basePDF(fmt.Sprintf("/Comprobante %d", n)), "") }

func (e env) add(t *testing.T, resID int64, n int) (receipts.Receipt, error) {
	t.Helper()
	return e.svc.Add(e.ctx, receipts.Upload{AccountID: e.Account.ID, ReservationID: resID, Source: receipts.SourceGuestPage,
		Data: receiptPDF(n)})
}

func (e env) count(t *testing.T, sql string, args ...any) int {
	return dbtest.Count(t, e.Pool, sql, args...)
}

func (e env) expiry(t *testing.T, id int64) time.Time {
	var at time.Time
	require.NoError(t, e.Pool.QueryRow(e.ctx, "SELECT hold_expires_at FROM reservations WHERE id = $1", id).Scan(&at))
	return at
}

func TestAddStoresOnceAndExtendsTheHoldOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))
	before := e.expiry(t, r.ID)

	rc, err := e.add(t, r.ID, 1)
	require.NoError(t, err)
	require.Equal(t, receipts.StatusReview, rc.Status)
	require.Equal(t, receipts.SourceGuestPage, rc.Source)
	require.Equal(t, "application/pdf", rc.ContentType)
	require.Equal(t, len(receiptPDF(1)), rc.Size)
	require.Nil(t, rc.PaymentID)

	// The property's receipt_hold_hours (12 by default), with its own expiry job.
	extended := before.Add(12 * time.Hour)
	require.WithinDuration(t, extended, e.expiry(t, r.ID), time.Millisecond)
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM river_job WHERE kind = 'booking.expire_hold'
		AND (args->>'reservation_id')::bigint = $1 AND scheduled_at = $2`, r.ID, e.expiry(t, r.ID)))
	require.Equal(t, 1, e.count(t, "SELECT count(*) FROM reservations WHERE id = $1 AND receipt_hold_extended", r.ID))
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'receipt_uploaded'
		AND (detail->>'receipt_id')::bigint = $2 AND detail->>'source' = 'guest_page'`, r.ID, rc.ID))

	// The same file again: the same receipt, nothing new.
	again, err := e.add(t, r.ID, 1)
	require.NoError(t, err)
	require.Equal(t, rc.ID, again.ID)
	require.Equal(t, 1, e.count(t, "SELECT count(*) FROM receipts WHERE reservation_id = $1", r.ID))
	require.Equal(t, 1, e.count(t, "SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'receipt_uploaded'", r.ID))

	// Another receipt: stored, but the hold is extended only once.
	e.Clock.Advance(time.Hour)
	_, err = e.add(t, r.ID, 2)
	require.NoError(t, err)
	require.WithinDuration(t, extended, e.expiry(t, r.ID), time.Millisecond)
	require.Equal(t, 1, e.count(t, "SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'hold_extended'", r.ID))
	require.Equal(t, 2, e.count(t, "SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'receipt_uploaded'", r.ID))
}

func TestAddRefusesTheSixth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))
	var first receipts.Receipt
	for i := 1; i <= receipts.MaxPerReservation; i++ {
		rc, err := e.add(t, r.ID, i)
		require.NoError(t, err)
		if i == 1 {
			first = rc
		}
	}
	// A rejected one still counts.
	require.NoError(t, e.svc.Reject(e.ctx, receipts.Rejection{AccountID: e.Account.ID, ReceiptID: first.ID,
		Actor: "test", Reason: "No llegó."}))
	_, err := e.add(t, r.ID, 99)
	require.ErrorIs(t, err, receipts.ErrTooMany)
	require.Equal(t, "Ya recibimos 5 comprobantes para esta reserva: el anfitrión los va a revisar.", receipts.Message(err))
	require.Equal(t, 5, e.count(t, "SELECT count(*) FROM receipts WHERE reservation_id = $1", r.ID))
	// A file already stored is still the same answer, not a refusal.
	again, err := e.add(t, r.ID, 3)
	require.NoError(t, err)
	require.Equal(t, receipts.StatusReview, again.Status)
}

func TestAddRefusesCancelledPaidAndForeign(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.Property(t)
	cancelled := e.Hold(t, p.ID, e.Day(10), e.Day(12))
	_, err := e.Booking.Transition(e.ctx, cancelled.ID, booking.ActionCancel, "test", "")
	require.NoError(t, err)
	_, err = e.add(t, cancelled.ID, 1)
	require.ErrorIs(t, err, receipts.ErrCancelled)
	require.Contains(t, receipts.Message(err), "cancelada")

	paid := e.Hold(t, p.ID, e.Day(20), e.Day(22))
	_, err = e.Booking.AddManualPayment(e.ctx, booking.ManualPayment{ReservationID: paid.ID, AccountID: e.Account.ID,
		Amount: paid.Total, Method: "cash", Actor: "test"})
	require.NoError(t, err)
	_, err = e.add(t, paid.ID, 1)
	require.ErrorIs(t, err, receipts.ErrPaid)
	require.Contains(t, receipts.Message(err), "ya está paga")

	other := dbtest.Account(t, e.Pool)
	live := e.Hold(t, p.ID, e.Day(30), e.Day(32))
	_, err = e.svc.Add(e.ctx, receipts.Upload{AccountID: other.ID, ReservationID: live.ID, Source: receipts.SourceGuestPage,
		Data: receiptPDF(1)})
	require.ErrorIs(t, err, booking.ErrNotFound)
	_, err = e.add(t, 999999, 1)
	require.ErrorIs(t, err, booking.ErrNotFound)

	// A bad file is refused before anything is read.
	_, err = e.svc.Add(e.ctx, receipts.Upload{AccountID: e.Account.ID, ReservationID: live.ID, Source: receipts.SourceGuestPage,
		Data: []byte("<html>")})
	require.ErrorIs(t, err, receipts.ErrType)
	_, err = e.svc.Add(e.ctx, receipts.Upload{AccountID: e.Account.ID, ReservationID: live.ID, Source: "email", Data: receiptPDF(1)})
	require.Error(t, err)
	require.False(t, receipts.Refused(err))
	require.Equal(t, 0, e.count(t, "SELECT count(*) FROM receipts"))
}

func TestAddSameWhatsAppMediaOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))
	up := receipts.Upload{AccountID: e.Account.ID, ReservationID: r.ID, Source: receipts.SourceWhatsApp, SourceRef: "wamid-media-1",
		Data: receiptPDF(1)}
	rc, err := e.svc.Add(e.ctx, up)
	require.NoError(t, err)
	require.Equal(t, receipts.SourceWhatsApp, rc.Source)
	up.Data = receiptPDF(2) // the redelivery is the same media id, whatever came back
	again, err := e.svc.Add(e.ctx, up)
	require.NoError(t, err)
	require.Equal(t, rc.ID, again.ID)
	require.Equal(t, 1, e.count(t, "SELECT count(*) FROM receipts WHERE source_ref = 'wamid-media-1'"))
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM audit_log WHERE action = 'receipt_uploaded' AND actor = 'whatsapp'
		AND detail->>'source' = 'whatsapp'`))
}

func TestConfirmRecordsOnePaymentUnderParallelClicks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12)) // total 20000, deposit 6000
	rc, err := e.add(t, r.ID, 1)
	require.NoError(t, err)
	uid := dbtest.User(t, e.Pool, e.Account.ID, "owner").ID

	const clicks = 8
	results := make([]booking.PaymentResult, clicks)
	errs := make([]error, clicks)
	var wg sync.WaitGroup
	for i := range clicks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = e.svc.Confirm(e.ctx, receipts.Review{AccountID: e.Account.ID, ReceiptID: rc.ID, UserID: uid,
				Actor: "user:1", Amount: money.FromUnits(6000)})
		}()
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		if err == nil {
			ok++
			require.True(t, results[i].Confirmed, "the deposit is covered: the hold is confirmed")
			require.Equal(t, booking.StatusConfirmed, results[i].Reservation.Status)
			continue
		}
		require.ErrorIs(t, err, receipts.ErrReviewed)
		require.Equal(t, "Este comprobante ya fue revisado.", receipts.Message(err))
	}
	require.Equal(t, 1, ok)
	require.Equal(t, 1, e.count(t, "SELECT count(*) FROM payments WHERE reservation_id = $1", r.ID))
	var paid money.Money
	var status, method string
	var payID, receiptPay, reviewer int64
	require.NoError(t, e.Pool.QueryRow(e.ctx, `SELECT r.paid, r.status, p.method, p.id, rc.payment_id, rc.reviewed_by
		FROM reservations r JOIN payments p ON p.reservation_id = r.id JOIN receipts rc ON rc.reservation_id = r.id
		WHERE r.id = $1`, r.ID).Scan(&paid, &status, &method, &payID, &receiptPay, &reviewer))
	require.Equal(t, []any{money.FromUnits(6000), "confirmed", "transfer", payID, uid},
		[]any{paid, status, method, receiptPay, reviewer})
	list, err := e.svc.List(e.ctx, e.Account.ID, r.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, receipts.StatusConfirmed, list[0].Status)
	require.Equal(t, &payID, list[0].PaymentID)
	// Reviewed: it cannot be rejected either.
	err = e.svc.Reject(e.ctx, receipts.Rejection{AccountID: e.Account.ID, ReceiptID: rc.ID, Actor: "test", Reason: "x"})
	require.ErrorIs(t, err, receipts.ErrReviewed)
}

func TestConfirmPartialAndWrongAmounts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12)) // total 20000, deposit 6000
	rc, err := e.add(t, r.ID, 1)
	require.NoError(t, err)
	review := receipts.Review{AccountID: e.Account.ID, ReceiptID: rc.ID, Actor: "test", Amount: money.FromUnits(20001)}
	_, err = e.svc.Confirm(e.ctx, review)
	var ve *booking.ValidationError
	require.ErrorAs(t, err, &ve)
	require.True(t, receipts.Refused(err))
	require.Equal(t, "El pago supera el saldo pendiente de la reserva.", receipts.Message(err))
	review.Amount = 0
	_, err = e.svc.Confirm(e.ctx, review)
	require.ErrorAs(t, err, &ve)
	require.Contains(t, receipts.Message(err), "mayor que cero")
	require.Equal(t, 0, e.count(t, "SELECT count(*) FROM payments"))
	require.Equal(t, 1, e.count(t, "SELECT count(*) FROM receipts WHERE status = 'en_revision'"))

	// Less than the deposit: recorded, the hold stays a hold.
	review.Amount = money.FromUnits(1000)
	res, err := e.svc.Confirm(e.ctx, review)
	require.NoError(t, err)
	require.False(t, res.Confirmed)
	require.Equal(t, booking.StatusPreReserved, res.Reservation.Status)
	require.Equal(t, money.FromUnits(1000), res.Reservation.Paid)

	// Once the reservation is cancelled no payment is recorded from a receipt.
	_, err = e.Booking.Transition(e.ctx, r.ID, booking.ActionCancel, "test", "")
	require.NoError(t, err)
	rc2, err := e.svc.Add(e.ctx, receipts.Upload{AccountID: e.Account.ID, ReservationID: r.ID, Source: receipts.SourceGuestPage,
		Data: receiptPDF(2)})
	require.ErrorIs(t, err, receipts.ErrCancelled)
	require.Zero(t, rc2.ID)
	_, err = e.svc.Confirm(e.ctx, review)
	require.ErrorIs(t, err, receipts.ErrReviewed, "confirmed above already")
	// A receipt still under review from before the cancellation (inserted as it was stored then).
	_, err = e.Pool.Exec(e.ctx, "INSERT INTO receipts (account_id, reservation_id, source, content_type, size, sha256, data) VALUES ($1, $2, 'guest_page', 'application/pdf', 1, repeat('a', 64), 'x')",
		e.Account.ID, r.ID)
	require.NoError(t, err)
	var pending int64
	require.NoError(t, e.Pool.QueryRow(e.ctx, "SELECT id FROM receipts WHERE reservation_id = $1 AND status = 'en_revision'", r.ID).Scan(&pending))
	_, err = e.svc.Confirm(e.ctx, receipts.Review{AccountID: e.Account.ID, ReceiptID: pending, Actor: "test", Amount: 100})
	var te *booking.TransitionError
	require.ErrorAs(t, err, &te)
	require.True(t, receipts.Refused(err))
	require.Contains(t, receipts.Message(err), "cancelada")

	// Another account's receipt is not found.
	other := dbtest.Account(t, e.Pool)
	_, err = e.svc.Confirm(e.ctx, receipts.Review{AccountID: other.ID, ReceiptID: rc.ID, Actor: "test", Amount: 1})
	require.ErrorIs(t, err, booking.ErrNotFound)
	_, err = e.svc.Open(e.ctx, other.ID, rc.ID)
	require.ErrorIs(t, err, booking.ErrNotFound)
}

func TestRejectTellsTheGuest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))
	rc, err := e.add(t, r.ID, 1)
	require.NoError(t, err)
	_, err = e.Pool.Exec(e.ctx, "INSERT INTO whatsapp_settings (account_id, enabled) VALUES ($1, true)", e.Account.ID)
	require.NoError(t, err)

	rej := receipts.Rejection{AccountID: e.Account.ID, ReceiptID: rc.ID, Actor: "user:1", Reason: "   "}
	err = e.svc.Reject(e.ctx, rej)
	require.ErrorIs(t, err, receipts.ErrReasonRequired)
	require.Contains(t, receipts.Message(err), "Escribí por qué")
	rej.Reason = strings.Repeat("á", receipts.MaxReasonLen+1)
	err = e.svc.Reject(e.ctx, rej)
	require.ErrorIs(t, err, receipts.ErrReasonTooLong)
	require.Contains(t, receipts.Message(err), "máximo 500")
	require.NoError(t, e.svc.Reject(e.ctx, receipts.Rejection{AccountID: e.Account.ID, ReceiptID: rc.ID, Actor: "user:1",
		Reason: " La transferencia no llegó a la cuenta. "}))

	list, err := e.svc.List(e.ctx, e.Account.ID, r.ID)
	require.NoError(t, err)
	require.Equal(t, receipts.StatusRejected, list[0].Status)
	require.Equal(t, "La transferencia no llegó a la cuenta.", list[0].RejectReason)
	var auditID int64
	require.NoError(t, e.Pool.QueryRow(e.ctx, `SELECT id FROM audit_log WHERE reservation_id = $1 AND action = 'receipt_rejected'
		AND detail->>'reason' = 'La transferencia no llegó a la cuenta.' AND (detail->>'receipt_id')::bigint = $2`,
		r.ID, rc.ID).Scan(&auditID))
	require.Equal(t, 1, e.count(t, `SELECT count(*) FROM river_job WHERE kind = 'whatsapp.notify'
		AND (args->>'audit_id')::bigint = $1`, auditID), "the trigger queues the guest's notice")

	err = e.svc.Reject(e.ctx, receipts.Rejection{AccountID: e.Account.ID, ReceiptID: rc.ID, Actor: "user:1", Reason: "otra"})
	require.ErrorIs(t, err, receipts.ErrReviewed)
	_, err = e.svc.Confirm(e.ctx, receipts.Review{AccountID: e.Account.ID, ReceiptID: rc.ID, Actor: "test", Amount: 1})
	require.ErrorIs(t, err, receipts.ErrReviewed)
	err = e.svc.Reject(e.ctx, receipts.Rejection{AccountID: e.Account.ID, ReceiptID: 424242, Actor: "user:1", Reason: "x"})
	require.ErrorIs(t, err, booking.ErrNotFound)
}

func TestListOpenPending(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12)) // deposit 6000
	in := jpegWithEXIF(t)
	rc, err := e.svc.Add(e.ctx, receipts.Upload{AccountID: e.Account.ID, ReservationID: r.ID, Source: receipts.SourceGuestPage, Data: in})
	require.NoError(t, err)
	f, err := e.svc.Open(e.ctx, e.Account.ID, rc.ID)
	require.NoError(t, err)
	require.Equal(t, "image/jpeg", f.ContentType)
	require.NotContains(t, string(f.Data), secret, "the stored file is the cleaned one")
	require.Equal(t, len(f.Data), rc.Size)

	pending, err := e.svc.Pending(e.ctx, e.Account.ID)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	got := pending[0]
	require.Equal(t, []any{rc.ID, r.ID, r.Code, "Huésped de Prueba", p.Name, money.In(money.FromUnits(6000), "ARS")},
		[]any{got.ID, got.ReservationID, got.Code, got.GuestName, got.PropertyName, got.Expected})

	// Deposit paid: what is expected is the rest of the total.
	_, err = e.svc.Confirm(e.ctx, receipts.Review{AccountID: e.Account.ID, ReceiptID: rc.ID, Actor: "test", Amount: money.FromUnits(6000)})
	require.NoError(t, err)
	rc2, err := e.add(t, r.ID, 2)
	require.NoError(t, err)
	pending, err = e.svc.Pending(e.ctx, e.Account.ID)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	require.Equal(t, rc2.ID, pending[0].ID)
	require.Equal(t, money.In(money.FromUnits(14000), "ARS"), pending[0].Expected)

	other := dbtest.Account(t, e.Pool)
	none, err := e.svc.Pending(e.ctx, other.ID)
	require.NoError(t, err)
	require.Empty(t, none)
	none2, err := e.svc.List(e.ctx, other.ID, r.ID)
	require.NoError(t, err)
	require.Empty(t, none2)
	require.False(t, errors.Is(err, booking.ErrNotFound))
}
