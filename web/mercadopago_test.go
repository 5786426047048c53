package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// mpServer runs the real server against a fake Mercado Pago.
func mpServer(t *testing.T, workers bool) (*webtest.Server, *mptest.Server) {
	t.Helper()
	fake := mptest.Start(t)
	s := webtest.Start(t, webtest.Options{Workers: workers, MercadoPagoURL: fake.URL,
		MercadoPagoToken: mptest.Token, MercadoPagoSecret: mptest.Secret})
	return s, fake
}

// mpPaymentSeq numbers fake payments; parallel tests draw from it at once.
var mpPaymentSeq = func() *atomic.Int64 {
	var n atomic.Int64
	n.Store(time.Now().UnixNano() % 1e9)
	return &n
}()

func mpPaymentID() string {
	return strconv.FormatInt(9_000_000_000+mpPaymentSeq.Add(1), 10)
}

func mpHook(s *webtest.Server) string { return s.URL + "/webhooks/mercadopago" }

// mpDeliver sends a signed notification and waits until it is processed.
func mpDeliver(t *testing.T, s *webtest.Server, paymentID string) {
	t.Helper()
	code, err := mptest.NewDelivery(mpHook(s), mptest.Secret, paymentID, s.Clock.Now()).Send(s.Client)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code)
	dbtest.Eventually(t, "payment "+paymentID+" processed", func() bool {
		return s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE resource_id = $1 AND processed_at IS NULL`, paymentID) == 0
	})
}

func TestMercadoPagoFullPath(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 10)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 3)) // 30.000, deposit 9.000

	// The hold's job makes the deposit's preference.
	var initPoint string
	dbtest.Eventually(t, "payment link", func() bool {
		_ = s.Pool.QueryRow(context.Background(), `SELECT init_point FROM payment_links WHERE reservation_id = $1`, r.ID).Scan(&initPoint)
		return initPoint != ""
	})
	pref := fake.LastPreference()
	require.Equal(t, r.Code, pref["external_reference"])
	require.Equal(t, s.URL+"/webhooks/mercadopago?source_news=webhooks", pref["notification_url"])
	item := pref["items"].([]any)[0].(map[string]any)
	require.EqualValues(t, 9000, item["unit_price"])
	require.Equal(t, "ARS", item["currency_id"])
	require.Contains(t, item["title"], p.Name)
	require.Contains(t, item["title"], ci.Format("02/01"))
	require.Equal(t, strconv.FormatInt(r.ID, 10), pref["metadata"].(map[string]any)["reservation_id"])
	require.True(t, strings.HasPrefix(pref["back_urls"].(map[string]any)["success"].(string), s.URL+"/r/"+r.Code+"/pago?t="+r.GuestToken))
	require.Equal(t, r.HoldExpiresAt.UTC().Format("2006-01-02T15:04:05.000-07:00"), pref["expiration_date_to"])
	require.Equal(t, 1, fake.PreferenceCount())

	// Mercado Pago approves the deposit and tells us.
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", StatusDetail: "accredited", Reference: r.Code, Amount: money.FromUnits(9000)})
	code, err := fake.Notify(mpHook(s), pid)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code)
	dbtest.Eventually(t, "confirmation", func() bool { return rvStored(t, s, r.Code).Status == booking.StatusConfirmed })
	got := rvStored(t, s, r.Code)
	require.Equal(t, money.FromUnits(9000), got.Paid)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM payments WHERE reservation_id = $1 AND provider = 'mercadopago' AND status = 'approved'`, r.ID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'confirm' AND actor = 'mercadopago'`, r.ID))
	require.GreaterOrEqual(t, fake.CallCount("GET /v1/payments"), 1)
}

func TestMercadoPagoSignatureRefused(t *testing.T) {
	t.Parallel()
	s, _ := mpServer(t, false)
	pid := mpPaymentID()
	good := func() mptest.Delivery { return mptest.NewDelivery(mpHook(s), mptest.Secret, pid, time.Now()) }
	tampered := map[string]func(d *mptest.Delivery){
		"data.id":         func(d *mptest.Delivery) { d.DataID = "1" + d.DataID[1:] },
		"x-request-id":    func(d *mptest.Delivery) { d.RequestID = flipFirst(d.RequestID) },
		"ts":              func(d *mptest.Delivery) { d.TS = strconv.FormatInt(time.Now().UnixMilli()+1, 10) },
		"v1":              func(d *mptest.Delivery) { d.V1 = strings.Repeat("0", 64) },
		"missing v1":      func(d *mptest.Delivery) { d.V1 = "" },
		"missing ts":      func(d *mptest.Delivery) { d.TS = "" },
		"missing header":  func(d *mptest.Delivery) { d.TS, d.V1 = "", "" },
		"request id gone": func(d *mptest.Delivery) { d.RequestID = "" },
		"data.id gone":    func(d *mptest.Delivery) { d.DataID = "" },
		"other secret":    func(d *mptest.Delivery) { d.V1 = mercadopago.Sign("otro", d.DataID, d.RequestID, d.TS) },
	}
	for name, tamper := range tampered {
		d := good()
		tamper(&d)
		code, err := d.Send(s.Client)
		require.NoError(t, err)
		require.Equal(t, http.StatusUnauthorized, code, name)
	}
	// A genuine signature from 20 minutes ago is a replay (tolerance 10 minutes), in milliseconds or seconds.
	old := mptest.NewDelivery(mpHook(s), mptest.Secret, pid, time.Now().Add(-20*time.Minute))
	code, err := old.Send(s.Client)
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, code)
	oldSec := good()
	oldSec.TS = strconv.FormatInt(time.Now().Add(-20*time.Minute).Unix(), 10)
	oldSec.V1 = mercadopago.Sign(mptest.Secret, oldSec.DataID, oldSec.RequestID, oldSec.TS)
	code, err = oldSec.Send(s.Client)
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, code)
	require.Zero(t, s.Count(t, `SELECT count(*) FROM webhook_inbox`), "refused deliveries store nothing")
	metrics := string(s.Do(t, http.MethodGet, "/metrics", nil, nil).Body)
	require.Contains(t, metrics, `webhook_events_total{provider="mercadopago",result="bad_signature"} 10`)
	require.Contains(t, metrics, `webhook_events_total{provider="mercadopago",result="replay"} 2`)
	require.Zero(t, s.Count(t, `SELECT count(*) FROM river_job WHERE kind = 'mercadopago.process_notification'`))

	// Seconds within the tolerance, and the real thing, are accepted.
	fresh := good()
	fresh.TS = strconv.FormatInt(time.Now().Unix(), 10)
	fresh.V1 = mercadopago.Sign(mptest.Secret, fresh.DataID, fresh.RequestID, fresh.TS)
	code, err = fresh.Send(s.Client)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code)
	code, err = good().Send(s.Client)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 2, s.Count(t, `SELECT count(*) FROM webhook_inbox`))
	require.Equal(t, 2, s.Count(t, `SELECT count(*) FROM river_job WHERE kind = 'mercadopago.process_notification'`))

	// No workers here: a new hold's page says the link is on its way.
	p := s.Property(t)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 200), s.Today().AddDate(0, 0, 202))
	body := string(s.Do(t, http.MethodGet, "/r/"+r.Code+"?t="+r.GuestToken, nil, nil).Body)
	require.Contains(t, body, "Estamos generando el link de pago…")
	require.NotContains(t, body, `id="pagar"`)
}

// flipFirst changes the first character of a hex string (a fixed "0" is no
// change one time in sixteen).
func flipFirst(s string) string {
	if s[0] == '0' {
		return "1" + s[1:]
	}
	return "0" + s[1:]
}

func TestMercadoPagoDuplicateDeliveries(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 20)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2)) // deposit 6.000
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: r.Code, Amount: money.FromUnits(6000)})

	d := mptest.NewDelivery(mpHook(s), mptest.Secret, pid, time.Now())
	start := make(chan struct{})
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i], _ = d.Send(s.Client)
		}()
	}
	// And ten separate deliveries of the same payment (Mercado Pago's retries, payment.updated).
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, _ = mptest.NewDelivery(mpHook(s), mptest.Secret, pid, time.Now()).Send(s.Client)
		}()
	}
	close(start)
	wg.Wait()
	for _, c := range codes {
		require.Equal(t, http.StatusOK, c)
	}
	dbtest.Eventually(t, "all processed", func() bool {
		return s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE processed_at IS NULL`) == 0
	})
	require.Equal(t, 11, s.Count(t, `SELECT count(*) FROM webhook_inbox`), "20 copies of one delivery are one row")
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM payments WHERE provider_id = $1`, pid))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'confirm'`, r.ID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = $2`, r.ID, mercadopago.ActionPayment))
	got := rvStored(t, s, r.Code)
	require.Equal(t, booking.StatusConfirmed, got.Status)
	require.Equal(t, money.FromUnits(6000), got.Paid)
}

func TestMercadoPagoCrashBeforeProcessing(t *testing.T) {
	t.Parallel()
	fake := mptest.Start(t)
	opts := webtest.Options{MercadoPagoURL: fake.URL, MercadoPagoToken: mptest.Token, MercadoPagoSecret: mptest.Secret}
	before := webtest.Start(t, opts) // no workers: the process "dies" after storing
	p := before.Property(t)
	ci := before.Today().AddDate(0, 0, 30)
	r := before.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2))
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: r.Code, Amount: money.FromUnits(6000)})
	code, err := mptest.NewDelivery(mpHook(before), mptest.Secret, pid, time.Now()).Send(before.Client)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 1, before.Count(t, `SELECT count(*) FROM webhook_inbox WHERE processed_at IS NULL`))
	require.Equal(t, booking.StatusPreReserved, rvStored(t, before, r.Code).Status)

	// The restarted process (workers on the same database) finds the job.
	opts.Pool, opts.Workers = before.Pool, true
	after := webtest.Start(t, opts)
	dbtest.Eventually(t, "processed after restart", func() bool {
		return after.Count(t, `SELECT count(*) FROM webhook_inbox WHERE processed_at IS NULL`) == 0
	})
	require.Equal(t, booking.StatusConfirmed, rvStored(t, after, r.Code).Status)
	require.Equal(t, 1, after.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'confirm'`, r.ID))
	require.Equal(t, 1, after.Count(t, `SELECT count(*) FROM payments WHERE provider_id = $1`, pid))

	// A notification whose job was lost is re-enqueued by the sweep after a minute.
	_, err = after.Pool.Exec(context.Background(), `INSERT INTO webhook_inbox (provider, event_key, topic, resource_id, received_at)
		VALUES ('mercadopago', 'lost', 'payment', $1, now() - interval '5 minutes')`, pid)
	require.NoError(t, err)
	n, err := after.MercadoPago.SweepInbox(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = after.MercadoPago.SweepInbox(context.Background())
	require.NoError(t, err)
	require.Zero(t, n, "a live job is not doubled")
	dbtest.Eventually(t, "lost notification processed", func() bool {
		return after.Count(t, `SELECT count(*) FROM webhook_inbox WHERE processed_at IS NULL`) == 0
	})
	require.Equal(t, 1, after.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'confirm'`, r.ID))

	// Processed notifications are pruned after their retention, unprocessed ones never.
	_, err = after.Pool.Exec(context.Background(), `INSERT INTO webhook_inbox (provider, event_key, resource_id) VALUES ('mercadopago', 'pending', '1')`)
	require.NoError(t, err)
	after.Clock.Advance(mercadopago.InboxRetention + time.Hour)
	require.NoError(t, (&mercadopago.PruneInboxWorker{Service: after.MercadoPago}).Work(context.Background(), nil))
	require.Equal(t, 1, after.Count(t, `SELECT count(*) FROM webhook_inbox`))
	require.Equal(t, 1, after.Count(t, `SELECT count(*) FROM webhook_inbox WHERE event_key = 'pending'`))
}

func TestMercadoPagoMismatches(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	p := s.Property(t)
	day := s.Today().AddDate(0, 0, 40)
	hold := func(i int) booking.Reservation {
		ci := day.AddDate(0, 0, 5*i)
		return s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2)) // deposit 6.000
	}
	conflicts := func(kind string, resID int64) int {
		return s.Count(t, `SELECT count(*) FROM conflicts WHERE kind = $1 AND reservation_id = $2 AND resolved_at IS NULL`, kind, resID)
	}

	// Below the deposit: recorded, counted, owner alerted, still a hold.
	partial := hold(0)
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: partial.Code, Amount: money.FromUnits(5000)})
	mpDeliver(t, s, pid)
	mpDeliver(t, s, pid)
	got := rvStored(t, s, partial.Code)
	require.Equal(t, booking.StatusPreReserved, got.Status)
	require.Equal(t, money.FromUnits(5000), got.Paid)
	require.Equal(t, 1, conflicts(mercadopago.ConflictPartial, partial.ID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = $2`, partial.ID, mercadopago.ActionAlert))

	// Another currency: recorded, not counted, owner alerted.
	usd := hold(1)
	pid = mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: usd.Code, Amount: money.FromUnits(6000), Currency: "USD"})
	mpDeliver(t, s, pid)
	got = rvStored(t, s, usd.Code)
	require.Equal(t, booking.StatusPreReserved, got.Status)
	require.Zero(t, got.Paid)
	require.Equal(t, 1, conflicts(mercadopago.ConflictMismatch, usd.ID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM payments WHERE provider_id = $1 AND currency = 'USD'`, pid))

	// A reference that is none of ours: nothing confirmed, the owner told.
	pid = mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: "RES000000ABCDEF", Amount: money.FromUnits(6000)})
	mpDeliver(t, s, pid)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM conflicts WHERE kind = $1 AND detail LIKE '%'||$2||'%'`,
		mercadopago.ConflictUnknownReference, pid))
	require.Zero(t, s.Count(t, `SELECT count(*) FROM payments WHERE provider_id = $1`, pid))

	// Paid after the hold expired and someone else took the nights: refund due.
	late := hold(2)
	s.Clock.Advance(31 * time.Minute)
	_, err := s.Booking.ExpireDue(context.Background())
	require.NoError(t, err)
	require.Equal(t, booking.StatusExpired, rvStored(t, s, late.Code).Status)
	other := s.Hold(t, p.ID, late.CheckIn, late.CheckOut)
	pid = mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: late.Code, Amount: money.FromUnits(6000)})
	mpDeliver(t, s, pid)
	mpDeliver(t, s, pid)
	got = rvStored(t, s, late.Code)
	require.Equal(t, booking.StatusExpired, got.Status)
	require.Equal(t, money.FromUnits(6000), got.Paid, "the money is recorded")
	require.Equal(t, 1, conflicts(mercadopago.ConflictRefundDue, late.ID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = $2`, late.ID, mercadopago.ActionAlert))
	owner := rvLogin(t, s, "owner")
	require.Contains(t, string(owner.Get("/admin/").Body), "Hay que devolver un pago")
	require.Contains(t, rvPage(t, owner, late.Code), "Aviso al dueño: El pago "+pid+" de Mercado Pago por $ 6.000,00 llegó después")
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM payments WHERE provider_id = $1 AND refund_due`, pid))
	require.Equal(t, booking.StatusPreReserved, rvStored(t, s, other.Code).Status)

	// Paid after expiry with the nights still free: confirmed.
	free := hold(3)
	s.Clock.Advance(31 * time.Minute)
	_, err = s.Booking.ExpireDue(context.Background())
	require.NoError(t, err)
	pid = mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: free.Code, Amount: money.FromUnits(6000)})
	mpDeliver(t, s, pid)
	require.Equal(t, booking.StatusConfirmed, rvStored(t, s, free.Code).Status)
}

