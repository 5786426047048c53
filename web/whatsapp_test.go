package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/whatsapp"
	"alojamientos/internal/whatsapp/watest"
	"alojamientos/web/webtest"
)

const waOwner = "+5491140000000"

type waEnv struct {
	s     *webtest.Server
	graph *watest.Graph
	mp    *mptest.Server
}

func waStart(t *testing.T, withMP bool) waEnv {
	t.Helper()
	graph := watest.NewGraph(t)
	opts := webtest.Options{Workers: true, WhatsAppURL: graph.URL, WhatsAppOwnerPhone: waOwner}
	var fake *mptest.Server
	if withMP {
		fake = mptest.Start(t)
		opts.MercadoPagoURL, opts.MercadoPagoToken, opts.MercadoPagoSecret = fake.URL, mptest.Token, mptest.Secret
	}
	return waEnv{s: webtest.Start(t, opts), graph: graph, mp: fake}
}

var waSeq atomic.Int64

// post delivers a signed webhook body and returns the status code.
func (e waEnv) post(t *testing.T, body []byte, sig string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.s.URL+"/webhooks/whatsapp", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set("X-Hub-Signature-256", sig)
	}
	res, err := e.s.Client.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

func waName(name string) dbtest.PropertyOpt {
	return func(p *dbq.CreatePropertyParams) { p.Name = name }
}

func waHealth(t *testing.T, s *webtest.Server) string {
	t.Helper()
	var h struct {
		Checks struct {
			WhatsApp map[string]any `json:"whatsapp"`
		} `json:"checks"`
	}
	s.Do(t, http.MethodGet, "/healthz", nil, nil).JSON(t, &h)
	return fmt.Sprint(h.Checks.WhatsApp["status"])
}

func waID() string { return fmt.Sprintf("wamid.IN%d.%d", time.Now().UnixNano(), waSeq.Add(1)) }

// say sends a guest's text as Meta would and returns its wamid.
func (e waEnv) say(t *testing.T, from, name, text string) string {
	t.Helper()
	id := waID()
	body := watest.TextMessage(webtest.WhatsAppNumberID, from, name, id, text, e.s.Clock.Now())
	require.Equal(t, http.StatusOK, e.post(t, body, whatsapp.Sign(webtest.WhatsAppSecret, body)))
	return id
}

func (e waEnv) pick(t *testing.T, from, name, replyID, title string, list bool) {
	t.Helper()
	var body []byte
	if list {
		body = watest.ListReply(webtest.WhatsAppNumberID, from, name, waID(), replyID, title, e.s.Clock.Now())
	} else {
		body = watest.ButtonReply(webtest.WhatsAppNumberID, from, name, waID(), replyID, title, e.s.Clock.Now())
	}
	require.Equal(t, http.StatusOK, e.post(t, body, whatsapp.Sign(webtest.WhatsAppSecret, body)))
}

// to returns what was sent to a number so far.
func (e waEnv) to(number string) []watest.Request {
	var out []watest.Request
	for _, r := range e.graph.Sent() {
		if r.To == number {
			out = append(out, r)
		}
	}
	return out
}

// waitTo waits until n messages went to number and returns the last one.
func (e waEnv) waitTo(t *testing.T, number string, n int) watest.Request {
	t.Helper()
	dbtest.Eventually(t, fmt.Sprintf("%d messages to %s", n, number), func() bool { return len(e.to(number)) >= n })
	got := e.to(number)
	return got[n-1]
}

