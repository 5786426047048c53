package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"alojamientos/db"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/money"
	"alojamientos/internal/whatsapp"
	"alojamientos/internal/whatsapp/watest"
)

// prop is a property the load uses.
type prop struct {
	id          int64
	slug, name  string
	token       string // export feed token
	holdMinutes int
}

// holdRec is a hold the API answered 201 for.
type holdRec struct {
	code     string
	prop     int64
	checkIn  string
	checkOut string
	deposit  money.Money
	at       time.Time
	short    bool // on a property whose holds last one minute
}

// soak is the running load and what it must find in the database at the end.
type soak struct {
	insts    []*instance
	pool     *db.Pool
	st       *stats
	client   *http.Client
	mp       *mpFake
	graph    *watest.Graph
	feed     *feedFake
	today    time.Time // the properties' local date
	waNumber string
	waSecret string
	demo     []prop
	holdPool []prop // walked by the hold workers
	racePool []prop // the collision rounds
	rr       atomic.Uint64
	seq      atomic.Int64

	walkMu   sync.Mutex
	walkNext map[int64]time.Time
	walkK    int

	mu         sync.Mutex
	holds      map[string]holdRec // code → hold, every 201 of the load
	approved   map[string]string  // payment id → code, approved at the fake and delivered
	waSent     map[string]bool    // wamid → delivered with a 200 at least once
	chatsDone  int
	raceRounds int
	raceMulti  []string // rounds with more than one winner
	etags      map[string]string

	ownerMu     sync.Mutex
	ownerCookie string
	ownerCSRF   string
	feeds       [][2]int64 // property id, feed id: the demo's channel feeds
	syncing     atomic.Bool

	payQ    chan holdRec
	loadEnd time.Time // when the load stops: no late payment is planned past it
	payWG   sync.WaitGroup
}

func newHTTPClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 20 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 3 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			IdleConnTimeout:     30 * time.Second,
			DisableCompression:  true,
		},
		// Redirects are answers to check (a lost session goes to /login).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// base picks the next instance, round robin.
func (s *soak) base() (int, string) {
	i := int(s.rr.Add(1) % uint64(len(s.insts)))
	return i, s.insts[i].BaseURL
}

func (s *soak) other(i int) string { return s.insts[(i+1)%len(s.insts)].BaseURL }

// do sends a request and reads the answer (at most 1 MB).
func (s *soak) do(req *http.Request) (int, http.Header, []byte, time.Duration, error) {
	t0 := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, nil, time.Since(t0), err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header, body, time.Since(t0), err
}

func errClass(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "connection refused"):
		return "connection refused"
	case strings.Contains(msg, "Client.Timeout") || strings.Contains(msg, "deadline exceeded"):
		return "timeout"
	case strings.Contains(msg, "EOF") || strings.Contains(msg, "connection reset"):
		return "connection reset/EOF"
	}
	return "transport error"
}

// get is one GET of kind, ok when check accepts the answer.
func (s *soak) get(ctx context.Context, kind, path string, hdr http.Header, check func(int, http.Header, []byte) string) {
	_, base := s.base()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	for k, v := range hdr {
		req.Header[k] = v
	}
	code, h, body, lat, err := s.do(req)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		s.st.fail(kind, lat, errClass(err), err.Error())
		return
	}
	if bad := check(code, h, body); bad != "" {
		s.st.fail(kind, lat, bad, path+": "+string(body))
		return
	}
	s.st.ok(kind, lat)
}

func status200(code int, _ http.Header, _ []byte) string {
	if code != http.StatusOK {
		return strconv.Itoa(code)
	}
	return ""
}

func (s *soak) allProps() []prop {
	return append(append(append([]prop{}, s.demo...), s.holdPool...), s.racePool...)
}