func TestMercadoPagoStatusesInAnyOrder(t *testing.T) {
	t.Parallel()
	s, _ := mpServer(t, false)
	p := s.Property(t)
	orders := [][]string{
		{"approved"},
		{"pending", "approved", "pending", "in_process", "approved", "approved", "pending", "approved", "in_process", "pending"},
		{"approved", "pending", "pending", "approved", "in_process", "approved", "approved", "pending", "approved", "approved"},
	}
	for i, order := range orders {
		ci := s.Today().AddDate(0, 0, 60+5*i)
		r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2))
		pid := mpPaymentID()
		for _, st := range order {
			_, err := s.MercadoPago.ApplyPayment(context.Background(), mercadopago.Payment{ID: jsonNumber(pid), Status: st,
				ExternalReference: r.Code, TransactionAmount: mercadopago.Amount(money.FromUnits(6000)), CurrencyID: "ARS"})
			require.NoError(t, err)
		}
		got := rvStored(t, s, r.Code)
		require.Equal(t, booking.StatusConfirmed, got.Status, "order %d", i)
		require.Equal(t, money.FromUnits(6000), got.Paid, "order %d", i)
		require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM payments WHERE provider_id = $1 AND status = 'approved'`, pid))
		require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'confirm'`, r.ID))

		// A refund afterwards takes the money off and flags the stay, once.
		for range 3 {
			_, err := s.MercadoPago.ApplyPayment(context.Background(), mercadopago.Payment{ID: jsonNumber(pid), Status: "refunded",
				ExternalReference: r.Code, TransactionAmount: mercadopago.Amount(money.FromUnits(6000)),
				AmountRefunded: mercadopago.Amount(money.FromUnits(6000)), CurrencyID: "ARS"})
			require.NoError(t, err)
		}
		require.Zero(t, rvStored(t, s, r.Code).Paid)
		require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM conflicts WHERE reservation_id = $1 AND kind = $2`, r.ID, mercadopago.ConflictRefunded))
	}
}

func TestMercadoPagoPendingExtendsHoldOnce(t *testing.T) {
	t.Parallel()
	s, _ := mpServer(t, false)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 90)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2))
	for range 3 {
		_, err := s.MercadoPago.ApplyPayment(context.Background(), mercadopago.Payment{ID: jsonNumber(mpPaymentID()), Status: "pending",
			ExternalReference: r.Code, TransactionAmount: mercadopago.Amount(money.FromUnits(6000)), CurrencyID: "ARS"})
		require.NoError(t, err)
	}
	got := rvStored(t, s, r.Code)
	require.Equal(t, booking.StatusPreReserved, got.Status)
	require.Equal(t, r.HoldExpiresAt.Add(time.Hour).Unix(), got.HoldExpiresAt.Unix(), "extended once, by the configured hour")
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'hold_extended'`, r.ID))

	// Rejected: the hold is left to expire.
	_, err := s.MercadoPago.ApplyPayment(context.Background(), mercadopago.Payment{ID: jsonNumber(mpPaymentID()), Status: "rejected",
		ExternalReference: r.Code, TransactionAmount: mercadopago.Amount(money.FromUnits(6000)), CurrencyID: "ARS"})
	require.NoError(t, err)
	s.Clock.Advance(91 * time.Minute)
	_, err = s.Booking.ExpireDue(context.Background())
	require.NoError(t, err)
	require.Equal(t, booking.StatusExpired, rvStored(t, s, r.Code).Status)
}

