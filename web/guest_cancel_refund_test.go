package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// gcPay makes Mercado Pago approve a payment of amount pesos for r and
// applies it, as the notification would.
func gcPay(t *testing.T, s *webtest.Server, fake *mptest.Server, code string, amount money.Money) string {
	t.Helper()
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", StatusDetail: "accredited", Reference: code, Amount: amount})
	p, err := s.MercadoPago.Client.GetPayment(context.Background(), pid)
	require.NoError(t, err)
	_, err = s.MercadoPago.ApplyPayment(context.Background(), p)
	require.NoError(t, err)
	return pid
}

// gcRefunds reads a reservation's refund rows: method, status, amount, payment's MP id.
type gcRefund struct {
	ID          int64
	Method      string
	Status      string
	Amount      money.Money
	ProviderID  string
	ProviderRef string
}

func gcRefunds(t *testing.T, s *webtest.Server, resID int64) []gcRefund {
	t.Helper()
	rows, err := s.Pool.Query(context.Background(), `SELECT r.id, r.method, r.status, r.amount, COALESCE(p.provider_id, ''), r.provider_ref
		FROM refunds r LEFT JOIN payments p ON p.id = r.payment_id WHERE r.reservation_id = $1 ORDER BY r.id`, resID)
	require.NoError(t, err)
	defer rows.Close()
	var out []gcRefund
	for rows.Next() {
		var r gcRefund
		require.NoError(t, rows.Scan(&r.ID, &r.Method, &r.Status, &r.Amount, &r.ProviderID, &r.ProviderRef))
		out = append(out, r)
	}
	require.NoError(t, rows.Err())
	return out
}

// A guest cancels a stay paid with two Mercado Pago payments three days
// before arrival (Moderada: half back): the refund comes out of the larger
// payment, even though it was paid second, as one partial refund; the job
// run again, or after a crash between Mercado Pago's answer and our commit,
// makes no second refund at Mercado Pago.
func TestGuestCancelRefundJobLargestFirstOnce(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, false)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 3)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 3)) // 30.000, deposit 9.000
	small := gcPay(t, s, fake, r.Code, money.FromUnits(4000))
	large := gcPay(t, s, fake, r.Code, money.FromUnits(11000))
	r = rvStored(t, s, r.Code)
	require.Equal(t, booking.StatusConfirmed, r.Status)
	require.Equal(t, money.FromUnits(15000), r.Paid)

	out, err := s.Booking.Cancel(context.Background(), booking.CancelRequest{ReservationID: r.ID, By: booking.PartyGuest, Actor: "guest"})
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(7500), out.Refund)
	refunds := gcRefunds(t, s, r.ID)
	require.Len(t, refunds, 1)
	require.Equal(t, gcRefund{ID: refunds[0].ID, Method: "mercadopago", Status: "pending", Amount: money.FromUnits(7500),
		ProviderID: large}, refunds[0])
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM river_job WHERE kind = 'mercadopago.refund' AND (args->>'refund_id')::bigint = $1`,
		refunds[0].ID))

	// The job, twice.
	calls := fake.CallCount("POST /v1/payments")
	require.NoError(t, s.MercadoPago.CarryOutRefund(context.Background(), refunds[0].ID))
	require.NoError(t, s.MercadoPago.CarryOutRefund(context.Background(), refunds[0].ID))
	made := fake.RefundsMade()
	require.Len(t, made, 1)
	require.Equal(t, large, made[0].PaymentID)
	require.Equal(t, money.FromUnits(7500), made[0].Amount)
	require.True(t, made[0].Partial, "a partial refund names its amount")
	require.NotEqual(t, small, made[0].PaymentID)

	// A crash after Mercado Pago answered, before the row was closed: the
	// retried job asks again with the same key and gets the same refund.
	_, err = s.Pool.Exec(context.Background(), `UPDATE refunds SET status = 'pending', settled_at = NULL, provider_ref = '' WHERE id = $1`, refunds[0].ID)
	require.NoError(t, err)
	require.NoError(t, s.MercadoPago.CarryOutRefund(context.Background(), refunds[0].ID))
	require.Equal(t, 2, fake.CallCount("POST /v1/payments")-calls, "the retry asked Mercado Pago again…")
	require.Equal(t, made, fake.RefundsMade(), "…with the same key, and no second refund was made")

	after := rvStored(t, s, r.Code)
	require.Equal(t, money.FromUnits(7500), after.Paid, "paid went down once")
	refunds = gcRefunds(t, s, r.ID)
	require.Equal(t, "done", refunds[0].Status)
	require.NotEmpty(t, refunds[0].ProviderRef)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM payments WHERE provider_id = $1 AND refunded = 7500 AND status = 'approved'`, large))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM payments WHERE provider_id = $1 AND refunded = 0`, small))
	require.GreaterOrEqual(t, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'refund_done'`, r.ID), 1)
}

// Everything back (a week before arrival): each payment is refunded whole,
// and Mercado Pago's "refunded" status, being our own doing, raises no
// alert; a refund made outside the system still does.
func TestGuestCancelFullRefundNoAlert(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, false)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 7)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 3))
	a := gcPay(t, s, fake, r.Code, money.FromUnits(9000))
	b := gcPay(t, s, fake, r.Code, money.FromUnits(6000))

	_, err := s.Booking.Cancel(context.Background(), booking.CancelRequest{ReservationID: r.ID, By: booking.PartyGuest, Actor: "guest"})
	require.NoError(t, err)
	refunds := gcRefunds(t, s, r.ID)
	require.Len(t, refunds, 2)
	require.Equal(t, []string{a, b}, []string{refunds[0].ProviderID, refunds[1].ProviderID}, "largest first")
	for _, rf := range refunds {
		require.NoError(t, s.MercadoPago.CarryOutRefund(context.Background(), rf.ID))
	}
	require.Equal(t, []string{a, b}, fake.Refunds)
	for _, m := range fake.RefundsMade() {
		require.False(t, m.Partial, "a whole payment is refunded without an amount, as documented")
	}
	require.Zero(t, rvStored(t, s, r.Code).Paid)
	require.Equal(t, 2, s.Count(t, `SELECT count(*) FROM payments WHERE reservation_id = $1 AND status = 'refunded'`, r.ID))
	require.Zero(t, s.Count(t, `SELECT count(*) FROM conflicts WHERE reservation_id = $1 AND kind = $2`, r.ID,
		mercadopago.ConflictRefunded))

	// Another stay's payment refunded from Mercado Pago's own site: that is news.
	r2 := s.Hold(t, p.ID, ci.AddDate(0, 0, 10), ci.AddDate(0, 0, 12))
	c := gcPay(t, s, fake, r2.Code, money.FromUnits(6000))
	mpApply(t, s, c, r2.Code, "refunded", money.FromUnits(6000), money.FromUnits(6000), time.Now().UTC().Format("2006-01-02T15:04:05.000-07:00"))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM conflicts WHERE reservation_id = $1 AND kind = $2`, r2.ID,
		mercadopago.ConflictRefunded))
}