// browse: a guest reads a property's page.
func (s *soak) browse(ctx context.Context, rng *mrand.Rand) {
	all := s.allProps()
	p := all[rng.IntN(len(all))]
	s.get(ctx, "page", "/p/"+p.slug, nil, func(code int, h http.Header, b []byte) string {
		if code != http.StatusOK {
			return strconv.Itoa(code)
		}
		if !bytes.Contains(b, []byte(htmlEscape(p.name))) {
			return "page without the property's name"
		}
		return ""
	})
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// quote: a guest picks dates in the booking box (the htmx fragment), or asks the API.
func (s *soak) quote(ctx context.Context, rng *mrand.Rand) {
	all := s.allProps()
	p := all[rng.IntN(len(all))]
	in := s.today.AddDate(0, 0, 20+rng.IntN(300))
	q := url.Values{"check_in": {dateOnly(in)}, "check_out": {dateOnly(in.AddDate(0, 0, 3))}, "guests": {"2"}}
	if rng.IntN(2) == 0 {
		s.get(ctx, "quote", "/p/"+p.slug+"/quote?"+q.Encode(), http.Header{"Hx-Request": {"true"}}, status200)
		return
	}
	s.get(ctx, "api_quote", fmt.Sprintf("/api/v1/properties/%d/quote?%s", p.id, q.Encode()), nil,
		func(code int, _ http.Header, b []byte) string {
			// 422 is a quote's answer too: taken nights, minimum nights.
			if code == http.StatusOK && bytes.Contains(b, []byte(`"total_price"`)) || code == http.StatusUnprocessableEntity {
				return ""
			}
			return strconv.Itoa(code)
		})
}

// icalPoll: a channel polls an export feed, conditionally.
func (s *soak) icalPoll(ctx context.Context, rng *mrand.Rand) {
	all := s.allProps()
	p := all[rng.IntN(len(all))]
	path := "/ical/" + p.token + ".ics"
	hdr := http.Header{}
	s.mu.Lock()
	if e := s.etags[p.token]; e != "" {
		hdr.Set("If-None-Match", e)
	}
	s.mu.Unlock()
	s.get(ctx, "ical_poll", path, hdr, func(code int, h http.Header, b []byte) string {
		switch {
		case code == http.StatusNotModified:
			return ""
		case code == http.StatusOK && bytes.HasPrefix(b, []byte("BEGIN:VCALENDAR")):
			s.mu.Lock()
			s.etags[p.token] = h.Get("ETag")
			s.mu.Unlock()
			return ""
		}
		return strconv.Itoa(code)
	})
}

// stay hands out nights nobody else of the load asks for: each property of
// the hold pool walked forward, 1 to 3 nights a stay.
func (s *soak) stay() (prop, time.Time, time.Time) {
	s.walkMu.Lock()
	defer s.walkMu.Unlock()
	p := s.holdPool[s.walkK%len(s.holdPool)]
	nights := 1 + (s.walkK/len(s.holdPool))%3
	s.walkK++
	in := s.walkNext[p.id]
	out := in.AddDate(0, 0, nights)
	s.walkNext[p.id] = out
	return p, in, out
}

type prereserveBody struct {
	PropertyID int64  `json:"property_id"`
	CheckIn    string `json:"check_in"`
	CheckOut   string `json:"check_out"`
	Guests     int    `json:"guests"`
	GuestName  string `json:"guest_name"`
	GuestPhone string `json:"guest_phone"`
	GuestEmail string `json:"guest_email"`
}

type holdAnswer struct {
	Code          string      `json:"code"`
	Status        string      `json:"status"`
	DepositAmount money.Money `json:"deposit_amount"`
}

func holdBody(p int64, in, out time.Time, n int64) []byte {
	b, _ := json.Marshal(prereserveBody{PropertyID: p, CheckIn: dateOnly(in), CheckOut: dateOnly(out), Guests: 2,
		GuestName: "Huésped Soak " + letters(n), GuestPhone: "+5491155550000", GuestEmail: "soak@example.com"})
	return b
}

// letters spells n with the letters a–j for its digits: guest names may not carry digits.
func letters(n int64) string {
	return strings.Map(func(r rune) rune { return 'a' + r - '0' }, strconv.FormatInt(n, 10))
}

func (s *soak) postHold(ctx context.Context, base string, body []byte, key string) (int, http.Header, []byte, time.Duration, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/reservations/pre-reserve", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	return s.do(req)
}

// record keeps a 201 for the checks at the end and, sometimes, for payment.
func (s *soak) record(p prop, in, out time.Time, body []byte) (holdRec, bool) {
	var a holdAnswer
	if json.Unmarshal(body, &a) != nil || a.Code == "" || a.Status != "pre_reserved" {
		return holdRec{}, false
	}
	h := holdRec{code: a.Code, prop: p.id, checkIn: dateOnly(in), checkOut: dateOnly(out), deposit: a.DepositAmount,
		at: time.Now(), short: p.holdMinutes == 1}
	s.mu.Lock()
	s.holds[a.Code] = h
	s.mu.Unlock()
	return h, true
}

// hold: a guest holds free nights through the JSON API; some with an
// Idempotency-Key, retried on the other instance, which must replay the
// first answer.
func (s *soak) hold(ctx context.Context, rng *mrand.Rand) {
	p, in, out := s.stay()
	n := s.seq.Add(1)
	body := holdBody(p.id, in, out, n)
	key := ""
	if rng.IntN(5) == 0 {
		key = fmt.Sprintf("soak-%d-%d", time.Now().UnixNano(), n)
	}
	i, base := s.base()
	code, _, resp, lat, err := s.postHold(ctx, base, body, key)
	if ctx.Err() != nil {
		return
	}
	switch {
	case err != nil:
		s.st.fail("hold", lat, errClass(err), err.Error())
		return
	case code != http.StatusCreated:
		s.st.fail("hold", lat, strconv.Itoa(code), string(resp))
		return
	}
	h, ok := s.record(p, in, out, resp)
	if !ok {
		s.st.fail("hold", lat, "201 without a pre_reserved code", string(resp))
		return
	}
	s.st.ok("hold", lat)
	if key != "" {
		code2, h2, resp2, lat2, err := s.postHold(ctx, s.other(i), body, key)
		switch {
		case ctx.Err() != nil:
		case err != nil:
			s.st.fail("hold_replay", lat2, errClass(err), err.Error())
		case code2 != http.StatusCreated || !bytes.Equal(resp, resp2) || h2.Get("Idempotent-Replayed") != "true":
			s.st.fail("hold_replay", lat2, "replay differs ("+strconv.Itoa(code2)+")", string(resp2))
		default:
			s.st.ok("hold_replay", lat2)
		}
	}
	if rng.IntN(10) < 6 {
		select {
		case s.payQ <- h:
		default:
		}
	}
}

// raceRound: many guests on both instances ask for the same nights at the
// same moment; exactly one may win.
func (s *soak) raceRound(ctx context.Context, round int) {
	p := s.racePool[round%len(s.racePool)]
	in := s.today.AddDate(0, 0, 30+3*(round/len(s.racePool)))
	out := in.AddDate(0, 0, 2)
	const clients = 16
	n := s.seq.Add(1)
	body := holdBody(p.id, in, out, n)
	type res struct {
		code int
		body []byte
		lat  time.Duration
		err  error
	}
	results := make([]res, clients)
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			<-gate
			code, _, b, lat, err := s.postHold(ctx, s.insts[c%len(s.insts)].BaseURL, body, "")
			results[c] = res{code, b, lat, err}
		})
	}
	close(gate)
	wg.Wait()
	if ctx.Err() != nil {
		return
	}
	winners := 0
	for _, r := range results {
		switch {
		case r.err != nil:
			s.st.fail("race", r.lat, errClass(r.err), r.err.Error())
		case r.code == http.StatusCreated:
			winners++
			s.st.ok("race", r.lat)
			if h, ok := s.record(p, in, out, r.body); ok && round%2 == 0 {
				select {
				case s.payQ <- h:
				default:
				}
			}
		case r.code == http.StatusConflict:
			s.st.ok("race", r.lat)
		default:
			s.st.fail("race", r.lat, strconv.Itoa(r.code), string(r.body))
		}
	}
	s.mu.Lock()
	s.raceRounds++
	if winners > 1 {
		s.raceMulti = append(s.raceMulti, fmt.Sprintf("round %d, property %d %s..%s: %d winners", round, p.id,
			dateOnly(in), dateOnly(out), winners))
	}
	s.mu.Unlock()
}