func TestMercadoPagoLegacyIPN(t *testing.T) {
	t.Parallel()
	fake := mptest.Start(t)
	s := webtest.Start(t, webtest.Options{Workers: true, MercadoPagoURL: fake.URL, MercadoPagoToken: mptest.Token,
		MercadoPagoSecret: mptest.Secret, MercadoPagoAcceptIPN: "1"})
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 100)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2))
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: r.Code, Amount: money.FromUnits(6000)})
	// The unsigned IPN is only a trigger: what counts is what the API says.
	resp := s.Do(t, http.MethodPost, "/webhooks/mercadopago?topic=payment&id="+pid, nil, nil)
	require.Equal(t, http.StatusOK, resp.Status)
	dbtest.Eventually(t, "IPN re-fetch", func() bool { return rvStored(t, s, r.Code).Status == booking.StatusConfirmed })
	// An IPN carrying an x-signature is still an IPN: accepted as a trigger, not verified.
	resp = s.Do(t, http.MethodPost, "/webhooks/mercadopago?topic=payment&id="+pid, nil,
		map[string]string{"x-signature": "ts=1,v1=" + strings.Repeat("ab", 32)})
	require.Equal(t, http.StatusOK, resp.Status)
	// merchant_order topics are acknowledged and dropped.
	resp = s.Do(t, http.MethodPost, "/webhooks/mercadopago?topic=merchant_order&id=4945357007", nil, nil)
	require.Equal(t, http.StatusOK, resp.Status)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM webhook_inbox`))
}

func jsonNumber(s string) json.Number { return json.Number(s) }

func TestMercadoPagoGuestPages(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 120)

	// Mercado Pago is down when the hold is made: the hold stands and the page offers to retry.
	fake.Down(true)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2))
	page := "/r/" + r.Code + "?t=" + r.GuestToken
	se := s.NewSession(t)
	dbtest.Eventually(t, "link error", func() bool { return strings.Contains(string(se.Get(page).Body), `id="reintentar-pago"`) })
	body := string(se.Get(page).Body)
	require.Contains(t, body, "Mercado Pago no respondió")
	require.NotContains(t, body, `id="pagar"`)
	require.Equal(t, booking.StatusPreReserved, rvStored(t, s, r.Code).Status)
	require.Equal(t, "failing", mpHealth(t, s)["status"])
	require.Contains(t, mpHealth(t, s)["last_error"], "503")

	fake.Down(false)
	resp := se.PostForm("/r/"+r.Code+"/pago/reintentar?t="+r.GuestToken, nil)
	require.Equal(t, http.StatusSeeOther, resp.Status)
	require.Equal(t, page, resp.Header.Get("Location"))
	dbtest.Eventually(t, "pay button", func() bool { return strings.Contains(string(se.Get(page).Body), `id="pagar"`) })
	body = string(se.Get(page).Body)
	require.Contains(t, body, fake.URL+"/checkout/v1/redirect?pref_id=")
	require.Contains(t, body, "Pagar la seña de $ 6.000,00 con Mercado Pago")
	require.Equal(t, 1, fake.PreferenceCount(), "one preference however often it was asked for")
	require.Equal(t, "ok", mpHealth(t, s)["status"])

	// Back from Mercado Pago claiming approval: the page believes the database, not the query.
	back := "/r/" + r.Code + "/pago?t=" + r.GuestToken + "&resultado=aprobado&status=approved&collection_status=approved"
	body = string(se.Get(back).Body)
	require.Contains(t, body, "Todavía no tenemos la confirmación del pago")
	require.Contains(t, body, "Reserva pendiente de seña")
	require.NotContains(t, body, "Reserva confirmada")
	require.Equal(t, http.StatusNotFound, se.Get("/r/"+r.Code+"/pago?t=wrong").Status)

	// With a payment_id the return asks Mercado Pago about it.
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: r.Code, Amount: money.FromUnits(6000)})
	se.Get(back + "&payment_id=" + pid)
	dbtest.Eventually(t, "confirmation", func() bool { return rvStored(t, s, r.Code).Status == booking.StatusConfirmed })
	body = string(se.Get(back).Body)
	require.Contains(t, body, "Recibimos el pago de la seña: tu reserva está confirmada.")
}

func mpHealth(t *testing.T, s *webtest.Server) map[string]string {
	t.Helper()
	var h struct {
		Checks struct {
			MercadoPago map[string]string `json:"mercadopago"`
		} `json:"checks"`
	}
	s.Do(t, http.MethodGet, "/healthz", nil, nil).JSON(t, &h)
	return h.Checks.MercadoPago
}

func TestMercadoPagoDashboard(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 150)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2)) // 20.000, deposit 6.000
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", StatusDetail: "accredited", Reference: r.Code, Amount: money.FromUnits(6000)})
	p0, err := s.MercadoPago.Client.GetPayment(context.Background(), pid)
	require.NoError(t, err)
	_, err = s.MercadoPago.ApplyPayment(context.Background(), p0)
	require.NoError(t, err)
	var payRow int64
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT id FROM payments WHERE provider_id = $1`, pid).Scan(&payRow))
	refund := "/admin/reservations/" + r.Code + "/payments/" + strconv.FormatInt(payRow, 10) + "/refund"

	owner := rvLogin(t, s, "owner")
	body := rvPage(t, owner, r.Code)
	require.Contains(t, body, "approved / accredited")
	require.Contains(t, body, "Pago "+pid)
	require.Contains(t, body, `action="`+refund+`"`)
	require.Contains(t, body, "Generar link de Mercado Pago por el saldo ($ 14.000,00)")

	// Staff see the payment but cannot give money back.
	staff := rvLogin(t, s, "staff")
	require.NotContains(t, rvPage(t, staff, r.Code), `action="`+refund+`"`)
	require.Equal(t, http.StatusForbidden, staff.PostForm(refund, nil).Status)
	require.Empty(t, fake.Refunds)

	// Too much: refused with the reason, nothing sent.
	resp := owner.PostForm(refund, map[string][]string{"amount": {"6.000,01"}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.Status)
	require.Contains(t, string(resp.Body), "El monto supera lo que queda por devolver")
	require.Empty(t, fake.Refunds)

	// A partial refund, twice from the same page (a double click) is one
	// refund: the request only decides (a refunds row and its job, one
	// transaction); the job asks Mercado Pago.
	after := mpRefundAfter(t, body)
	for range 2 {
		resp = owner.PostForm(refund, map[string][]string{"amount": {"1.000"}, "after": {after}})
		require.Equal(t, http.StatusSeeOther, resp.Status)
	}
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM refunds WHERE reservation_id = $1 AND reason = 'manual'
		AND method = 'mercadopago' AND amount = 1000`, r.ID))
	dbtest.Eventually(t, "the job refunds", func() bool {
		return s.Count(t, `SELECT count(*) FROM refunds WHERE reservation_id = $1 AND status = 'done'`, r.ID) == 1
	})
	made, amounts := fake.RefundIDsAmounts()
	require.Equal(t, []string{pid}, made)
	require.Equal(t, []money.Money{money.FromUnits(1000)}, amounts)
	got := rvStored(t, s, r.Code)
	require.Equal(t, money.FromUnits(5000), got.Paid)
	body = rvPage(t, owner, r.Code)
	require.Contains(t, body, "Le pedimos a Mercado Pago que devuelva $ 1.000,00")
	require.Contains(t, body, "devuelto $ 1.000,00")
	require.Contains(t, body, "Devolución manual")
	// The rest: the payment becomes refunded.
	resp = owner.PostForm(refund, map[string][]string{"after": {mpRefundAfter(t, body)}})
	require.Equal(t, http.StatusSeeOther, resp.Status)
	dbtest.Eventually(t, "the job refunds the rest", func() bool {
		return s.Count(t, `SELECT count(*) FROM refunds WHERE reservation_id = $1 AND status = 'done'`, r.ID) == 2
	})
	made, _ = fake.RefundIDsAmounts()
	require.Len(t, made, 2)
	require.Zero(t, rvStored(t, s, r.Code).Paid)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM payments WHERE provider_id = $1 AND status = 'refunded'`, pid))

	// The balance link is a Checkout Pro preference for what is left.
	resp = owner.PostForm("/admin/reservations/"+r.Code+"/balance-link", nil)
	require.Equal(t, http.StatusSeeOther, resp.Status)
	body = rvPage(t, owner, r.Code)
	require.Contains(t, body, "Link de pago del saldo ($ 20.000,00), para enviar al huésped: "+fake.URL+"/checkout/v1/redirect?pref_id=")
	pref := fake.LastPreference()
	require.Equal(t, r.Code, pref["external_reference"])
	require.EqualValues(t, 20000, pref["items"].([]any)[0].(map[string]any)["unit_price"])

	// Settings: masked credentials, the webhook URL, and the connection test.
	page := owner.Get("/admin/settings/mercadopago")
	require.Equal(t, http.StatusOK, page.Status)
	require.Contains(t, string(page.Body), "TEST-f…oken")
	require.NotContains(t, string(page.Body), mptest.Token)
	require.Contains(t, string(page.Body), s.URL+"/webhooks/mercadopago")
	resp = owner.PostForm("/admin/settings/mercadopago/test", nil)
	require.Equal(t, http.StatusSeeOther, resp.Status)
	require.Contains(t, string(owner.Get("/admin/settings/mercadopago").Body), "Conexión correcta con Mercado Pago (cuenta CABANASDELLAGO).")
	require.Equal(t, http.StatusForbidden, staff.Get("/admin/settings/mercadopago").Status)
}

