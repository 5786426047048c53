package mercadopago

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// Notification is one delivery to POST /webhooks/mercadopago, as received.
type Notification struct {
	Query     string // raw query string
	DataID    string // data.id (webhooks) or id (legacy IPN)
	Type      string // type (webhooks) or topic (legacy IPN)
	RequestID string
	Signature string
	Legacy    bool // a legacy IPN: unsigned, only a trigger to re-fetch
	Headers   http.Header
	Body      []byte
}

// Result of receiving a notification, for the counter and the answer.
const (
	ResultStored    = "accepted"
	ResultDuplicate = "duplicate"
	ResultIgnored   = "ignored"
	// ResultFull: too many unsigned notifications are waiting; this one was not stored.
	ResultFull = "unsigned_full"
)

// ReadNotification picks the parts of a request: webhooks send
// ?data.id=…&type=payment, legacy IPN ?topic=payment&id=….
func ReadNotification(r *http.Request, body []byte) Notification {
	q := r.URL.Query()
	n := Notification{Query: r.URL.RawQuery, DataID: q.Get("data.id"), Type: q.Get("type"),
		RequestID: r.Header.Get("x-request-id"), Signature: r.Header.Get("x-signature"), Headers: r.Header, Body: body}
	// Legacy IPN cannot be verified even when it carries an x-signature: it
	// is recognised by its query alone and only ever triggers a re-fetch.
	if n.DataID == "" && q.Get("topic") != "" {
		n.Legacy, n.DataID, n.Type = true, q.Get("id"), q.Get("topic")
	}
	if n.Type == "" && len(body) > 0 {
		// Older deliveries say the type only in the body; data.id still comes from the (signed) query.
		var b struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(body, &b)
		n.Type = b.Type
	}
	return n
}

// CheckSignature verifies a (non-legacy) notification.
func (s *Service) CheckSignature(n Notification) error {
	return Verify(s.Secret, n.Signature, n.DataID, n.RequestID, s.Clock.Now(), s.tolerance())
}

// Store records an accepted notification in the inbox together with the job
// that processes it, in one statement. Only payments are stored: other
// topics (merchant orders, plans) are answered and dropped. Unsigned ones
// (Legacy) go to their own lane, bounded (see storeUnsigned).
func (s *Service) Store(ctx context.Context, n Notification) (string, error) {
	if n.Type != "payment" || !isPaymentID(n.DataID) {
		return ResultIgnored, nil
	}
	now := s.Clock.Now().UTC()
	key := "payment:" + n.DataID + ":" + n.RequestID
	if n.RequestID == "" {
		sig, _ := ParseSignature(n.Signature)
		key = "payment:" + n.DataID + ":ts:" + sig.TS
	}
	headers := map[string]string{}
	for _, h := range []string{"x-signature", "x-request-id", "content-type", "user-agent"} {
		if v := n.Headers.Get(h); v != "" {
			headers[h] = v
		}
	}
	hj, _ := json.Marshal(headers)
	body := string(n.Body)
	if !json.Valid(n.Body) {
		body = ""
	}
	body = strings.ToValidUTF8(body, "")
	if n.Legacy {
		return s.storeUnsigned(ctx, n, hj, body, now)
	}
	_, err := db.Q(s.DB).InsertInboxWithJob(ctx, dbq.InsertInboxWithJobParams{
		Provider: Provider, EventKey: key, Topic: n.Type, ResourceID: n.DataID, Headers: hj, Query: n.Query,
		Body: body, Now: now, JobKind: ProcessNotificationArgs{}.Kind(),
	})
	if errors.Is(err, db.ErrNotFound) {
		return ResultDuplicate, nil
	}
	if err != nil {
		return "", fmt.Errorf("mercadopago: store notification: %w", err)
	}
	// A lost wake-up only costs the workers' next poll.
	_ = db.Q(s.DB).WakeQueue(ctx, Queue)
	return ResultStored, nil
}