// deliver posts a webhook the way the provider does: retried on the other
// instance with a growing pause until one answers 200 (each attempt counts).
func (s *soak) deliver(ctx context.Context, kind string, build func(base string) *http.Request) bool {
	i, _ := s.base()
	pause := 500 * time.Millisecond
	for attempt := range 8 {
		req := build(s.insts[(i+attempt)%len(s.insts)].BaseURL)
		req = req.WithContext(context.WithoutCancel(ctx))
		code, _, body, lat, err := s.do(req)
		switch {
		case err != nil:
			s.st.fail(kind, lat, errClass(err), err.Error())
		case code == http.StatusOK:
			s.st.ok(kind, lat)
			return true
		default:
			s.st.fail(kind, lat, strconv.Itoa(code), string(body))
		}
		if !sleepCtx(context.WithoutCancel(ctx), pause) {
			return false
		}
		pause = min(2*pause, 8*time.Second)
	}
	return false
}

func (s *soak) mpRequest(d mptest.Delivery) func(string) *http.Request {
	return func(base string) *http.Request {
		d.URL = base + "/webhooks/mercadopago"
		return d.Request()
	}
}

// pay: Mercado Pago approves a hold's deposit and notifies us; some
// notifications arrive twice, some payments are seen pending after they
// were approved (an out-of-order status), some arrive after the hold expired.
func (s *soak) pay(ctx context.Context, h holdRec) {
	rng := mrand.New(mrand.NewPCG(uint64(s.seq.Add(1)), uint64(time.Now().UnixNano())))
	pid := strconv.FormatInt(8_000_000_000+s.seq.Add(1), 10)
	scenario := rng.IntN(10)
	if h.short && scenario < 3 && h.at.Add(75*time.Second).Before(s.loadEnd) {
		// Late: after the one-minute hold has expired (re-taken, or flagged for a refund).
		if !sleepCtx(context.WithoutCancel(ctx), time.Until(h.at.Add(75*time.Second))) {
			return
		}
	}
	s.mp.SetPayment(mptest.Payment{ID: pid, Status: "approved", StatusDetail: "accredited", Reference: h.code,
		Amount: h.deposit})
	d := mptest.NewDelivery("", mptest.Secret, pid, time.Now())
	if !s.deliver(ctx, "mp_webhook", s.mpRequest(d)) {
		return
	}
	s.mu.Lock()
	s.approved[pid] = h.code
	s.mu.Unlock()
	switch {
	case scenario >= 7:
		// The same notification again (same request id), and a second one.
		s.deliver(ctx, "mp_webhook_dup", s.mpRequest(d))
		s.deliver(ctx, "mp_webhook_dup", s.mpRequest(mptest.NewDelivery("", mptest.Secret, pid, time.Now())))
	case scenario >= 4:
		// Out of order: once the approval is recorded, a stale pending
		// status shows up (its notification processed while Mercado Pago
		// still answers pending); statuses only move forward.
		if !s.waitPayment(ctx, pid, "approved") {
			return
		}
		s.mp.SetPayment(mptest.Payment{ID: pid, Status: "pending", StatusDetail: "pending_waiting_payment",
			Reference: h.code, Amount: h.deposit})
		late := mptest.NewDelivery("", mptest.Secret, pid, time.Now())
		if s.deliver(ctx, "mp_webhook_ooo", s.mpRequest(late)) {
			s.waitInbox(ctx, "payment:"+pid+":"+late.RequestID)
		}
		s.mp.SetPayment(mptest.Payment{ID: pid, Status: "approved", StatusDetail: "accredited", Reference: h.code,
			Amount: h.deposit})
	}
}