// mpRefundAfter reads the newest refund id the manual refund form carries.
func mpRefundAfter(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="after" value="(\d+)"`).FindStringSubmatch(body)
	require.NotNil(t, m, "the refund form carries the newest refund id")
	return m[1]
}

// mpApply applies what Mercado Pago says about payment pid of reservation code.
func mpApply(t *testing.T, s *webtest.Server, pid, code, status string, amount, refunded money.Money, updated string) {
	t.Helper()
	p := mercadopago.Payment{ID: jsonNumber(pid), Status: status, ExternalReference: code,
		TransactionAmount: mercadopago.Amount(amount), AmountRefunded: mercadopago.Amount(refunded), CurrencyID: "ARS",
		DateLastUpdated: updated}
	_, err := s.MercadoPago.ApplyPayment(context.Background(), p)
	require.NoError(t, err)
}

func TestMercadoPagoDisputeResolved(t *testing.T) {
	t.Parallel()
	s, _ := mpServer(t, false)
	p := s.Property(t)
	deposit := money.FromUnits(6000)
	hold := func(i int) booking.Reservation {
		ci := s.Today().AddDate(0, 0, 170+5*i)
		return s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2))
	}
	status := func(pid string) string {
		var st string
		require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT status FROM payments WHERE provider_id = $1`, pid).Scan(&st))
		return st
	}
	openDisputes := func(resID int64) int {
		return s.Count(t, `SELECT count(*) FROM conflicts WHERE reservation_id = $1 AND kind = $2 AND resolved_at IS NULL`,
			resID, mercadopago.ConflictChargedBack)
	}

	// A dispute resolved in the host's favour: the payment is approved again and counts again.
	won := hold(0)
	pid := mpPaymentID()
	mpApply(t, s, pid, won.Code, "approved", deposit, 0, "2026-01-10T10:00:00.000-04:00")
	require.Equal(t, booking.StatusConfirmed, rvStored(t, s, won.Code).Status)
	mpApply(t, s, pid, won.Code, "in_mediation", deposit, 0, "2026-01-12T10:00:00.000-04:00")
	require.Equal(t, "in_mediation", status(pid))
	require.Zero(t, rvStored(t, s, won.Code).Paid, "money under dispute does not count")
	require.Equal(t, 1, openDisputes(won.ID))
	mpApply(t, s, pid, won.Code, "approved", deposit, 0, "2026-01-20T10:00:00.000-04:00")
	require.Equal(t, "approved", status(pid))
	got := rvStored(t, s, won.Code)
	require.Equal(t, deposit, got.Paid)
	require.Equal(t, booking.StatusConfirmed, got.Status)
	require.Zero(t, openDisputes(won.ID), "the dispute alert is closed")
	owner := rvLogin(t, s, "owner")
	require.Contains(t, rvPage(t, owner, won.Code), "El reclamo por el pago "+pid+" de Mercado Pago ($ 6.000,00) se resolvió a tu favor")
	// A stale snapshot of the dispute (older date_last_updated) seen late changes nothing.
	mpApply(t, s, pid, won.Code, "in_mediation", deposit, 0, "2026-01-12T10:00:00.000-04:00")
	require.Equal(t, "approved", status(pid))
	require.Equal(t, deposit, rvStored(t, s, won.Code).Paid)

	// Lost: refunded to the buyer, or charged back; neither counts, and neither goes back.
	for i, end := range []string{"refunded", "charged_back"} {
		r := hold(1 + i)
		pid := mpPaymentID()
		mpApply(t, s, pid, r.Code, "approved", deposit, 0, "")
		mpApply(t, s, pid, r.Code, "in_mediation", deposit, 0, "")
		refunded := money.Money(0)
		if end == "refunded" {
			refunded = deposit
		}
		mpApply(t, s, pid, r.Code, end, deposit, refunded, "")
		require.Equal(t, end, status(pid))
		require.Zero(t, rvStored(t, s, r.Code).Paid, end)
		mpApply(t, s, pid, r.Code, "approved", deposit, 0, "")
		mpApply(t, s, pid, r.Code, "in_mediation", deposit, 0, "")
		require.Equal(t, end, status(pid), "%s is final", end)
		require.Zero(t, rvStored(t, s, r.Code).Paid, end)
	}
}

