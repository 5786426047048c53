package cloudapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// DefaultBaseURL is Meta's Graph API, for WHATSAPP_API_BASE_URL left unset.
const DefaultBaseURL = "https://graph.facebook.com"

// APIVersion is the Graph API version every call is pinned to.
const APIVersion = "v25.0"

// Limits Meta enforces on message parts; going over is a 400 (code 100 or
// 131009), never a partial send, so we cut before sending.
const (
	maxTextBody        = 4096
	maxInteractiveBody = 1024
	maxButtons         = 3
	maxButtonID        = 256
	maxButtonTitle     = 20
	maxListButton      = 20
	maxRows            = 10
	maxRowID           = 200
	maxRowTitle        = 24
	maxRowDescription  = 72
	maxSectionTitle    = 24
)

// ErrUnconfigured means WHATSAPP_ACCESS_TOKEN or the base URL is not set.
var ErrUnconfigured = errors.New("whatsapp: access token not configured")

// ErrInvalidMessage is an Outgoing that Meta would refuse (no recipient,
// unknown kind, too many buttons…): a bug of ours, not worth retrying.
var ErrInvalidMessage = errors.New("whatsapp: invalid outgoing message")

// Client sends messages through the WhatsApp Cloud API.
type Client struct {
	BaseURL string
	Token   string
	HTTP    *http.Client
	Log     *slog.Logger
}

// NewClient builds a client with a 15 s timeout per send.
func NewClient(baseURL, token string, log *slog.Logger) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Token: token, Log: log,
		HTTP: &http.Client{Timeout: 15 * time.Second}}
}

// Configured reports whether a token and a base URL are set.
func (c *Client) Configured() bool { return c != nil && c.Token != "" && c.BaseURL != "" }

// Outgoing is one message to send. Exactly one of Text / Buttons / List /
// Template is used, chosen by Kind.
type Outgoing struct {
	To         string   // E.164 without "+" (wa_id digits); a leading "+" is dropped
	Kind       string   // "text", "buttons", "list", "template"
	Body       string   // text body (text), or interactive body text (buttons/list)
	Buttons    []Choice // 1–3 reply buttons: id ≤256 chars, title ≤20 chars (cut on rune boundaries)
	ListButton string   // the list's button label (≤20), e.g. "Ver opciones"
	Rows       []Choice // list rows (1–10): id ≤200, title ≤24, description ≤72
	Template   string   // template name
	Language   string   // template language code; "es_AR" when empty
	Params     []string // template body parameters, positional ({{1}}, {{2}}…)
	ReplyTo    string   // optional context.message_id
}

// Choice is a reply button or a list row.
type Choice struct{ ID, Title, Description string }

// APIError is an error answered by the Graph API.
type APIError struct {
	HTTPStatus, Code            int
	Message, Details, FBTraceID string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("whatsapp: API answered %d", e.HTTPStatus)
	if e.Code != 0 {
		s += fmt.Sprintf(" code %d", e.Code)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Details != "" {
		s += " (" + e.Details + ")"
	}
	if e.FBTraceID != "" {
		s += " fbtrace_id=" + e.FBTraceID
	}
	return s
}

// transportError is a send that got no answer from Meta. written tells
// whether the whole request left this process: then Meta may have accepted
// the message, and sending again could deliver it twice.
type transportError struct {
	err     error
	written bool
}

func (e *transportError) Error() string {
	if e.written {
		return "whatsapp: no answer after sending: " + e.err.Error()
	}
	return "whatsapp: request not sent: " + e.err.Error()
}

func (e *transportError) Unwrap() error { return e.err }

// IsWindowClosed reports Meta's 131047: the guest's last message is older
// than 24 h, so only a template can reach them now.
func IsWindowClosed(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == 131047
}

// IsRetryable reports errors where sending the same message again later is
// safe and may succeed: throttling, Meta's transient failures, and network
// failures before the request left us.
func IsRetryable(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		if ae.HTTPStatus == http.StatusTooManyRequests || ae.HTTPStatus >= 500 {
			return true
		}
		switch ae.Code {
		case 130429, // throughput limit of the number
			131056,         // pair rate limit: too many to the same guest
			131000,         // "something went wrong"
			131016,         // service unavailable
			1, 2, 4, 80007: // API unknown / service / app and WABA rate limits
			return true
		}
		return false
	}
	var te *transportError
	return errors.As(err, &te) && !te.written
}

