// Package mptest is a fake Mercado Pago for tests: an httptest server that
// speaks the documented API (preferences, payment lookup, refunds, users/me)
// and sends notifications signed the documented way. It is apart from
// mercadopago so that tests of other packages, make soak and the bench can
// use it without linking it into the binary.
package mptest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"alojamientos/internal/mercadopago"
	"alojamientos/internal/money"
)

// Token and Secret are the fake's credentials.
const (
	Token  = "TEST-fake-access-token"
	Secret = "fake-webhook-secret"
)

// Payment is a payment as the fake reports it.
type Payment struct {
	ID           string
	Status       string
	StatusDetail string
	Reference    string
	Amount       money.Money
	Refunded     money.Money
	Currency     string
	// Fee is Mercado Pago's fee charged to the seller, reported in fee_details.
	Fee money.Money
}

// Server is a running fake.
type Server struct {
	*httptest.Server
	mu          sync.Mutex
	payments    map[string]*Payment
	prefs       map[string]map[string]any // idempotency key → preference answer
	Preferences []map[string]any          // preference bodies received, in order
	refunds     map[string]map[string]any // idempotency key → refund answer
	Refunds     []string                  // payment ids refunded, one per new refund
	made        []Refund                  // the refunds made, in order
	failures    int
	failStatus  int
	waiting     int
	latency     time.Duration
	down        bool
	gate        chan struct{}  // while set, lookups of unknown payments wait for it to close
	Calls       map[string]int // "GET /v1/payments" → count
}

// HoldUnknown makes every lookup of a payment the fake does not know wait
// until the returned function is called (then it answers 404 as usual): a
// flood of made-up ids keeps the workers that fetch them busy.
func (s *Server) HoldUnknown() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	gate := make(chan struct{})
	s.gate = gate
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.gate = nil
			s.mu.Unlock()
			close(gate)
		})
	}
}

// Waiting is how many lookups HoldUnknown is holding.
func (s *Server) Waiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waiting
}

// Start runs a fake until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := New(0)
	t.Cleanup(s.Close)
	return s
}

// New runs a fake outside a test (cmd/bench); the caller closes it. Every
// payment lookup takes latency first, as a call across the internet does.
func New(latency time.Duration) *Server {
	s := &Server{payments: map[string]*Payment{}, prefs: map[string]map[string]any{},
		refunds: map[string]map[string]any{}, Calls: map[string]int{}, latency: latency}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Refund is one refund the fake made.
type Refund struct {
	PaymentID string
	Amount    money.Money
	// Partial: the body named an amount (a full refund is asked without one).
	Partial bool
	Key     string // its X-Idempotency-Key
}

// RefundsMade lists the refunds made so far (a repeat of an idempotency key
// makes none); safe while the server under test calls the fake.
func (s *Server) RefundsMade() []Refund {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Refund(nil), s.made...)
}

// SetPayment adds or changes a payment.
func (s *Server) SetPayment(p Payment) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Currency == "" {
		p.Currency = "ARS"
	}
	cp := p
	s.payments[p.ID] = &cp
}

// Fail makes the next n API calls answer status (500, 429…).
func (s *Server) Fail(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures, s.failStatus = n, status
}

// Down makes every call fail with 503 until Down(false).
func (s *Server) Down(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// CallCount reports how many calls a "METHOD /path-prefix" got.
func (s *Server) CallCount(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Calls[key]
}

// RefundIDsAmounts lists the payment id and amount of each refund made,
// read under the lock (refund jobs call the fake from other goroutines).
func (s *Server) RefundIDsAmounts() ([]string, []money.Money) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids, amounts := make([]string, len(s.made)), make([]money.Money, len(s.made))
	for i, r := range s.made {
		ids[i], amounts[i] = r.PaymentID, r.Amount
	}
	return ids, amounts
}

// PreferenceCount is how many distinct preferences were created.
func (s *Server) PreferenceCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.prefs)
}

// LastPreference is the body of the latest preference created.
func (s *Server) LastPreference() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.Preferences) == 0 {
		return nil
	}
	return s.Preferences[len(s.Preferences)-1]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// serve answers one API call, holding the fake's lock throughout (except