// ipn posts a legacy IPN for payment id as if from client address from.
func ipn(t *testing.T, s *webtest.Server, id, from string) webtest.Response {
	t.Helper()
	return s.Do(t, http.MethodPost, "/webhooks/mercadopago?topic=payment&id="+id, nil, map[string]string{"X-Forwarded-For": from})
}

func TestMercadoPagoIPNBounded(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{MercadoPagoURL: "http://127.0.0.1:1", MercadoPagoToken: mptest.Token,
		MercadoPagoSecret: mptest.Secret, MercadoPagoAcceptIPN: "1", TrustedProxies: "127.0.0.1/32"})
	pending := func() int {
		return s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE processed_at IS NULL AND event_key LIKE 'ipn:%'`)
	}
	status := func(r webtest.Response) string {
		var b map[string]string
		r.JSON(t, &b)
		return b["status"] + b["error"]
	}

	// One client network: mercadopago.IPNPerMinute, then 429 with Retry-After.
	for i := range mercadopago.IPNPerMinute {
		r := ipn(t, s, strconv.Itoa(70_000_000_000+i), "203.0.113.7")
		require.Equal(t, http.StatusOK, r.Status, "ipn %d", i)
		require.Equal(t, "legacy_refetch", status(r))
	}
	r := ipn(t, s, "70000009999", "203.0.113.7")
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
	require.Equal(t, mercadopago.IPNPerMinute, pending())

	// The same payment again while it waits: one row, one job.
	r = ipn(t, s, "70000000000", "198.51.100.1")
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, "duplicate", status(r))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE resource_id = '70000000000'`))

	// Ids no payment has: refused, nothing stored.
	for _, id := range []string{"12", "0070000000", "99999999999999999999", "7000000000a", "-7000000000", ""} {
		r := ipn(t, s, id, "198.51.100.2")
		require.Equal(t, http.StatusBadRequest, r.Status, "id %q", id)
		require.Equal(t, "invalid_payment_id", status(r))
	}
	require.Equal(t, mercadopago.IPNPerMinute, pending())

	// Many networks, distinct ids: no more than the ceiling waits; the rest are told to come back.
	refused := 0
	for i := range mercadopago.DefaultUnsignedCeiling {
		r := ipn(t, s, strconv.Itoa(71_000_000_000+i), "10.9."+strconv.Itoa(i/250)+"."+strconv.Itoa(i%250))
		if r.Status == http.StatusServiceUnavailable {
			require.Equal(t, "busy", status(r))
			require.Equal(t, "60", r.Header.Get("Retry-After"))
			refused++
			continue
		}
		require.Equal(t, http.StatusOK, r.Status)
	}
	require.Equal(t, mercadopago.DefaultUnsignedCeiling, pending())
	require.Equal(t, mercadopago.IPNPerMinute, refused)
	require.Equal(t, mercadopago.DefaultUnsignedCeiling,
		s.Count(t, `SELECT count(*) FROM river_job WHERE kind = 'mercadopago.process_notification' AND queue = $1`, mercadopago.UnsignedQueue))

	// A signed webhook is not touched by any of it, and goes to its own queue.
	code, err := mptest.NewDelivery(mpHook(s), mptest.Secret, mpPaymentID(), s.Clock.Now()).Send(s.Client)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM river_job WHERE kind = 'mercadopago.process_notification' AND queue = 'payments'`))

	metrics := string(s.Do(t, http.MethodGet, "/metrics", nil, nil).Body)
	require.Contains(t, metrics, `webhook_events_total{provider="mercadopago",result="rate_limited"} 1`)
	require.Contains(t, metrics, `webhook_events_total{provider="mercadopago",result="invalid_id"} 6`)
	require.Contains(t, metrics, `webhook_events_total{provider="mercadopago",result="unsigned_full"} `+strconv.Itoa(refused))
	require.Contains(t, metrics, `webhook_events_total{provider="mercadopago",result="accepted"} 1`)
}

func TestMercadoPagoIPNSwitch(t *testing.T) {
	t.Parallel()
	// A webhook secret is set and MERCADOPAGO_ACCEPT_IPN is not: IPN is off.
	s := webtest.Start(t, webtest.Options{MercadoPagoURL: "http://127.0.0.1:1", MercadoPagoToken: mptest.Token,
		MercadoPagoSecret: mptest.Secret})
	r := ipn(t, s, "70000000001", "127.0.0.1")
	require.Equal(t, http.StatusOK, r.Status, "answered 200 so Mercado Pago stops retrying")
	require.JSONEq(t, `{"status":"ignored"}`, string(r.Body))
	require.Zero(t, s.Count(t, `SELECT count(*) FROM webhook_inbox`))
	require.Contains(t, string(s.Do(t, http.MethodGet, "/metrics", nil, nil).Body),
		`webhook_events_total{provider="mercadopago",result="ipn_disabled"} 1`)

	// Forced off without a secret, and on by default without one.
	off := webtest.Start(t, webtest.Options{Pool: s.Pool, MercadoPagoURL: "http://127.0.0.1:1", MercadoPagoToken: mptest.Token,
		MercadoPagoAcceptIPN: "0"})
	require.JSONEq(t, `{"status":"ignored"}`, string(ipn(t, off, "70000000002", "127.0.0.1").Body))
	require.Zero(t, s.Count(t, `SELECT count(*) FROM webhook_inbox`))
	on := webtest.Start(t, webtest.Options{Pool: s.Pool, MercadoPagoURL: "http://127.0.0.1:1", MercadoPagoToken: mptest.Token})
	require.JSONEq(t, `{"status":"legacy_refetch"}`, string(ipn(t, on, "70000000003", "127.0.0.1").Body))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE resource_id = '70000000003'`))
}