// waitPayment waits (up to a minute) until our records show the payment with status.
func (s *soak) waitPayment(ctx context.Context, pid, status string) bool {
	ctx = context.WithoutCancel(ctx)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); sleepCtx(ctx, 200*time.Millisecond) {
		var st string
		if s.pool.QueryRow(ctx, `SELECT status FROM payments WHERE provider = 'mercadopago' AND provider_id = $1`, pid).Scan(&st) == nil &&
			st == status {
			return true
		}
	}
	s.st.fail("mp_webhook_ooo", 0, "approval not recorded within a minute (job lag)", pid)
	return false
}

// waitInbox waits (up to a minute) until a notification has been processed.
func (s *soak) waitInbox(ctx context.Context, key string) bool {
	ctx = context.WithoutCancel(ctx)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); sleepCtx(ctx, 200*time.Millisecond) {
		var done bool
		if s.pool.QueryRow(ctx, `SELECT processed_at IS NOT NULL FROM webhook_inbox WHERE event_key = $1`, key).Scan(&done) == nil && done {
			return true
		}
	}
	s.st.fail("mp_webhook_ooo", 0, "stale notification not processed within a minute (job lag)", key)
	return false
}

func (s *soak) payer(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case h := <-s.payQ:
			s.payWG.Go(func() { s.pay(ctx, h) })
		}
	}
}

// waPost delivers one signed WhatsApp webhook body.
func (s *soak) waPost(ctx context.Context, kind string, body []byte) bool {
	sig := whatsapp.Sign(s.waSecret, body)
	return s.deliver(ctx, kind, func(base string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, base+"/webhooks/whatsapp", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hub-Signature-256", sig)
		return req
	})
}

