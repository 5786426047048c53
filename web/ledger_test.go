package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/money"
	"alojamientos/internal/stats"
	"alojamientos/web/webtest"
)

// ledgerAgrees checks the one promise of the ledger: its stay money (in −
// out) is reservations.paid, and the money it says moved per currency is
// what the reports count as collected (the test's server has this one
// reservation). Both pages show the same balance. It returns the ledger.
func ledgerAgrees(t *testing.T, s *webtest.Server, owner *webtest.Session, code string) booking.Ledger {
	t.Helper()
	ctx := context.Background()
	l, err := s.Booking.Ledger(ctx, s.Account.ID, code)
	require.NoError(t, err)
	r := rvStored(t, s, code)
	require.Equal(t, r.Paid, l.StayNet(), "ledger in − out = paid")

	now := s.Clock.Now()
	collected, err := stats.LoadCollected(ctx, s.Pool, s.Account.ID, now.AddDate(0, -1, 0), now.AddDate(0, 1, 0))
	require.NoError(t, err)
	reports := map[string]money.Money{}
	for _, c := range collected {
		if c.Gross != 0 {
			reports[c.Currency] = c.Gross
		}
	}
	moved := map[string]money.Money{}
	for cur, m := range l.Moved {
		if m != 0 {
			moved[cur] = m
		}
	}
	require.Equal(t, reports, moved, "ledger money moved = reports' collected")

	net := format.Amount(money.In(r.Paid, r.Currency))
	admin := html.UnescapeString(string(owner.Get("/admin/reservations/" + code).Body))
	require.Contains(t, admin, `<td class="num" id="ledger-net">`+net+`</td>`)
	guest := html.UnescapeString(string(s.NewSession(t).Get(booking.GuestPath(code, r.GuestToken)).Body))
	require.Contains(t, guest, `Pagado a cuenta de la estadía: <strong>`+net+`</strong>`)
	require.NotContains(t, guest, "Usuario owner", "the guest does not see who did it")
	return l
}

func kinds(l booking.Ledger) []string {
	var out []string
	for _, e := range l.Entries {
		out = append(out, e.Kind+":"+e.Status)
	}
	return out
}

// Payments by hand, a damage deposit received and returned with a
// deduction: the deposit is on the ledger but never in paid or reports.
func TestLedgerManualPaymentsAndDeposit(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	owner := rvLogin(t, s, "owner")
	r := depositStayConfirmed(t, s, depositCabin(t, s, owner), 1, 3) // $ 20.000
	base := "/admin/reservations/" + r.Code
	for _, p := range []url.Values{{"amount": {"6.000"}, "method": {"transfer"}}, {"amount": {"14.000"}, "method": {"cash"}}} {
		require.Equal(t, http.StatusSeeOther, owner.PostForm(base+"/payments", p).Status)
	}
	require.Equal(t, http.StatusSeeOther, owner.PostForm(base+"/deposito/recibido",
		url.Values{"deposit_amount": {"50.000"}, "deposit_method": {"cash"}}).Status)
	require.Equal(t, http.StatusSeeOther, owner.PostForm(base+"/deposito/devolucion",
		url.Values{"deducted": {"8.000"}, "deposit_note": {"se descontó una copa rota"}}).Status)

	l := ledgerAgrees(t, s, owner, r.Code)
	require.Equal(t, money.FromUnits(20000), l.StayNet())
	require.Equal(t, []string{"payment:approved", "payment:approved", "deposit:received", "deposit_return:returned",
		"deposit_kept:kept"}, kinds(l))
	admin := html.UnescapeString(string(owner.Get(base).Body))
	require.Contains(t, admin, "Libro de movimientos")
	require.Contains(t, admin, "Descontado del depósito")
}