func TestMercadoPagoIPNOwnLane(t *testing.T) {
	t.Parallel()
	fake := mptest.Start(t)
	s := webtest.Start(t, webtest.Options{Workers: true, MercadoPagoURL: fake.URL, MercadoPagoToken: mptest.Token,
		MercadoPagoSecret: mptest.Secret, MercadoPagoAcceptIPN: "1", TrustedProxies: "127.0.0.1/32"})
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 230)
	r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2)) // deposit 6.000
	dbtest.Eventually(t, "payment link", func() bool { return fake.PreferenceCount() == 1 })

	// Made-up payments keep every worker that fetches them busy.
	release := fake.HoldUnknown()
	defer release()
	for i := range 20 {
		require.Equal(t, http.StatusOK, ipn(t, s, strconv.Itoa(72_000_000_000+i), "10.8.0."+strconv.Itoa(i)).Status)
	}
	dbtest.Eventually(t, "the unsigned workers stuck", func() bool { return fake.Waiting() >= 2 })

	// A real, signed approval still goes through meanwhile.
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: r.Code, Amount: money.FromUnits(6000)})
	code, err := fake.Notify(mpHook(s), pid)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code)
	dbtest.Eventually(t, "confirmation", func() bool { return rvStored(t, s, r.Code).Status == booking.StatusConfirmed })
	require.Positive(t, fake.Waiting(), "the junk was still being fetched")

	// Released, each made-up id is given up after mercadopago.UnsignedAttempts lookups.
	release()
	dbtest.Eventually(t, "junk given up", func() bool {
		return s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE event_key LIKE 'ipn:%' AND processed_at IS NULL`) == 0
	})
	require.Equal(t, 20, s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE event_key LIKE 'ipn:%' AND last_error = 'payment not found'`))
}