// quiet checks that nothing more than n messages reach number while the inbox drains.
func (e waEnv) settle(t *testing.T) {
	t.Helper()
	dbtest.Eventually(t, "inbox processed", func() bool {
		return e.s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE provider = 'whatsapp' AND processed_at IS NULL`) == 0 &&
			e.s.Count(t, `SELECT count(*) FROM wa_messages WHERE status IN ('queued', 'sending')`) == 0
	})
}

func TestWhatsAppVerifyHandshake(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	get := func(q string) (int, string, string) {
		res, err := s.Client.Get(s.URL + "/webhooks/whatsapp?" + q)
		require.NoError(t, err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header.Get("Content-Type")
	}
	code, body, ct := get("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" + webtest.WhatsAppVerifyToken)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "1158201444", body, "the challenge comes back exactly, not JSON-quoted")
	require.True(t, strings.HasPrefix(ct, "text/plain"), ct)
	for _, q := range []string{
		"hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong",
		"hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=" + webtest.WhatsAppVerifyToken,
		"hub.challenge=1",
		"",
	} {
		code, body, _ := get(q)
		require.Equal(t, http.StatusForbidden, code, q)
		require.NotContains(t, body, "1158201444")
	}
}

func TestWhatsAppSignatureRefused(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	raw, err := os.ReadFile("../internal/whatsapp/cloudapi/testdata/whatsapp_text_message.raw_body.json")
	require.NoError(t, err)
	good := "sha256=b692c531700d4437081d213fd365060069f495fc63e90b1d4237648d1d31b2aa" // the fixture's vector
	tampered := bytes.Replace(raw, []byte("Does it"), []byte("Does It"), 1)
	for name, c := range map[string]struct {
		body []byte
		sig  string
	}{
		"tampered body":  {tampered, good},
		"wrong secret":   {raw, whatsapp.Sign("not-the-secret", raw)},
		"missing header": {raw, ""},
		"sha1 prefix":    {raw, "sha1=" + strings.TrimPrefix(good, "sha256=")},
		"truncated":      {raw, good[:40]},
	} {
		require.Equal(t, http.StatusUnauthorized, e.post(t, c.body, c.sig), name)
	}
	require.Zero(t, e.s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE provider = 'whatsapp'`), "a refused delivery stores nothing")
	require.Zero(t, e.s.Count(t, `SELECT count(*) FROM wa_messages`))
	metrics := e.s.Do(t, http.MethodGet, "/metrics", nil, nil)
	require.Contains(t, string(metrics.Body), `webhook_events_total{provider="whatsapp",result="bad_signature"} 5`)

	// The fixture with its own signature is accepted and recorded. It was
	// written in 2025, so the 24-hour window is long closed: the assistant's
	// free-text answer is not sent (and has no template to fall back on).
	require.Equal(t, http.StatusOK, e.post(t, raw, good))
	e.settle(t)
	require.Equal(t, 1, e.s.Count(t, `SELECT count(*) FROM wa_messages WHERE direction = 'in' AND body = 'Does it come in another color?'`))
	require.Equal(t, 1, e.s.Count(t, `SELECT count(*) FROM wa_messages WHERE direction = 'out' AND status = 'skipped'`))
	require.Empty(t, e.graph.Requests())
}

func TestWhatsAppDuplicateDeliveriesOneReply(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	e.s.Property(t)
	body := watest.TextMessage(webtest.WhatsAppNumberID, "5491155550101", "Ana", waID(), "hola", e.s.Clock.Now())
	sig := whatsapp.Sign(webtest.WhatsAppSecret, body)
	var wg sync.WaitGroup
	codes := make([]int, 10)
	for i := range 10 {
		wg.Go(func() { codes[i] = e.post(t, body, sig) })
	}
	wg.Wait()
	for _, c := range codes {
		require.Equal(t, http.StatusOK, c)
	}
	e.waitTo(t, "5491155550101", 1)
	e.settle(t)
	require.Len(t, e.to("5491155550101"), 1, "ten deliveries of one message get one reply")
	require.Equal(t, 1, e.s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE provider = 'whatsapp'`))
	require.Equal(t, 1, e.s.Count(t, `SELECT count(*) FROM wa_messages WHERE direction = 'in'`))
}

func TestWhatsAppBatchOfManyMessagesAndStatuses(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	now := e.s.Clock.Now()
	var parts [][]byte
	for i := range 5 {
		parts = append(parts, watest.TextMessage(webtest.WhatsAppNumberID, fmt.Sprintf("54911555502%02d", i), "G", waID(), "ayuda", now))
	}
	parts = append(parts, watest.Status(webtest.WhatsAppNumberID, "wamid.unknown-to-us", "delivered", "5491155550200", now, 0))
	body := watest.Batch(parts...)
	require.Equal(t, http.StatusOK, e.post(t, body, whatsapp.Sign(webtest.WhatsAppSecret, body)))
	for i := range 5 {
		e.waitTo(t, fmt.Sprintf("54911555502%02d", i), 1)
	}
	require.Equal(t, 6, e.s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE provider = 'whatsapp'`))
}