// while HoldUnknown makes it wait), so calls see each other's effects in order.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.latency > 0 && r.Method == http.MethodGet {
		time.Sleep(s.latency)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	s.waitIfHeld(r, parts)
	key := r.Method + " /" + parts[0]
	if len(parts) > 1 {
		key += "/" + parts[1]
	}
	s.Calls[key]++
	if s.refused(w, r) {
		return
	}
	body, _ := io.ReadAll(r.Body)
	idem := r.Header.Get("X-Idempotency-Key")
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/checkout/preferences":
		s.createPreference(w, idem, body)
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "v1" && parts[1] == "payments":
		p, ok := s.payments[parts[2]]
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]any{"message": "Payment not found", "status": 404})
			return
		}
		writeJSON(w, http.StatusOK, p.json())
	case r.Method == http.MethodPost && len(parts) == 4 && parts[1] == "payments" && parts[3] == "refunds":
		s.refund(w, parts[2], idem, body)
	case r.Method == http.MethodGet && r.URL.Path == "/users/me":
		writeJSON(w, http.StatusOK, map[string]any{"id": 1273205088, "nickname": "CABANASDELLAGO", "site_id": "MLA"})
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "not found"})
	}
}

// waitIfHeld makes a lookup of an unknown payment wait, without the lock,
// while HoldUnknown holds such lookups (or until the caller gives up).
func (s *Server) waitIfHeld(r *http.Request, parts []string) {
	gate := s.gate
	if gate == nil || r.Method != http.MethodGet || len(parts) != 3 || parts[1] != "payments" || s.payments[parts[2]] != nil {
		return
	}
	s.waiting++
	s.mu.Unlock()
	select {
	case <-gate:
	case <-r.Context().Done():
	}
	s.mu.Lock()
	s.waiting--
}

// refused answers the calls the fake turns away before reading them: all of
// them while Down, the next ones Fail asked for, and those without the
// fake's token.
func (s *Server) refused(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case s.down:
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"message": "service unavailable"})
	case s.failures > 0:
		s.failures--
		writeJSON(w, s.failStatus, map[string]any{"message": "injected failure"})
	case r.Header.Get("Authorization") != "Bearer "+Token:
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "invalid access token", "status": 401})
	default:
		return false
	}
	return true
}

// createPreference answers POST /checkout/preferences. The same idempotency
// key gets the same preference back, as Mercado Pago does.
func (s *Server) createPreference(w http.ResponseWriter, idem string, body []byte) {
	if idem == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "X-Idempotency-Key required by this fake"})
		return
	}
	if prev, ok := s.prefs[idem]; ok {
		writeJSON(w, http.StatusCreated, prev)
		return
	}
	var in map[string]any
	if err := json.Unmarshal(body, &in); err != nil || in["external_reference"] == nil || in["items"] == nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "invalid preference"})
		return
	}
	s.Preferences = append(s.Preferences, in)
	id := fmt.Sprintf("1273205088-%s", randHex(8))
	out := map[string]any{"id": id, "external_reference": in["external_reference"],
		"init_point":         s.URL + "/checkout/v1/redirect?pref_id=" + id,
		"sandbox_init_point": s.URL + "/sandbox/checkout/v1/redirect?pref_id=" + id,
		"metadata":           in["metadata"], "expires": in["expires"], "expiration_date_to": in["expiration_date_to"]}
	s.prefs[idem] = out
	writeJSON(w, http.StatusCreated, out)
}