// storeUnsigned stores a trigger to re-fetch a payment that nobody vouches
// for. It is bounded three ways: a payment id must look like one (the
// caller's PlausiblePaymentID), one waits per payment (a copy of a waiting one
// is a duplicate) and at most once a minute, and no more than the ceiling
// wait at all (ResultFull; for a second after that, without asking the
// database again). Its job runs on UnsignedQueue.
func (s *Service) storeUnsigned(ctx context.Context, n Notification, headers []byte, body string, now time.Time) (string, error) {
	if !PlausiblePaymentID(n.DataID) {
		return ResultIgnored, nil
	}
	if now.UnixNano() < s.unsignedFullUntil.Load() {
		// A flood is on: each refusal costs no database round trip for a second.
		return ResultFull, nil
	}
	row, err := db.Q(s.DB).InsertUnsignedInboxWithJob(ctx, dbq.InsertUnsignedInboxWithJobParams{
		Provider: Provider, EventKey: "ipn:payment:" + n.DataID + ":" + strconv.FormatInt(now.Unix()/60, 10),
		Topic: n.Type, ResourceID: n.DataID, Headers: headers, Query: n.Query, Body: body, Now: now,
		Ceiling: s.unsignedCeiling(), JobKind: ProcessNotificationArgs{}.Kind(), MaxAttempts: UnsignedAttempts,
		Queue: UnsignedQueue,
	})
	if err != nil {
		return "", fmt.Errorf("mercadopago: store unsigned notification: %w", err)
	}
	switch {
	case row.ID != 0:
		_ = db.Q(s.DB).WakeQueue(ctx, UnsignedQueue)
		return ResultStored, nil
	case row.Pending >= s.unsignedCeiling():
		s.unsignedFullUntil.Store(now.Add(time.Second).UnixNano())
		return ResultFull, nil
	default:
		return ResultDuplicate, nil
	}
}

// PlausiblePaymentID reports whether id could be a Mercado Pago payment id:
// a positive 64-bit number of 6 to 19 digits written without leading zeros.
// Unsigned notifications naming anything else are refused.
func PlausiblePaymentID(id string) bool {
	if len(id) < 6 || len(id) > 19 || id[0] == '0' {
		return false
	}
	v, err := strconv.ParseInt(id, 10, 64)
	return err == nil && v > 0
}

func isPaymentID(id string) bool {
	return id != "" && len(id) <= 30 && strings.Trim(id, "0123456789") == ""
}

// ProcessInbox handles one stored notification: fetch the payment from the
// API and apply it. Done once; a failure is retried by the job.
func (s *Service) ProcessInbox(ctx context.Context, id int64, attempt int) error {
	q := db.Q(s.DB)
	row, err := q.GetInbox(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mercadopago: load notification %d: %w", id, err)
	}
	if row.ProcessedAt != nil {
		return nil
	}
	done := func(note string) error {
		now := s.Clock.Now().UTC()
		return q.MarkInboxProcessed(ctx, dbq.MarkInboxProcessedParams{ID: id, Now: &now, LastError: note})
	}
	if !s.Client.Configured() {
		s.Log.Info("mercadopago: notification not processed: no access token", "inbox_id", id, "payment_id", row.ResourceID)
		return done("unconfigured")
	}
	p, err := s.Client.GetPayment(ctx, row.ResourceID)
	if errors.Is(err, ErrNotFound) && (attempt >= 5 || row.Unsigned && attempt >= UnsignedAttempts) {
		s.Log.Warn("mercadopago: notified payment does not exist", "payment_id", row.ResourceID)
		return done("payment not found")
	}
	if err != nil && row.Unsigned && attempt >= UnsignedAttempts {
		// Given up, so it stops counting against the ceiling and a later
		// trigger for the same payment is taken; a signed webhook or
		// Mercado Pago's next retry still brings the payment.
		s.Log.Warn("mercadopago: unsigned notification given up", "payment_id", row.ResourceID, "error", err)
		return done("gave up: " + truncate(err.Error(), 200))
	}
	if err != nil {
		_ = q.MarkInboxFailed(ctx, dbq.MarkInboxFailedParams{ID: id, LastError: err.Error()})
		return fmt.Errorf("mercadopago: notification %d: %w", id, err)
	}
	out, err := s.ApplyPayment(ctx, p)
	if err != nil {
		_ = q.MarkInboxFailed(ctx, dbq.MarkInboxFailedParams{ID: id, LastError: err.Error()})
		return err
	}
	if out.Unknown {
		// Kept on the row: the payment names none of our reservations.
		return done("unknown external_reference " + truncate(p.ExternalReference, 64))
	}
	return done("")
}