// A Mercado Pago seña in pesos for a dollar stay with a 6 % surcharge (the
// surcharge its own part), a partial refund by the refund job through the
// fake Mercado Pago, then the rest refunded from Mercado Pago's own site.
func TestLedgerMercadoPagoPesosRefunds(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	owner := rvLogin(t, s, "owner")
	id, _ := mpUSDCabin(t, s, owner)
	in := s.Today().AddDate(0, 0, 10)
	h := s.Do(t, http.MethodPost, prereservePath, holdBody(id, in, in.AddDate(0, 0, 2)), nil)
	require.Equal(t, http.StatusCreated, h.Status, string(h.Body))
	var hold map[string]any
	h.JSON(t, &hold)
	code := hold["code"].(string)

	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", StatusDetail: "accredited", Reference: code,
		Amount: money.FromUnits(99902), Currency: "ARS"})
	mpDeliver(t, s, pid)
	dbtest.Eventually(t, "confirmation", func() bool { return rvStored(t, s, code).Status == booking.StatusConfirmed })
	l := ledgerAgrees(t, s, owner, code)
	require.Equal(t, []string{"payment:approved", "surcharge:approved"}, kinds(l))
	require.Equal(t, money.In(money.FromUnits(94247), "ARS"), l.Entries[0].Amount, "the stay's part in pesos")
	require.Equal(t, money.Money(7950), l.Entries[0].Stay)
	require.Equal(t, money.In(money.FromUnits(5655), "ARS"), l.Entries[1].Amount, "the surcharge apart")
	require.Zero(t, l.Entries[1].Stay)

	// The host cancels and gives back US$ 40 of the US$ 79,50: a Mercado Pago refund the job carries out.
	res := rvStored(t, s, code)
	forty := money.FromUnits(40)
	_, err := s.Booking.Cancel(context.Background(), booking.CancelRequest{ReservationID: res.ID, AccountID: s.Account.ID,
		By: booking.PartyHost, Actor: "test", Refund: &forty, Note: "acuerdo con la huésped"})
	require.NoError(t, err)
	dbtest.Eventually(t, "the refund job", func() bool {
		return s.Count(t, `SELECT count(*) FROM refunds WHERE reservation_id = $1 AND status = 'done'`, res.ID) == 1
	})
	require.Equal(t, []string{pid}, fake.Refunds)
	l = ledgerAgrees(t, s, owner, code)
	require.Equal(t, money.FromUnits(40), l.StayOut)
	require.Equal(t, money.Money(3950), rvStored(t, s, code).Paid)

	// The next day the owner gives back the rest from Mercado Pago's site: no refunds row says so.
	s.Clock.Advance(24 * time.Hour)
	owner = rvLogin(t, s, "owner")
	fake.SetPayment(mptest.Payment{ID: pid, Status: "refunded", StatusDetail: "refunded", Reference: code,
		Amount: money.FromUnits(99902), Refunded: money.FromUnits(99902), Currency: "ARS"})
	mpDeliver(t, s, pid)
	dbtest.Eventually(t, "paid down to zero", func() bool { return rvStored(t, s, code).Paid == 0 })
	l = ledgerAgrees(t, s, owner, code)
	require.Equal(t, []string{"payment:refunded", "surcharge:refunded", "refund:done", "refunded_in_mp:refunded"}, kinds(l))
	require.Equal(t, money.Money(3950), l.Entries[3].Stay)
	guest := html.UnescapeString(string(s.NewSession(t).Get(booking.GuestPath(code, res.GuestToken)).Body))
	require.Contains(t, guest, "Devuelto desde Mercado Pago")
	require.Contains(t, guest, "Recargo Mercado Pago")
}

// A refund owed by transfer (money received by hand), settled by the
// owner: paid, the ledger and the reports all drop it.
func TestLedgerOwedTransferRefundSettled(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	owner := rvLogin(t, s, "owner")
	p := s.Property(t)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 20), s.Today().AddDate(0, 0, 22))
	require.Equal(t, http.StatusSeeOther, owner.PostForm("/admin/reservations/"+r.Code+"/payments",
		url.Values{"amount": {"6.000"}, "method": {"transfer"}}).Status)
	require.Equal(t, booking.StatusConfirmed, rvStored(t, s, r.Code).Status)

	out, err := s.Booking.Cancel(context.Background(), booking.CancelRequest{ReservationID: r.ID, AccountID: s.Account.ID,
		By: booking.PartyHost, Actor: "test", Note: "se inundó la cabaña"})
	require.NoError(t, err)
	require.Len(t, out.Refunds, 1)
	l := ledgerAgrees(t, s, owner, r.Code)
	require.Equal(t, []string{"payment:approved", "refund:owed"}, kinds(l), "owed is shown, not yet counted")

	var uid int64
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT id FROM users WHERE account_id = $1 AND role = 'owner' LIMIT 1`,
		s.Account.ID).Scan(&uid))
	_, err = s.Booking.SettleRefund(context.Background(), s.Account.ID, out.Refunds[0].ID, uid)
	require.NoError(t, err)
	l = ledgerAgrees(t, s, owner, r.Code)
	require.Equal(t, []string{"payment:approved", "refund:done"}, kinds(l))
	require.Zero(t, l.StayNet())
	admin := html.UnescapeString(string(owner.Get("/admin/reservations/" + r.Code).Body))
	require.True(t, strings.Contains(admin, "Devolución"), "the refund row is on the owner's ledger")

	var api struct {
		Refunds       []map[string]any `json:"refunds"`
		DamageDeposit any              `json:"damage_deposit"`
	}
	s.Do(t, http.MethodGet, "/api/v1/reservations/"+r.Code+"?t="+r.GuestToken, nil, nil).JSON(t, &api)
	require.Len(t, api.Refunds, 1)
	delete(api.Refunds[0], "created_at")
	require.Equal(t, map[string]any{"method": "transfer", "amount": "6000.00", "currency": "ARS", "status": "done"},
		api.Refunds[0])
	require.Nil(t, api.DamageDeposit, "no deposit asked")
}