// IsAmbiguous reports a send that may have reached Meta with no answer back
// (timeout after writing, connection reset mid-response, an unreadable 2xx).
// Resending blindly could message the guest twice; the caller should wait for
// a status webhook or decide deliberately.
func IsAmbiguous(err error) bool {
	var te *transportError
	return errors.As(err, &te) && te.written
}

// Send posts m to {base}/v25.0/{phoneNumberID}/messages and returns the
// wamid. It makes exactly one attempt: the job that calls it owns retries,
// backoff and the choice of a template once the window is closed.
func (c *Client) Send(ctx context.Context, phoneNumberID string, m Outgoing) (string, error) {
	if !c.Configured() {
		return "", ErrUnconfigured
	}
	if phoneNumberID == "" || strings.Trim(phoneNumberID, "0123456789") != "" {
		return "", fmt.Errorf("%w: phone number id %q", ErrInvalidMessage, phoneNumberID)
	}
	payload, err := buildPayload(m)
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("whatsapp: encode message: %w", err)
	}
	endpoint := c.BaseURL + "/" + APIVersion + "/" + url.PathEscape(phoneNumberID) + "/messages"

	// Whether the request was fully written decides if a failure is safe to
	// retry; the transport does not say, so we listen.
	var written atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(i httptrace.WroteRequestInfo) {
		if i.Err == nil {
			written.Store(true)
		}
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("whatsapp: build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		err = &transportError{err: err, written: written.Load()}
		c.logFailure(phoneNumberID, m.Kind, start, err)
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		// Meta has answered a status already: whatever it did is done.
		err = &transportError{err: fmt.Errorf("read answer %d: %w", resp.StatusCode, err), written: true}
		c.logFailure(phoneNumberID, m.Kind, start, err)
		return "", err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := apiError(resp.StatusCode, raw)
		c.logFailure(phoneNumberID, m.Kind, start, err)
		return "", err
	}
	var out struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Messages) == 0 || out.Messages[0].ID == "" {
		// A 2xx means Meta took the message; without its id we cannot follow
		// it, but sending again would duplicate it.
		err = &transportError{err: fmt.Errorf("answer %d without a message id: %.200s", resp.StatusCode, raw), written: true}
		c.logFailure(phoneNumberID, m.Kind, start, err)
		return "", err
	}
	if c.Log != nil {
		c.Log.Debug("whatsapp: sent", "phone_number_id", phoneNumberID, "kind", m.Kind,
			"wamid", out.Messages[0].ID, "duration", time.Since(start))
	}
	return out.Messages[0].ID, nil
}

// logFailure never logs the text or the recipient: guests' messages and
// phone numbers are personal data.
func (c *Client) logFailure(phoneNumberID, kind string, start time.Time, err error) {
	if c.Log != nil {
		c.Log.Warn("whatsapp: send failed", "phone_number_id", phoneNumberID, "kind", kind,
			"duration", time.Since(start), "error", err)
	}
}

func apiError(status int, raw []byte) *APIError {
	var wire struct {
		Error struct {
			Message   string `json:"message"`
			Code      int    `json:"code"`
			ErrorData struct {
				Details string `json:"details"`
			} `json:"error_data"`
			FBTraceID string `json:"fbtrace_id"`
		} `json:"error"`
	}
	e := &APIError{HTTPStatus: status}
	if json.Unmarshal(raw, &wire) == nil && (wire.Error.Code != 0 || wire.Error.Message != "") {
		e.Code, e.Message = wire.Error.Code, wire.Error.Message
		e.Details, e.FBTraceID = wire.Error.ErrorData.Details, wire.Error.FBTraceID
		return e
	}
	// Not Graph's JSON (a proxy's HTML page): keep a bit for the log.
	e.Message = cut(strings.TrimSpace(string(bytes.ToValidUTF8(raw, nil))), 200)
	return e
}

// Wire shapes of POST /messages, in the field order of Meta's examples.
type wireSend struct {
	MessagingProduct string           `json:"messaging_product"`
	RecipientType    string           `json:"recipient_type"`
	To               string           `json:"to"`
	Context          *wireContext     `json:"context,omitempty"`
	Type             string           `json:"type"`
	Text             *wireText        `json:"text,omitempty"`
	Interactive      *wireInteractive `json:"interactive,omitempty"`
	Template         *wireTemplate    `json:"template,omitempty"`
}