func TestWhatsAppBookingConversationEndToEnd(t *testing.T) {
	t.Parallel()
	e := waStart(t, true)
	s := e.s
	lago := s.Property(t, waName("Cabaña del Lago"))
	s.Property(t, waName("Cabaña del Bosque"))
	guest := "5491155550301"

	e.say(t, guest, "Ana Gómez", "hola!! tienen lugar este finde? somos 2 🙌")
	list := e.waitTo(t, guest, 1)
	require.Equal(t, "interactive", list.Type)
	require.Len(t, list.Rows, 2, "both cabins are free: a list to choose from")
	require.Contains(t, list.Text, "Cabaña del Lago")
	require.Contains(t, list.Text, "seña")

	e.pick(t, guest, "Ana Gómez", fmt.Sprintf("pick:%d", lago.ID), "Cabaña del Lago", true)
	ask := e.waitTo(t, guest, 2)
	require.Contains(t, ask.Text, "A nombre de quién")
	require.Equal(t, []string{"Ana Gómez"}, ask.Buttons, "the profile name is offered as a button")

	e.say(t, guest, "Ana Gómez", "ana gomez")
	link := e.waitTo(t, guest, 3)
	var code string
	require.NoError(t, s.Pool.QueryRow(context.Background(),
		`SELECT code FROM reservations WHERE guest_phone = $1 AND status = 'pre_reserved' AND channel = 'whatsapp'`, "+"+guest).Scan(&code))
	r := rvStored(t, s, code)
	require.Equal(t, "Ana Gomez", r.GuestName)
	require.Equal(t, lago.ID, r.PropertyID)
	require.Equal(t, 2, r.Guests)
	require.Contains(t, link.Text, code)
	require.Contains(t, link.Text, e.mp.URL+"/checkout/v1/redirect?pref_id=", "the deposit link is Mercado Pago's init_point")
	require.Contains(t, link.Text, r.Deposit.Display())
	require.Contains(t, link.Text, r.HoldExpiresAt.In(time.FixedZone("AR", -3*3600)).Format("15:04"))

	// Mercado Pago approves the deposit: the guest gets the confirmation, the owner hears about it.
	pid := mpPaymentID()
	e.mp.SetPayment(mptest.Payment{ID: pid, Status: "approved", StatusDetail: "accredited", Reference: code, Amount: r.Deposit})
	mpDeliver(t, s, pid)
	confirm := e.waitTo(t, guest, 4)
	require.Contains(t, confirm.Text, "confirmada")
	require.Contains(t, confirm.Text, "14:00", "check-in details")
	require.Equal(t, booking.StatusConfirmed, rvStored(t, s, code).Status)
	dbtest.Eventually(t, "owner alerts", func() bool { return len(e.to(strings.TrimPrefix(waOwner, "+"))) >= 2 })
	owner := e.to(strings.TrimPrefix(waOwner, "+"))
	require.Equal(t, "template", owner[0].Type, "the owner never wrote: alerts go as the alert template")
	require.Contains(t, strings.Join(owner[0].Params, " "), code)
	e.settle(t)
	require.Len(t, e.to(guest), 4, "every message once")

	// Statuses move forward only; a failure keeps its code.
	sent := e.to(guest)[3].WAMID
	for _, st := range []string{"read", "delivered", "sent"} {
		b := watest.Status(webtest.WhatsAppNumberID, sent, st, guest, s.Clock.Now(), 0)
		require.Equal(t, http.StatusOK, e.post(t, b, whatsapp.Sign(webtest.WhatsAppSecret, b)))
	}
	e.settle(t)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM wa_messages WHERE wamid = $1 AND status = 'read'`, sent))
	other := e.to(guest)[2].WAMID
	b := watest.Status(webtest.WhatsAppNumberID, other, "failed", guest, s.Clock.Now(), 131049)
	require.Equal(t, http.StatusOK, e.post(t, b, whatsapp.Sign(webtest.WhatsAppSecret, b)))
	e.settle(t)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM wa_messages WHERE wamid = $1 AND status = 'failed' AND error_code = 131049`, other))

	// Status by code.
	e.say(t, guest, "Ana Gómez", "como esta mi reserva "+strings.ToLower(code)+"?")
	st := e.waitTo(t, guest, 5)
	require.Contains(t, st.Text, "confirmada")
}

func TestWhatsAppTakenDatesAndTooManyGuests(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 20)
	s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 3))
	guest := "5491155550401"
	e.say(t, guest, "Beto", fmt.Sprintf("hay lugar del %d/%d al %d/%d para 2?", ci.Day(), ci.Month(), ci.AddDate(0, 0, 2).Day(), ci.AddDate(0, 0, 2).Month()))
	m := e.waitTo(t, guest, 1)
	require.Contains(t, m.Text, "no nos queda nada libre")

	e.say(t, guest, "Beto", fmt.Sprintf("y del %d/%d al %d/%d? somos 9", ci.AddDate(0, 0, 5).Day(), ci.AddDate(0, 0, 5).Month(), ci.AddDate(0, 0, 7).Day(), ci.AddDate(0, 0, 7).Month()))
	m = e.waitTo(t, guest, 2)
	require.Contains(t, m.Text, "máximo")
	require.Contains(t, m.Text, "4 personas")
	require.Zero(t, s.Count(t, `SELECT count(*) FROM reservations WHERE channel = 'whatsapp'`))
}