func (s *soak) wamid() string {
	return fmt.Sprintf("wamid.SOAK%d.%d", time.Now().UnixNano(), s.seq.Add(1))
}

func (s *soak) guestNumber() string { return fmt.Sprintf("54911%08d", s.seq.Add(1)%1e8) }

var guestNames = []string{"Juana Pérez", "Martín Gómez", "Lucía Díaz", "Sofía Ruiz", "Tomás Rossi", "Ana Sosa",
	"Diego Romero", "Camila Torres", "Nicolás Álvarez", "Valentina López"}

var greetings = []string{"hola!", "Hola buenas tardes", "buenas, una consulta", "hola 👋", "holaa"}

// waMessage: a guest writes to the business: a greeting or an availability
// question; some deliveries come twice (Meta retries), some are statuses of
// our own messages.
func (s *soak) waMessage(ctx context.Context, rng *mrand.Rand) {
	from := s.guestNumber()
	id := s.wamid()
	var text string
	if rng.IntN(2) == 0 {
		text = greetings[rng.IntN(len(greetings))]
	} else {
		in := s.today.AddDate(0, 0, 90+rng.IntN(200))
		out := in.AddDate(0, 0, 2+rng.IntN(3))
		text = fmt.Sprintf("hay lugar del %d/%d al %d/%d para %d?", in.Day(), in.Month(), out.Day(), out.Month(), 1+rng.IntN(3))
	}
	body := watest.TextMessage(s.waNumber, from, "Huésped", id, text, time.Now())
	if !s.waPost(ctx, "wa_message", body) {
		return
	}
	s.mu.Lock()
	s.waSent[id] = true
	s.mu.Unlock()
	if rng.IntN(6) == 0 {
		s.waPost(ctx, "wa_duplicate", body)
	}
	if rng.IntN(4) == 0 {
		if sent := s.graph.Sent(); len(sent) > 0 {
			m := sent[rng.IntN(len(sent))]
			st := []string{"sent", "delivered", "read"}[rng.IntN(3)]
			s.waPost(ctx, "wa_status", watest.Status(s.waNumber, m.WAMID, st, m.To, time.Now(), 0))
		}
	}
}

// replyID is the id of the first list row or button of an interactive send.
func replyID(raw []byte) (id, title string, list bool) {
	var m struct {
		Interactive struct {
			Type   string `json:"type"`
			Action struct {
				Buttons []struct {
					Reply struct{ ID, Title string } `json:"reply"`
				} `json:"buttons"`
				Sections []struct {
					Rows []struct{ ID, Title string } `json:"rows"`
				} `json:"sections"`
			} `json:"action"`
		} `json:"interactive"`
	}
	if json.Unmarshal(raw, &m) != nil {
		return "", "", false
	}
	for _, sec := range m.Interactive.Action.Sections {
		for _, r := range sec.Rows {
			return r.ID, r.Title, true
		}
	}
	for _, b := range m.Interactive.Action.Buttons {
		return b.Reply.ID, b.Reply.Title, false
	}
	return "", "", false
}

// waitReplies waits until the fake Graph accepted n sends to number.
func (s *soak) waitReplies(ctx context.Context, number string, n int, timeout time.Duration) ([]watest.Request, bool) {
	deadline := time.Now().Add(timeout)
	for {
		var got []watest.Request
		for _, r := range s.graph.Sent() {
			if r.To == number {
				got = append(got, r)
			}
		}
		if len(got) >= n {
			return got, true
		}
		if time.Now().After(deadline) || !sleepCtx(ctx, 200*time.Millisecond) {
			return got, false
		}
	}
}