type wireContext struct {
	MessageID string `json:"message_id"`
}

type wireText struct {
	PreviewURL bool   `json:"preview_url"`
	Body       string `json:"body"`
}

type wireInteractive struct {
	Type string `json:"type"`
	Body struct {
		Text string `json:"text"`
	} `json:"body"`
	Action wireAction `json:"action"`
}

type wireAction struct {
	Button   string        `json:"button,omitempty"`
	Buttons  []wireButton  `json:"buttons,omitempty"`
	Sections []wireSection `json:"sections,omitempty"`
}

type wireButton struct {
	Type  string `json:"type"`
	Reply struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"reply"`
}

type wireSection struct {
	Title string    `json:"title,omitempty"`
	Rows  []wireRow `json:"rows"`
}

type wireRow struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

type wireTemplate struct {
	Name     string `json:"name"`
	Language struct {
		Code string `json:"code"`
	} `json:"language"`
	Components []wireComponent `json:"components,omitempty"`
}

type wireComponent struct {
	Type       string      `json:"type"`
	Parameters []wireParam `json:"parameters"`
}

type wireParam struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidMessage}, a...)...)
}

// buildPayload checks m against Meta's limits and shapes it for the wire,
// one step per kind.
func buildPayload(m Outgoing) (*wireSend, error) {
	to := strings.TrimPrefix(strings.TrimSpace(m.To), "+")
	if to == "" || len(to) > 20 || strings.Trim(to, "0123456789") != "" {
		return nil, invalid("recipient %q", m.To)
	}
	w := &wireSend{MessagingProduct: "whatsapp", RecipientType: "individual", To: to}
	if m.ReplyTo != "" {
		w.Context = &wireContext{MessageID: m.ReplyTo}
	}
	var err error
	switch m.Kind {
	case "text":
		w.Type, w.Text = "text", textPayload(m)
		if w.Text == nil {
			err = invalid("empty text")
		}
	case "buttons":
		w.Type = "interactive"
		w.Interactive, err = buttonsPayload(m)
	case "list":
		w.Type = "interactive"
		w.Interactive, err = listPayload(m)
	case "template":
		w.Type = "template"
		w.Template, err = templatePayload(m)
	default:
		err = invalid("kind %q", m.Kind)
	}
	if err != nil {
		return nil, err
	}
	return w, nil
}

// textPayload is nil for a text with nothing to say.
func textPayload(m Outgoing) *wireText {
	body := cut(m.Body, maxTextBody)
	if strings.TrimSpace(body) == "" {
		return nil
	}
	// A preview only when there is something to preview: our links are
	// the guest's reservation and payment pages.
	return &wireText{Body: body, PreviewURL: strings.Contains(body, "https://") || strings.Contains(body, "http://")}
}

func buttonsPayload(m Outgoing) (*wireInteractive, error) {
	if len(m.Buttons) == 0 || len(m.Buttons) > maxButtons {
		return nil, invalid("%d buttons (1 to %d)", len(m.Buttons), maxButtons)
	}
	in, err := interactive("button", m.Body)
	if err != nil {
		return nil, err
	}
	for _, b := range m.Buttons {
		// An id is matched when the guest taps: cutting it would break the
		// match silently, so a long one is refused instead.
		if b.ID == "" || utf8.RuneCountInString(b.ID) > maxButtonID {
			return nil, invalid("button id %q", cut(b.ID, 40))
		}
		title := cut(strings.TrimSpace(b.Title), maxButtonTitle)
		if title == "" {
			return nil, invalid("button %q without a title", b.ID)
		}
		wb := wireButton{Type: "reply"}
		wb.Reply.ID, wb.Reply.Title = b.ID, title
		in.Action.Buttons = append(in.Action.Buttons, wb)
	}
	return in, nil
}

func listPayload(m Outgoing) (*wireInteractive, error) {
	if len(m.Rows) == 0 || len(m.Rows) > maxRows {
		return nil, invalid("%d rows (1 to %d)", len(m.Rows), maxRows)
	}
	label := cut(strings.TrimSpace(m.ListButton), maxListButton)
	if label == "" {
		return nil, invalid("list without a button label")
	}
	in, err := interactive("list", m.Body)
	if err != nil {
		return nil, err
	}
	sec := wireSection{Title: cut(label, maxSectionTitle)}
	for _, r := range m.Rows {
		if r.ID == "" || utf8.RuneCountInString(r.ID) > maxRowID {
			return nil, invalid("row id %q", cut(r.ID, 40))
		}
		title := cut(strings.TrimSpace(r.Title), maxRowTitle)
		if title == "" {
			return nil, invalid("row %q without a title", r.ID)
		}
		sec.Rows = append(sec.Rows, wireRow{ID: r.ID, Title: title,
			Description: cut(strings.TrimSpace(r.Description), maxRowDescription)})
	}
	in.Action.Button, in.Action.Sections = label, []wireSection{sec}
	return in, nil
}

func templatePayload(m Outgoing) (*wireTemplate, error) {
	if m.Template == "" {
		return nil, invalid("template without a name")
	}
	t := &wireTemplate{Name: m.Template}
	t.Language.Code = m.Language
	if t.Language.Code == "" {
		t.Language.Code = "es_AR"
	}
	if len(m.Params) > 0 {
		c := wireComponent{Type: "body"}
		for _, p := range m.Params {
			c.Parameters = append(c.Parameters, wireParam{Type: "text", Text: templateParam(p)})
		}
		t.Components = []wireComponent{c}
	}
	return t, nil
}

func interactive(kind, body string) (*wireInteractive, error) {
	body = cut(body, maxInteractiveBody)
	if strings.TrimSpace(body) == "" {
		return nil, invalid("interactive %s without a body", kind)
	}
	in := &wireInteractive{Type: kind}
	in.Body.Text = body
	return in, nil
}

// templateParam flattens a parameter: Meta refuses template parameters with
// new lines, tabs or more than four consecutive spaces (error 132018), and an
// empty one (131008), which a guest's name or an address can easily carry.
func templateParam(p string) string {
	p = strings.Join(strings.Fields(p), " ")
	if p == "" {
		return "-"
	}
	return cut(p, 1024)
}

// cut shortens s to at most n characters, never splitting a UTF-8 sequence
// (Meta counts characters, and a broken one is a 400), ending with "…" so the
// reader sees it was cut. Invalid UTF-8 is repaired first for the same reason.
func cut(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n-1 {
			break
		}
		count++
	}
	return strings.TrimRightFunc(s[:i], func(r rune) bool { return r == ' ' }) + "…"
}

// PhoneNumber is the Graph API's phone number node.
type PhoneNumber struct {
	ID                 string `json:"id"`
	DisplayPhoneNumber string `json:"display_phone_number"`
	VerifiedName       string `json:"verified_name"`
}

// LookUpNumber asks GET {base}/v25.0/{phoneNumberID} with token (not the
// client's own): Meta answers only for a number of the WhatsApp Business
// account the token belongs to (code 100 otherwise, 190 for a bad token).
func (c *Client) LookUpNumber(ctx context.Context, token, phoneNumberID string) (PhoneNumber, error) {
	if c == nil || c.BaseURL == "" || token == "" {
		return PhoneNumber{}, ErrUnconfigured
	}
	if phoneNumberID == "" || strings.Trim(phoneNumberID, "0123456789") != "" {
		return PhoneNumber{}, fmt.Errorf("whatsapp: look up number: bad id %q", phoneNumberID)
	}
	endpoint := c.BaseURL + "/" + APIVersion + "/" + url.PathEscape(phoneNumberID) +
		"?fields=id,display_phone_number,verified_name"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return PhoneNumber{}, fmt.Errorf("whatsapp: look up number: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return PhoneNumber{}, fmt.Errorf("whatsapp: look up number: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return PhoneNumber{}, fmt.Errorf("whatsapp: look up number: read answer: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return PhoneNumber{}, apiError(resp.StatusCode, raw)
	}
	var n PhoneNumber
	if err := json.Unmarshal(raw, &n); err != nil {
		return PhoneNumber{}, fmt.Errorf("whatsapp: look up number: answer %.200s: %w", raw, err)
	}
	if n.ID != phoneNumberID {
		return PhoneNumber{}, fmt.Errorf("whatsapp: look up number %s: answered for %q", phoneNumberID, n.ID)
	}
	return n, nil
}

// WithToken is the client sending with another token (an account's own).
func (c *Client) WithToken(token string) *Client {
	if c == nil || token == "" {
		return c
	}
	cp := *c
	cp.Token = token
	return &cp
}