func TestWhatsAppAskingOneSlotAtATime(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	e.s.Property(t, waName("Única"))
	guest := "5491155550501"
	e.say(t, guest, "Caro", "quiero reservar")
	m := e.waitTo(t, guest, 1)
	require.Contains(t, m.Text, "qué fechas")
	require.Len(t, m.Buttons, 3)
	e.pick(t, guest, "Caro", "dates:el proximo finde", "El próximo finde", false)
	m = e.waitTo(t, guest, 2)
	require.Contains(t, m.Text, "Cuántas personas")
	e.say(t, guest, "Caro", "3")
	m = e.waitTo(t, guest, 3)
	require.Contains(t, m.Text, "Única")
	require.Equal(t, []string{"Reservar", "Otras fechas"}, m.Buttons, "one option: a yes button, not a list")
	e.say(t, guest, "Caro", "dale")
	m = e.waitTo(t, guest, 4)
	require.Contains(t, m.Text, "A nombre de quién")
	e.say(t, guest, "Caro", "me llamo Carolina Paz")
	m = e.waitTo(t, guest, 5)
	require.Contains(t, m.Text, "Te reservé")
	require.Contains(t, m.Text, "para 3 personas")
	require.Contains(t, m.Text, "/r/RES", "without Mercado Pago the guest page is the link")
}

func TestWhatsAppExpiredHoldAndStateTTL(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	p := s.Property(t)
	guest := "5491155550601"
	ci := s.Today().AddDate(0, 0, 30)
	e.say(t, guest, "Dani", fmt.Sprintf("del %d/%d al %d/%d somos 2", ci.Day(), ci.Month(), ci.AddDate(0, 0, 2).Day(), ci.AddDate(0, 0, 2).Month()))
	e.waitTo(t, guest, 1)
	e.say(t, guest, "Dani", "si")
	e.waitTo(t, guest, 2)
	e.say(t, guest, "Dani", "Daniela Ruiz")
	e.waitTo(t, guest, 3)
	var code string
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT code FROM reservations WHERE property_id = $1`, p.ID).Scan(&code))

	s.Clock.Advance(31 * time.Minute)
	_, err := s.Booking.ExpireDue(context.Background())
	require.NoError(t, err)
	m := e.waitTo(t, guest, 4)
	require.Contains(t, m.Text, "venció")
	require.Contains(t, m.Text, code)

	// Hours later the chat starts over: a bare "2" is not an answer to an old question.
	s.Clock.Advance(3 * time.Hour)
	e.say(t, guest, "Dani", "2")
	m = e.waitTo(t, guest, 5)
	require.Contains(t, m.Text, "No te entendí")
}

func TestWhatsAppHandoffKeepsTheAssistantQuiet(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	guest := "5491155550701"
	e.say(t, guest, "Eva", "necesito hablar con una persona por favor")
	m := e.waitTo(t, guest, 1)
	require.Contains(t, m.Text, "te escribe por acá")
	owner := e.waitTo(t, strings.TrimPrefix(waOwner, "+"), 1)
	require.Contains(t, strings.Join(owner.Params, " "), "pidió hablar con una persona")
	require.Equal(t, 1, e.s.Count(t, `SELECT count(*) FROM wa_conversations WHERE wa_id = $1 AND mode = 'owner'`, guest))

	e.say(t, guest, "Eva", "hola? cuanto sale del 10 al 12 de marzo")
	e.settle(t)
	require.Len(t, e.to(guest), 1, "while a person has the chat the assistant says nothing")
	require.Equal(t, 2, e.s.Count(t, `SELECT count(*) FROM wa_messages WHERE direction = 'in'`))

	var conv int64
	require.NoError(t, e.s.Pool.QueryRow(context.Background(), `SELECT id FROM wa_conversations WHERE wa_id = $1`, guest).Scan(&conv))
	require.NoError(t, e.s.WhatsApp.SetMode(context.Background(), e.s.Account.ID, conv, "assistant"))
	e.say(t, guest, "Eva", "ayuda")
	e.waitTo(t, guest, 2)
}

func TestWhatsAppCancelRequestGoesToTheOwner(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	p := s.Property(t)
	guest := "5491155550801"
	ci := s.Today().AddDate(0, 0, 40)
	h, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci),
		CheckOut: booking.FormatDate(ci.AddDate(0, 0, 2)), Guests: 2, GuestName: "Fede", GuestPhone: "+" + guest, Channel: "web", Actor: "guest"})
	require.NoError(t, err)
	e.waitTo(t, guest, 1) // the hold's notice
	// A stay under way is not the guest's to cancel (a booking not started
	// is: TestWhatsAppGuestCancels): the request goes to the owner.
	for _, a := range []booking.Action{booking.ActionConfirm, booking.ActionCheckIn} {
		_, err = s.Booking.Transition(context.Background(), h.Reservation.ID, a, "test", "")
		require.NoError(t, err)
	}
	e.say(t, guest, "Fede", "quiero cancelar la reserva "+h.Reservation.Code)
	m := e.waitSays(t, guest, "pedido de cancelación")
	require.Contains(t, m, "pedido de cancelación")
	require.Equal(t, booking.StatusCheckedIn, rvStored(t, s, h.Reservation.Code).Status, "only the owner cancels")
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM conflicts WHERE kind = 'cancel_request' AND reservation_id = $1`, h.Reservation.ID))
}