// chat: a guest books over WhatsApp from the first question to the deposit
// link, then pays.
func (s *soak) chat(ctx context.Context, n int, rng *mrand.Rand) {
	t0 := time.Now()
	from := s.guestNumber()
	name := "Invitada " + guestNames[n%len(guestNames)]
	in := s.today.AddDate(0, 0, 400+4*n)
	out := in.AddDate(0, 0, 3)
	say := func(body []byte, id string) bool {
		if !s.waPost(ctx, "wa_chat_msg", body) {
			return false
		}
		s.mu.Lock()
		s.waSent[id] = true
		s.mu.Unlock()
		if rng.IntN(5) == 0 {
			s.waPost(ctx, "wa_duplicate", body)
		}
		return true
	}
	fail := func(step, detail string) {
		if ctx.Err() == nil { // a chat the end of the load cut short is not an error
			s.st.fail("wa_chat", time.Since(t0), step, detail)
		}
	}
	id := s.wamid()
	if !say(watest.TextMessage(s.waNumber, from, name, id,
		// With the year: without it the assistant reads the next such day, which
		// may be a year earlier than the chat's own nights.
		fmt.Sprintf("hola! tienen lugar del %d/%d/%d al %d/%d/%d? somos 2", in.Day(), in.Month(), in.Year(),
			out.Day(), out.Month(), out.Year()), time.Now()), id) {
		fail("question not delivered", from)
		return
	}
	got, ok := s.waitReplies(ctx, from, 1, 60*time.Second)
	if !ok {
		fail("no answer to the question", from)
		return
	}
	rid, title, list := replyID(got[0].Raw)
	if rid == "" {
		fail("answer without options", got[0].Text)
		return
	}
	id = s.wamid()
	var pick []byte
	if list {
		pick = watest.ListReply(s.waNumber, from, name, id, rid, title, time.Now())
	} else {
		pick = watest.ButtonReply(s.waNumber, from, name, id, rid, title, time.Now())
	}
	if !say(pick, id) {
		fail("choice not delivered", from)
		return
	}
	if _, ok := s.waitReplies(ctx, from, 2, 60*time.Second); !ok {
		fail("no question for the name", from)
		return
	}
	id = s.wamid()
	if !say(watest.TextMessage(s.waNumber, from, name, id, guestNames[n%len(guestNames)]+" Soak", time.Now()), id) {
		fail("name not delivered", from)
		return
	}
	got, ok = s.waitReplies(ctx, from, 3, 60*time.Second)
	if !ok {
		fail("no deposit link", from)
		return
	}
	code := codeIn(got[2].Text)
	if code == "" {
		fail("link message without a code", got[2].Text)
		return
	}
	s.st.ok("wa_chat", time.Since(t0))
	s.mu.Lock()
	s.chatsDone++
	s.mu.Unlock()
	if dep, ok := s.depositOf(ctx, code); ok {
		s.payWG.Go(func() { s.pay(ctx, holdRec{code: code, deposit: dep, at: time.Now()}) })
	}
}

// codeIn finds a reservation code (RES + 12) in a message.
func codeIn(text string) string {
	i := strings.Index(text, "RES")
	for i >= 0 && i+15 <= len(text) {
		c := text[i : i+15]
		if strings.Trim(c[3:], "0123456789ABCDEF") == "" {
			return c
		}
		j := strings.Index(text[i+3:], "RES")
		if j < 0 {
			break
		}
		i += 3 + j
	}
	return ""
}

