package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/money"
)

// The host cancels a stay whose seña came through Mercado Pago: the request
// only decides (a pending refunds row and its job); the job asks the fake
// Mercado Pago for the refund, which records it, and the stay's paid goes
// to zero. The seña once more (seña penitencial) is owed by transfer.
func TestHostCancelRefundsMercadoPagoThroughTheJob(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 60)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2)) // 20.000, seña 6.000
	_, err := s.Pool.Exec(context.Background(), `UPDATE reservations SET cancel_policy = $1 WHERE id = $2`,
		hcPreset(t, booking.PresetPenitencial).JSON(), r.ID)
	require.NoError(t, err)
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", StatusDetail: "accredited", Reference: r.Code,
		Amount: money.FromUnits(6000)})
	pay, err := s.MercadoPago.Client.GetPayment(context.Background(), pid)
	require.NoError(t, err)
	_, err = s.MercadoPago.ApplyPayment(context.Background(), pay)
	require.NoError(t, err)
	require.Equal(t, booking.StatusConfirmed, rvStatus(t, s, r.Code))

	owner := rvLogin(t, s, "owner")
	rvPost(t, owner, r.Code, "cancel", cancelForm("host", "", "Inundación en la cabaña"))
	require.Equal(t, booking.StatusCancelled, rvStatus(t, s, r.Code))
	require.Contains(t, rvPage(t, owner, r.Code), "Mercado Pago devuelve $ 6.000,00 en unos minutos.")

	dbtest.Eventually(t, "the refund job ran", func() bool {
		return s.Count(t, `SELECT count(*) FROM refunds WHERE reservation_id = $1 AND method = 'mercadopago'
			AND status = 'done' AND provider_ref <> ''`, r.ID) == 1
	})
	made, amounts := fake.RefundIDsAmounts()
	require.Equal(t, []string{pid}, made, "one refund, of the seña's payment")
	require.Equal(t, []money.Money{money.FromUnits(6000)}, amounts)
	require.Zero(t, rvStored(t, s, r.Code).Paid)
	require.Equal(t, []string{"host_cancel mercadopago done 6000.00", "penalty transfer owed 6000.00"},
		hcRefunds(t, s, r.ID))
	page := rvPage(t, owner, r.Code)
	require.Len(t, hcSettleRe.FindAllStringSubmatch(page, -1), 1, "only the penalty is the owner's to settle")
	require.Contains(t, page, "Devuelta")
}

// A refund Mercado Pago refuses for good (the payment is in a dispute) is
// marked failed by its job, and the owner gives it back by hand with the
// same one click as an owed transfer.
func TestFailedMercadoPagoRefundIsSettledByHand(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 60)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2))
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: r.Code, Amount: money.FromUnits(6000)})
	pay, err := s.MercadoPago.Client.GetPayment(context.Background(), pid)
	require.NoError(t, err)
	_, err = s.MercadoPago.ApplyPayment(context.Background(), pay)
	require.NoError(t, err)
	// Mercado Pago now refuses refunds of it.
	fake.SetPayment(mptest.Payment{ID: pid, Status: "in_mediation", Reference: r.Code, Amount: money.FromUnits(6000)})

	owner := rvLogin(t, s, "owner")
	rvPost(t, owner, r.Code, "cancel", cancelForm("host", "", "Cerramos por duelo"))
	dbtest.Eventually(t, "the job gave up", func() bool {
		return s.Count(t, `SELECT count(*) FROM refunds WHERE reservation_id = $1 AND status = 'failed'`, r.ID) == 1
	})
	made, _ := fake.RefundIDsAmounts()
	require.Empty(t, made)
	page := rvPage(t, owner, r.Code)
	require.Contains(t, page, "Mercado Pago no la hizo: devolvela a mano")
	settle := hcSettleRe.FindAllStringSubmatch(page, -1)
	require.Len(t, settle, 1)
	rvPostTo(t, owner, settle[0][1], r.Code)
	require.Equal(t, []string{"host_cancel mercadopago done 6000.00"}, hcRefunds(t, s, r.ID))
	require.Zero(t, rvStored(t, s, r.Code).Paid)
}

// A manual refund only decides: without workers nothing reaches Mercado
// Pago, and what is left to refund already counts the pending one.
func TestManualRefundCountsPendingRefunds(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, false)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 90)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2))
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: r.Code, Amount: money.FromUnits(6000)})
	pay, err := s.MercadoPago.Client.GetPayment(context.Background(), pid)
	require.NoError(t, err)
	_, err = s.MercadoPago.ApplyPayment(context.Background(), pay)
	require.NoError(t, err)
	var payRow int64
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT id FROM payments WHERE provider_id = $1`, pid).Scan(&payRow))
	refund := "/admin/reservations/" + r.Code + "/payments/" + itoa(payRow) + "/refund"

	owner := rvLogin(t, s, "owner")
	body := rvPage(t, owner, r.Code)
	resp := owner.PostForm(refund, map[string][]string{"amount": {"5.000"}, "after": {mpRefundAfter(t, body)}})
	require.Equal(t, http.StatusSeeOther, resp.Status)
	made, _ := fake.RefundIDsAmounts()
	require.Empty(t, made, "the request does not call Mercado Pago")
	require.Equal(t, []string{"manual mercadopago pending 5000.00"}, hcRefunds(t, s, r.ID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM river_job WHERE kind = $1 AND (args->>'refund_id')::bigint =
		(SELECT id FROM refunds WHERE reservation_id = $2)`, booking.RefundJobKind, r.ID))
	body = rvPage(t, owner, r.Code)
	require.Contains(t, body, `placeholder="1.000"`, "what is left counts the pending refund")
	require.Contains(t, body, "En curso en Mercado Pago")

	resp = owner.PostForm(refund, map[string][]string{"amount": {"1.500"}, "after": {mpRefundAfter(t, body)}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.Status)
	require.Contains(t, string(resp.Body), "El monto supera lo que queda por devolver de ese pago.")
	require.Equal(t, []string{"manual mercadopago pending 5000.00"}, hcRefunds(t, s, r.ID))
}
