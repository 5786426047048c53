package mercadopago

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

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
// topics (merchant orders, plans) are answered and dropped.
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
	if n.Legacy {
		// Unsigned, so unbounded in number: one re-fetch per payment per minute is plenty.
		key = "ipn:payment:" + n.DataID + ":" + strconv.FormatInt(now.Unix()/60, 10)
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
	_, err := dbq.New(s.DB).InsertInboxWithJob(ctx, dbq.InsertInboxWithJobParams{
		Provider: Provider, EventKey: key, Topic: n.Type, ResourceID: n.DataID, Headers: hj, Query: n.Query,
		Body: strings.ToValidUTF8(body, ""), Now: now, JobKind: ProcessNotificationArgs{}.Kind(),
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return ResultDuplicate, nil
	}
	if err != nil {
		return "", fmt.Errorf("mercadopago: store notification: %w", err)
	}
	// A lost wake-up only costs the workers' next poll.
	_ = dbq.New(s.DB).WakeQueue(ctx, Queue)
	return ResultStored, nil
}

func isPaymentID(id string) bool {
	return id != "" && len(id) <= 30 && strings.Trim(id, "0123456789") == ""
}

// ProcessInbox handles one stored notification: fetch the payment from the
// API and apply it. Done once; a failure is retried by the job.
func (s *Service) ProcessInbox(ctx context.Context, id int64, attempt int) error {
	q := dbq.New(s.DB)
	row, err := q.GetInbox(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
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
	if errors.Is(err, ErrNotFound) && attempt >= 5 {
		s.Log.Warn("mercadopago: notified payment does not exist", "payment_id", row.ResourceID)
		return done("payment not found")
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