// owner: the owner signed in on one instance uses the dashboard on both.
func (s *soak) owner(ctx context.Context, rng *mrand.Rand) {
	s.ownerMu.Lock()
	cookie := s.ownerCookie
	s.ownerMu.Unlock()
	if cookie == "" {
		t0 := time.Now()
		c, csrf, err := s.login(ctx)
		if err != nil {
			s.st.fail("owner_login", time.Since(t0), "login failed", err.Error())
			sleepCtx(ctx, time.Second)
			return
		}
		s.st.ok("owner_login", time.Since(t0))
		s.ownerMu.Lock()
		s.ownerCookie, s.ownerCSRF, cookie = c, csrf, c
		s.ownerMu.Unlock()
	}
	// Now and then "Sincronizar ahora" on a channel feed, one at a time.
	if len(s.feeds) > 0 && rng.IntN(8) == 0 && s.syncing.CompareAndSwap(false, true) {
		defer s.syncing.Store(false)
		s.ownerMu.Lock()
		csrf := s.ownerCSRF
		s.ownerMu.Unlock()
		f := s.feeds[rng.IntN(len(s.feeds))]
		_, base := s.base()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/admin/properties/%d/feeds/%d/sync", base, f[0], f[1]),
			strings.NewReader(url.Values{"_csrf": {csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", cookie)
		code, h, body, lat, err := s.do(req)
		switch {
		case ctx.Err() != nil:
		case err != nil:
			s.st.fail("owner_sync", lat, errClass(err), err.Error())
		case code == http.StatusSeeOther && !strings.HasPrefix(h.Get("Location"), "/login"):
			s.st.ok("owner_sync", lat)
		default:
			s.st.fail("owner_sync", lat, strconv.Itoa(code)+" "+h.Get("Location"), string(body))
		}
		return
	}
	pages := []struct{ path, want string }{
		{"/admin/calendar", "Calendario"},
		{"/admin/calendar?months=3", "Calendario"},
		{"/admin/reservations", "Reservas"},
		{"/admin/reservations?status=pre_reserved", "Reservas"},
		{"/admin/", "Inicio"},
	}
	pg := pages[rng.IntN(len(pages))]
	s.get(ctx, "owner", pg.path, http.Header{"Cookie": {cookie}}, func(code int, h http.Header, b []byte) string {
		if code == http.StatusSeeOther || code == http.StatusFound {
			if strings.HasPrefix(h.Get("Location"), "/login") {
				s.ownerMu.Lock()
				if s.ownerCookie == cookie {
					s.ownerCookie = ""
				}
				s.ownerMu.Unlock()
				return "session lost (to /login)"
			}
		}
		if code != http.StatusOK {
			return strconv.Itoa(code)
		}
		if !bytes.Contains(b, []byte(pg.want)) {
			return "page without " + pg.want
		}
		return ""
	})
}

// login signs the demo owner in through the form on one instance; it
// returns the cookies and the CSRF token.
func (s *soak) login(ctx context.Context) (string, string, error) {
	_, base := s.base()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	resp, err := s.client.Do(req)
	if err != nil {
		return "", "", err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	var csrf string
	for _, c := range resp.Cookies() {
		if c.Name == "aloj_csrf" {
			csrf = c.Value
		}
	}
	if csrf == "" {
		return "", "", fmt.Errorf("GET /login set no aloj_csrf cookie (status %d)", resp.StatusCode)
	}
	form := url.Values{"_csrf": {csrf}, "email": {demoEmail}, "password": {demoPassword}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "aloj_csrf", Value: csrf})
	resp, err = s.client.Do(req)
	if err != nil {
		return "", "", err
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "aloj_session" && resp.StatusCode == http.StatusSeeOther {
			return "aloj_csrf=" + csrf + "; aloj_session=" + c.Value, csrf, nil
		}
	}
	return "", "", fmt.Errorf("POST /login answered %d without a session: %s", resp.StatusCode, truncate(string(body), 200))
}

// run drives the mix until ctx ends.
func (s *soak) run(ctx context.Context, workers int) {
	var wg sync.WaitGroup
	type action struct {
		weight int
		do     func(context.Context, *mrand.Rand)
	}
	mix := []action{{22, s.browse}, {24, s.quote}, {18, s.hold}, {14, s.icalPoll}, {6, s.owner}, {12, s.waMessage}}
	total := 0
	for _, a := range mix {
		total += a.weight
	}
	for w := range workers {
		wg.Go(func() {
			rng := mrand.New(mrand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			for ctx.Err() == nil {
				r := rng.IntN(total)
				for _, a := range mix {
					if r < a.weight {
						a.do(ctx, rng)
						break
					}
					r -= a.weight
				}
			}
		})
	}
	wg.Go(func() { s.payer(ctx) })
	wg.Go(func() {
		for round := 0; ctx.Err() == nil; round++ {
			s.raceRound(ctx, round)
			sleepCtx(ctx, 3*time.Second)
		}
	})
	var chats atomic.Int64
	for c := range 2 {
		wg.Go(func() {
			rng := mrand.New(mrand.NewPCG(uint64(100+c), 3))
			for ctx.Err() == nil {
				s.chat(ctx, int(chats.Add(1)), rng)
				sleepCtx(ctx, 2*time.Second)
			}
		})
	}
	wg.Wait()
}

func dateOnly(t time.Time) string { return t.Format(time.DateOnly) }

// depositOf reads a hold's deposit (a WhatsApp hold's code is all the chat shows).
func (s *soak) depositOf(ctx context.Context, code string) (money.Money, bool) {
	var dep money.Money
	err := s.pool.QueryRow(context.WithoutCancel(ctx), `SELECT deposit FROM reservations WHERE code = $1`, code).Scan(&dep)
	if err != nil {
		s.st.fail("wa_chat", 0, "hold not found by its code", code+": "+err.Error())
		return 0, false
	}
	return dep, true
}