func TestWhatsAppTwentyFourHourRule(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	p := s.Property(t)
	ci := s.Today().AddDate(0, 0, 15)

	// A web guest who never wrote to us: the hold's notice can only be a template.
	never := "5491155550901"
	_, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci),
		CheckOut: booking.FormatDate(ci.AddDate(0, 0, 2)), Guests: 2, GuestName: "Gabi", GuestPhone: "+" + never, Channel: "web", Actor: "guest"})
	require.NoError(t, err)
	m := e.waitTo(t, never, 1)
	require.Equal(t, "template", m.Type)
	require.Equal(t, whatsapp.DefaultTemplates[whatsapp.EventHoldCreated], m.Template)
	require.Equal(t, "Gabi", m.Params[0])

	// A guest who wrote 25 hours ago: free text is never sent, the template goes instead.
	old := "5491155550902"
	e.say(t, old, "Hugo", "hola")
	e.waitTo(t, old, 1)
	s.Clock.Advance(25 * time.Hour)
	_, err = s.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci.AddDate(0, 0, 5)),
		CheckOut: booking.FormatDate(ci.AddDate(0, 0, 7)), Guests: 2, GuestName: "Hugo", GuestPhone: "+" + old, Channel: "web", Actor: "guest"})
	require.NoError(t, err)
	m = e.waitTo(t, old, 2)
	require.Equal(t, "template", m.Type)
	e.settle(t)
	texts := 0
	for _, r := range e.graph.Requests() {
		if r.To == old && r.Type != "template" {
			texts++
		}
	}
	require.Equal(t, 1, texts, "only the reply inside the window went as free text; nothing else was even tried")
	conv := int64(0)
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT id FROM wa_conversations WHERE wa_id = $1`, old).Scan(&conv))
	require.ErrorIs(t, s.WhatsApp.OwnerReply(context.Background(), s.Account.ID, conv, 0, "hola", "t1"), whatsapp.ErrWindowClosed)

	// Meta says the window is closed (131047) though we thought it open: rerouted to the template.
	late := "5491155550903"
	e.say(t, late, "Iris", "hola")
	e.waitTo(t, late, 1)
	e.graph.FailTo(late, 131047)
	_, err = s.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci.AddDate(0, 0, 10)),
		CheckOut: booking.FormatDate(ci.AddDate(0, 0, 12)), Guests: 2, GuestName: "Iris", GuestPhone: "+" + late, Channel: "web", Actor: "guest"})
	require.NoError(t, err)
	m = e.waitTo(t, late, 2)
	require.Equal(t, "template", m.Type)
}

func TestWhatsAppSendRetriesRateLimitsAndServerErrors(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	guest := "5491155551001"
	e.graph.FailNext(1, 130429)
	e.graph.FailNext(1, 500)
	e.say(t, guest, "Juan", "hola")
	m := e.waitTo(t, guest, 1)
	require.Contains(t, m.Text, "Hola")
	e.settle(t)
	require.Len(t, e.to(guest), 1, "sent once after two refusals")
	require.Equal(t, 1, e.s.Count(t, `SELECT count(*) FROM wa_messages WHERE direction = 'out' AND status = 'sent'`))
}

func TestWhatsAppHealth(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	require.Equal(t, "ok", waHealth(t, e.s))
	plain := webtest.Start(t, webtest.Options{})
	require.Equal(t, "unconfigured", waHealth(t, plain))
}

func TestWhatsAppRemindersBeforeExpiryAndBeforeArrival(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	p := s.Property(t, waName("Cabaña del Río"))
	ctx := context.Background()
	guest := "5491155551101"
	ci := s.Today().AddDate(0, 0, 3)
	h, err := s.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci),
		CheckOut: booking.FormatDate(ci.AddDate(0, 0, 2)), Guests: 2, GuestName: "Laura Sosa", GuestPhone: "+" + guest, Channel: "web", Actor: "guest"})
	require.NoError(t, err)
	e.waitTo(t, guest, 1)

	// Ten minutes are not yet "about to expire"; nine minutes before the end are, once. Laura never
	// wrote and this hold already had its one unsolicited template: the reminder is queued and skipped.
	s.Clock.Advance(15 * time.Minute)
	require.NoError(t, s.WhatsApp.Remind(ctx))
	s.Clock.Advance(6 * time.Minute)
	require.NoError(t, s.WhatsApp.Remind(ctx))
	require.NoError(t, s.WhatsApp.Remind(ctx))
	dbtest.Eventually(t, "the reminder skipped", func() bool {
		return s.Count(t, `SELECT count(*) FROM wa_messages WHERE event_key = $1 AND status = 'skipped'`,
			fmt.Sprintf("hold_expiring:%d:guest", h.Reservation.ID)) == 1
	})
	e.settle(t)
	require.Len(t, e.to(guest), 1)

	// Paid: the day before arrival, from 10:00 local time, one reminder.
	_, err = s.Booking.Transition(ctx, h.Reservation.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	e.waitTo(t, guest, 2) // the confirmation
	ar := time.FixedZone("AR", -3*3600)
	eve := ci.AddDate(0, 0, -1)
	s.Clock.Set(time.Date(eve.Year(), eve.Month(), eve.Day(), 9, 0, 0, 0, ar))
	require.NoError(t, s.WhatsApp.Remind(ctx))
	e.settle(t)
	require.Len(t, e.to(guest), 2, "not before 10:00")
	s.Clock.Set(time.Date(eve.Year(), eve.Month(), eve.Day(), 10, 30, 0, 0, ar))
	require.NoError(t, s.WhatsApp.Remind(ctx))
	require.NoError(t, s.WhatsApp.Remind(ctx))
	m := e.waitTo(t, guest, 3)
	require.Equal(t, whatsapp.DefaultTemplates[whatsapp.EventCheckInReminder], m.Template)
	require.Equal(t, []string{"Laura", "Cabaña del Río", "14:00"}, m.Params)
	e.settle(t)
	require.Len(t, e.to(guest), 3)
}

// With Redis on, the chat's memory still lives in PostgreSQL: it is written
// on the transaction that holds the chat's lock (see the back-to-back test).
func TestWhatsAppChatStateInPostgreSQLWithRedisOn(t *testing.T) {
	t.Parallel()
	graph := watest.NewGraph(t)
	s := webtest.Start(t, webtest.Options{Workers: true, Redis: true, WhatsAppURL: graph.URL})
	e := waEnv{s: s, graph: graph}
	s.Property(t, waName("Domo"))
	guest := "5491155551201"
	e.say(t, guest, "Mora", "hola, quiero reservar del 3 al 5 del mes que viene")
	m := e.waitTo(t, guest, 1)
	require.Contains(t, m.Text, "Cuántas personas")
	conv := waConv(t, s, guest)
	var state string
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT state::text FROM wa_state WHERE conversation_id = $1`, conv).Scan(&state))
	require.Contains(t, state, `"step": "ask_guests"`)
	_, ok, err := s.Shared.GetValue(context.Background(), "wa:state:"+fmt.Sprint(conv))
	require.NoError(t, err)
	require.False(t, ok, "no second copy in Redis to go stale")
	e.say(t, guest, "Mora", "somos 2")
	m = e.waitTo(t, guest, 2)
	require.Contains(t, m.Text, "Domo")
}

func waConv(t *testing.T, s *webtest.Server, waID string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT id FROM wa_conversations WHERE wa_id = $1`, waID).Scan(&id))
	return id
}
