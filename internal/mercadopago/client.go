package mercadopago

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"alojamientos/internal/money"
)

// ErrUnconfigured means MERCADOPAGO_ACCESS_TOKEN is not set.
var ErrUnconfigured = errors.New("mercadopago: access token not configured")

// ErrNotFound is Mercado Pago's 404 (an unknown payment id).
var ErrNotFound = errors.New("mercadopago: not found")

// APIError is an answer other than 2xx.
type APIError struct {
	Status int
	Body   string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("mercadopago: API answered %d: %s", e.Status, e.Body)
}

// Client calls Mercado Pago's API with the account's access token. It
// retries 429, 5xx and network errors with backoff; every POST carries an
// X-Idempotency-Key derived from what it does, so a retry never makes a
// second object. It remembers the last API error for /healthz.
type Client struct {
	BaseURL     string
	AccessToken string
	HTTP        *http.Client
	Log         *slog.Logger
	// Attempts per call (default 3) and the first backoff (default 300 ms, doubling).
	Attempts int
	Backoff  time.Duration

	mu        sync.Mutex
	lastErr   string
	lastErrAt time.Time
	lastOKAt  time.Time
}

// NewClient builds a client with sane timeouts.
func NewClient(baseURL, token string, log *slog.Logger) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), AccessToken: token, Log: log,
		HTTP: &http.Client{Timeout: 10 * time.Second}}
}

// Configured reports whether an access token is set.
func (c *Client) Configured() bool { return c != nil && c.AccessToken != "" }

// Health is what /healthz says about Mercado Pago.
type Health struct {
	Status    string // ok, unconfigured, failing
	LastError string
	LastErrAt time.Time
}

// Health reports "failing" when the last call failed, "ok" otherwise.
func (c *Client) Health() Health {
	if !c.Configured() {
		return Health{Status: "unconfigured"}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	h := Health{Status: "ok", LastError: c.lastErr, LastErrAt: c.lastErrAt}
	if c.lastErr != "" && c.lastErrAt.After(c.lastOKAt) {
		h.Status = "failing"
	}
	return h
}

func (c *Client) record(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil {
		c.lastOKAt = time.Now()
		return
	}
	c.lastErr, c.lastErrAt = err.Error(), time.Now()
}

// do sends one API call with retries and decodes a 2xx JSON answer into out.
func (c *Client) do(ctx context.Context, method, path string, body any, idemKey string, out any) error {
	if !c.Configured() {
		return ErrUnconfigured
	}
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("mercadopago: encode %s: %w", path, err)
		}
	}
	attempts, backoff := c.Attempts, c.Backoff
	if attempts <= 0 {
		attempts = 3
	}
	if backoff <= 0 {
		backoff = 300 * time.Millisecond
	}
	var err error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(backoff << (i - 1)):
			}
		}
		var retry bool
		retry, err = c.once(ctx, method, path, payload, idemKey, out)
		if err == nil || !retry {
			break
		}
		if c.Log != nil {
			c.Log.Warn("mercadopago: retrying", "method", method, "path", path, "attempt", i+1, "error", err)
		}
	}
	// A 404 is an answer about the object, not a sick API.
	if !errors.Is(err, ErrNotFound) {
		c.record(err)
	}
	return err
}

func (c *Client) once(ctx context.Context, method, path string, payload []byte, idemKey string, out any) (retry bool, err error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return false, fmt.Errorf("mercadopago: %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.AccessToken)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idemKey != "" {
		req.Header.Set("X-Idempotency-Key", idemKey)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return ctx.Err() == nil, fmt.Errorf("mercadopago: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return true, fmt.Errorf("mercadopago: %s %s: read: %w", method, path, err)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return false, ErrNotFound
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return true, &APIError{Status: resp.StatusCode, Body: truncate(string(b), 300)}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return false, &APIError{Status: resp.StatusCode, Body: truncate(string(b), 300)}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return false, fmt.Errorf("mercadopago: %s %s: decode: %w", method, path, err)
		}
	}
	return false, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Amount is a JSON number (Mercado Pago sends 45000.0) read exactly into cents.
type Amount money.Money

// UnmarshalJSON reads a number or a numeric string.
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		*a = 0
		return nil
	}
	if m, err := money.Parse(s); err == nil {
		*a = Amount(m)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 9e9 {
		return fmt.Errorf("mercadopago: amount %q", s)
	}
	*a = Amount(math.Round(f * 100))
	return nil
}

// MarshalJSON writes a JSON number with two decimals.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(money.Money(a).String()), nil }

// Money is the amount as Money.
func (a Amount) Money() money.Money { return money.Money(a) }

// Item is a preference's line.
type Item struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	CategoryID  string `json:"category_id,omitempty"`
	Quantity    int    `json:"quantity"`
	CurrencyID  string `json:"currency_id"`
	UnitPrice   Amount `json:"unit_price"`
}

// BackURLs are where Checkout Pro sends the guest back.
type BackURLs struct {
	Success string `json:"success"`
	Pending string `json:"pending"`
	Failure string `json:"failure"`
}