// refund answers POST /v1/payments/{id}/refunds: the whole remaining amount,
// or the amount in the body, of an approved payment. The same idempotency
// key gets the same refund back.
func (s *Server) refund(w http.ResponseWriter, paymentID, idem string, body []byte) {
	if idem == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "X-Idempotency-Key required"})
		return
	}
	if prev, ok := s.refunds[idem]; ok {
		writeJSON(w, http.StatusCreated, prev)
		return
	}
	p, ok := s.payments[paymentID]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Payment not found"})
		return
	}
	var in struct {
		Amount *mercadopago.Amount `json:"amount"`
	}
	_ = json.Unmarshal(body, &in)
	amount := p.Amount - p.Refunded
	if in.Amount != nil {
		amount = in.Amount.Money()
	}
	if p.Status != "approved" || amount <= 0 || amount > p.Amount-p.Refunded {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "invalid refund"})
		return
	}
	p.Refunded += amount
	if p.Refunded == p.Amount {
		p.Status, p.StatusDetail = "refunded", "refunded"
	} else {
		p.StatusDetail = "partially_refunded"
	}
	out := map[string]any{"id": json.Number(strconv.Itoa(1242469925 + len(s.refunds))), "payment_id": json.Number(p.ID),
		"amount": json.Number(amount.String()), "status": "approved"}
	s.refunds[idem] = out
	s.Refunds = append(s.Refunds, p.ID)
	s.made = append(s.made, Refund{PaymentID: p.ID, Amount: amount, Partial: in.Amount != nil, Key: idem})
	writeJSON(w, http.StatusCreated, out)
}

func (p *Payment) json() map[string]any {
	return map[string]any{
		"id": json.Number(p.ID), "status": p.Status, "status_detail": p.StatusDetail,
		"external_reference": p.Reference, "transaction_amount": json.Number(p.Amount.String()),
		"transaction_amount_refunded": json.Number(p.Refunded.String()), "currency_id": p.Currency,
		"payment_method_id": "visa", "payment_type_id": "credit_card",
		"metadata": map[string]any{"kind": "deposit"}, "fee_details": p.feeDetails(),
	}
}

func (p *Payment) feeDetails() []map[string]any {
	if p.Fee == 0 {
		return []map[string]any{}
	}
	return []map[string]any{{"type": "mercadopago_fee", "amount": json.Number(p.Fee.String()), "fee_payer": "collector"}}
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Delivery is one notification, built so tests can tamper with any part.
type Delivery struct {
	URL       string // webhook URL without query
	DataID    string
	Type      string
	RequestID string
	TS        string
	V1        string
	Body      []byte
}

// NewDelivery builds a notification for payment id, signed with secret at time at.
func NewDelivery(webhookURL, secret, paymentID string, at time.Time) Delivery {
	d := Delivery{URL: webhookURL, DataID: paymentID, Type: "payment", RequestID: randUUID(),
		TS: strconv.FormatInt(at.UnixMilli(), 10)}
	d.V1 = mercadopago.Sign(secret, d.DataID, d.RequestID, d.TS)
	d.Body = []byte(fmt.Sprintf(`{"action":"payment.updated","api_version":"v1","data":{"id":%q},"date_created":%q,"id":%d,"live_mode":false,"type":"payment","user_id":"1273205088"}`,
		paymentID, at.UTC().Format(time.RFC3339), at.UnixNano()%1e12))
	return d
}

// Request is the delivery as an HTTP request.
func (d Delivery) Request() *http.Request {
	q := url.Values{}
	if d.DataID != "" {
		q.Set("data.id", d.DataID)
	}
	if d.Type != "" {
		q.Set("type", d.Type)
	}
	req, _ := http.NewRequest(http.MethodPost, d.URL+"?"+q.Encode(), bytes.NewReader(d.Body))
	req.Header.Set("Content-Type", "application/json")
	if d.RequestID != "" {
		req.Header.Set("x-request-id", d.RequestID)
	}
	if d.TS != "" || d.V1 != "" {
		req.Header.Set("x-signature", "ts="+d.TS+",v1="+d.V1)
	}
	return req
}

// Send posts the delivery and returns the status code.
func (d Delivery) Send(client *http.Client) (int, error) {
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(d.Request())
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// Notify sends a correctly signed notification for a payment, as Mercado Pago does.
func (s *Server) Notify(webhookURL, paymentID string) (int, error) {
	return NewDelivery(webhookURL, Secret, paymentID, time.Now()).Send(nil)
}

func randUUID() string {
	h := randHex(16)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