func TestMercadoPagoDepositLinkRemade(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	p := s.Property(t)
	owner := rvLogin(t, s, "owner")
	link := func(resID int64) (string, string) {
		var initPoint, amount string
		_ = s.Pool.QueryRow(context.Background(), `SELECT init_point, amount::text FROM payment_links WHERE reservation_id = $1`, resID).
			Scan(&initPoint, &amount)
		return initPoint, amount
	}
	// A hold of two nights (deposit 6.000) moved to three (deposit 9.000) by the owner.
	repriced := func(i int) (booking.Reservation, string, string) {
		ci := s.Today().AddDate(0, 0, 250+10*i)
		r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 2))
		dbtest.Eventually(t, "first link", func() bool { ip, _ := link(r.ID); return ip != "" })
		first, _ := link(r.ID)
		resp := owner.PostForm("/admin/reservations/"+r.Code+"/dates", map[string][]string{
			"property_id": {strconv.FormatInt(p.ID, 10)}, "check_in": {ci.Format("2006-01-02")},
			"check_out": {ci.AddDate(0, 0, 3).Format("2006-01-02")}})
		require.Equal(t, http.StatusSeeOther, resp.Status)
		dbtest.Eventually(t, "new link", func() bool { _, amount := link(r.ID); return amount == "9000.00" })
		second, _ := link(r.ID)
		return r, first, second
	}

	r, first, second := repriced(0)
	require.NotEqual(t, first, second)
	require.Equal(t, 2, fake.PreferenceCount(), "a new preference for the new amount")
	require.EqualValues(t, 9000, fake.LastPreference()["items"].([]any)[0].(map[string]any)["unit_price"])
	page := string(s.Do(t, http.MethodGet, "/r/"+r.Code+"?t="+r.GuestToken, nil, nil).Body)
	require.Contains(t, page, second)
	require.NotContains(t, page, first)
	require.Contains(t, page, "Pagar la seña de $ 9.000,00 con Mercado Pago")

	// The guest paid the old link (what the page asked before the change): confirmed, and the owner told the difference.
	pid := mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: r.Code, Amount: money.FromUnits(6000)})
	mpDeliver(t, s, pid)
	got := rvStored(t, s, r.Code)
	require.Equal(t, booking.StatusConfirmed, got.Status)
	require.Equal(t, money.FromUnits(6000), got.Paid)
	require.Zero(t, s.Count(t, `SELECT count(*) FROM conflicts WHERE reservation_id = $1 AND kind = $2`, r.ID, mercadopago.ConflictPartial))
	require.Contains(t, rvPage(t, owner, r.Code), "Aviso al dueño: El pago "+pid+" de Mercado Pago por $ 6.000,00 es del link de seña anterior al cambio de la reserva (la seña ahora es $ 9.000,00): se confirmó porque el huésped pagó lo que le pedimos; falta cobrar $ 3.000,00.")
	require.Contains(t, string(owner.Get("/admin/").Body), "Seña pagada con el link anterior a un cambio")

	// The new link paid: confirmed with nothing to explain.
	r2, _, _ := repriced(1)
	pid = mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: r2.Code, Amount: money.FromUnits(9000)})
	mpDeliver(t, s, pid)
	require.Equal(t, booking.StatusConfirmed, rvStored(t, s, r2.Code).Status)
	require.Zero(t, s.Count(t, `SELECT count(*) FROM conflicts WHERE reservation_id = $1`, r2.ID))

	// An amount no link of ours asked for is still partial.
	r3, _, _ := repriced(2)
	pid = mpPaymentID()
	fake.SetPayment(mptest.Payment{ID: pid, Status: "approved", Reference: r3.Code, Amount: money.FromUnits(5000)})
	mpDeliver(t, s, pid)
	require.Equal(t, booking.StatusPreReserved, rvStored(t, s, r3.Code).Status)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM conflicts WHERE reservation_id = $1 AND kind = $2`, r3.ID, mercadopago.ConflictPartial))
}