// Payer is who pays, as far as we know.
type Payer struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// Preference is a Checkout Pro preference (POST /checkout/preferences).
type Preference struct {
	Items              []Item            `json:"items"`
	Payer              *Payer            `json:"payer,omitempty"`
	BackURLs           BackURLs          `json:"back_urls"`
	AutoReturn         string            `json:"auto_return,omitempty"`
	NotificationURL    string            `json:"notification_url"`
	ExternalReference  string            `json:"external_reference"`
	Expires            bool              `json:"expires"`
	ExpirationDateFrom string            `json:"expiration_date_from,omitempty"`
	ExpirationDateTo   string            `json:"expiration_date_to,omitempty"`
	DateOfExpiration   string            `json:"date_of_expiration,omitempty"`
	BinaryMode         bool              `json:"binary_mode"`
	Metadata           map[string]string `json:"metadata,omitempty"`
	PaymentMethods     *PaymentMethods   `json:"payment_methods,omitempty"`
}

// PaymentMethods is a preference's payment_methods: Installments is the
// most cuotas Checkout Pro offers (documented for preferences as
// payment_methods.installments).
type PaymentMethods struct {
	Installments int `json:"installments,omitempty"`
}

// PreferenceResult is the part of the answer we keep.
type PreferenceResult struct {
	ID                string `json:"id"`
	InitPoint         string `json:"init_point"`
	SandboxInitPoint  string `json:"sandbox_init_point"`
	ExternalReference string `json:"external_reference"`
}

// CreatePreference creates a Checkout Pro preference; key makes retries safe.
func (c *Client) CreatePreference(ctx context.Context, p Preference, key string) (PreferenceResult, error) {
	var out PreferenceResult
	err := c.do(ctx, http.MethodPost, "/checkout/preferences", p, key, &out)
	if err == nil && out.InitPoint == "" {
		err = errors.New("mercadopago: preference without init_point")
	}
	return out, err
}

// Payment is what GET /v1/payments/{id} says, the only source we believe.
type Payment struct {
	ID                json.Number `json:"id"`
	Status            string      `json:"status"`
	StatusDetail      string      `json:"status_detail"`
	ExternalReference string      `json:"external_reference"`
	TransactionAmount Amount      `json:"transaction_amount"`
	AmountRefunded    Amount      `json:"transaction_amount_refunded"`
	CurrencyID        string      `json:"currency_id"`
	PaymentMethodID   string      `json:"payment_method_id"`
	PaymentTypeID     string      `json:"payment_type_id"`
	// FeeDetails are Mercado Pago's fees of the payment (type, amount, fee_payer).
	FeeDetails       []FeeDetail     `json:"fee_details"`
	DateOfExpiration string          `json:"date_of_expiration"`
	DateLastUpdated  string          `json:"date_last_updated"`
	Metadata         map[string]any  `json:"metadata"`
	Raw              json.RawMessage `json:"-"`
}

// FeeDetail is one of a payment's fee_details.
type FeeDetail struct {
	Type     string `json:"type"`
	Amount   Amount `json:"amount"`
	FeePayer string `json:"fee_payer"`
}

// Fee is what Mercado Pago keeps of the payment: the sum of its fee_details
// borne by the seller (fee_payer "collector", or unnamed). A fee the payer
// bears (financing of cuotas) is on top of transaction_amount and never
// reaches the owner, so it is not the owner's cost.
func (p Payment) Fee() money.Money {
	var sum money.Money
	for _, f := range p.FeeDetails {
		if f.FeePayer != "payer" && f.Amount > 0 {
			sum += f.Amount.Money()
		}
	}
	return min(sum, money.Max)
}

// GetPayment fetches a payment.
func (c *Client) GetPayment(ctx context.Context, id string) (Payment, error) {
	if id == "" || strings.Trim(id, "0123456789") != "" || len(id) > 30 {
		return Payment{}, ErrNotFound
	}
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodGet, "/v1/payments/"+url.PathEscape(id), nil, "", &raw); err != nil {
		return Payment{}, err
	}
	var p Payment
	if err := json.Unmarshal(raw, &p); err != nil {
		return Payment{}, fmt.Errorf("mercadopago: decode payment %s: %w", id, err)
	}
	p.Raw = raw
	if p.ID.String() != id {
		return Payment{}, fmt.Errorf("mercadopago: asked for payment %s, got %s", id, p.ID)
	}
	return p, nil
}

// Refund is an answer of POST /v1/payments/{id}/refunds.
type Refund struct {
	ID     json.Number `json:"id"`
	Amount Amount      `json:"amount"`
	Status string      `json:"status"`
}

// Refund returns amount of a payment (0 = all of it); key makes retries safe.
func (c *Client) Refund(ctx context.Context, paymentID string, amount money.Money, key string) (Refund, error) {
	var body any = struct{}{}
	if amount > 0 {
		body = map[string]Amount{"amount": Amount(amount)}
	}
	var out Refund
	err := c.do(ctx, http.MethodPost, "/v1/payments/"+url.PathEscape(paymentID)+"/refunds", body, key, &out)
	return out, err
}

// Me is a cheap authenticated call (GET /users/me), the settings page's "test connection".
func (c *Client) Me(ctx context.Context) (string, error) {
	var out struct {
		ID       json.Number `json:"id"`
		Nickname string      `json:"nickname"`
	}
	if err := c.do(ctx, http.MethodGet, "/users/me", nil, "", &out); err != nil {
		return "", err
	}
	if out.Nickname != "" {
		return out.Nickname, nil
	}
	return out.ID.String(), nil
}
