package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/format"
	"alojamientos/internal/whatsapp/cloudapi"
)

// payload is what an outbound row carries until it is sent: a ready message,
// or a notice composed at send time from the reservation as it is then (so a
// deposit link made a moment later is in it), and the template to use when
// the 24-hour window is closed.
type payload struct {
	Message  *cloudapi.Outgoing `json:"message,omitempty"`
	Notice   *Notice            `json:"notice,omitempty"`
	Fallback *cloudapi.Outgoing `json:"fallback,omitempty"`
}

// Notice is a notification about a reservation or for the owner.
type Notice struct {
	Event         string `json:"event"`
	ReservationID int64  `json:"reservation_id,omitempty"`
	// Text is the owner's alert, written when the event happened.
	Text string `json:"text,omitempty"`
}

// Errors an owner sees when replying from the dashboard.
var (
	ErrWindowClosed = errors.New("whatsapp: the 24-hour window is closed: send a template")
	ErrEmptyMessage = errors.New("whatsapp: empty message")
	ErrTooLong      = errors.New("whatsapp: message longer than 4096 characters")
	ErrNoTemplate   = errors.New("whatsapp: unknown template")
)

// enqueue stores one outbound message with its send job; a duplicate event
// key stores nothing and reports false.
func (s *Service) enqueue(ctx context.Context, conn dbq.DBTX, accountID, convID int64, key, author string,
	p payload, resID *int64) (bool, error) {
	kind, body := "notice", ""
	if p.Message != nil {
		kind, body = p.Message.Kind, p.Message.Body
		if kind == "template" {
			body = p.Message.Template
		}
	}
	pj, err := json.Marshal(p)
	if err != nil {
		return false, err
	}
	var k *string
	if key != "" {
		k = &key
	}
	now := s.Clock.Now().UTC()
	_, err = db.Q(conn).InsertOutboundWithJob(ctx, dbq.InsertOutboundWithJobParams{
		AccountID: accountID, ConversationID: convID, EventKey: k, Author: author, Kind: kind, Body: body,
		Payload: pj, ReservationID: resID, Now: now, JobKind: SendArgs{}.Kind()})
	if errors.Is(err, db.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("whatsapp: enqueue %s: %w", key, err)
	}
	if err := db.Q(conn).WakeQueue(ctx, Queue); err != nil {
		return false, fmt.Errorf("whatsapp: enqueue %s: %w", key, err)
	}
	preview := body
	if p.Notice != nil {
		preview = noticePreview(p.Notice.Event)
	}
	// Inside the caller's transaction a failed statement aborts it: the error must reach the caller.
	if err := db.Q(conn).TouchConversation(ctx, dbq.TouchConversationParams{ID: convID, Now: now, Preview: format.Clip(preview, 120)}); err != nil {
		return false, fmt.Errorf("whatsapp: enqueue %s: %w", key, err)
	}
	return true, nil
}

// InWindow says whether free text may be sent to a chat whose guest last wrote at last.
func (s *Service) InWindow(last *time.Time) bool {
	return last != nil && s.Clock.Now().Sub(*last) < Window
}

// OwnerReply queues free text from a dashboard user. token makes a
// double-submitted form one message.
func (s *Service) OwnerReply(ctx context.Context, accountID, convID, userID int64, text, token string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return ErrEmptyMessage
	}
	if utf8.RuneCountInString(text) > 4096 {
		return ErrTooLong
	}
	conv, err := db.Q(s.DB).GetConversation(ctx, dbq.GetConversationParams{ID: convID, AccountID: accountID})
	if err != nil {
		return err
	}
	if !s.InWindow(conv.LastInboundAt) {
		return ErrWindowClosed
	}
	_, err = s.enqueue(ctx, s.DB, accountID, convID, ownerKey(token), "user:"+strconv.FormatInt(userID, 10),
		payload{Message: &cloudapi.Outgoing{Kind: "text", Body: text}}, nil)
	return err
}

func ownerKey(token string) string {
	if token == "" {
		return ""
	}
	return "owner:" + format.Clip(token, 64)
}

// TemplateOption is a template the owner may send outside the window.
type TemplateOption struct {
	Event, Name, Preview string
}

// OwnerTemplates lists what the template picker offers.
func (s *Service) OwnerTemplates(st Settings) []TemplateOption {
	return []TemplateOption{{Event: EventFollowUp, Name: st.Templates[EventFollowUp],
		Preview: "Hola {{1}}, te escribimos de {{2}} por tu consulta. ¿Seguimos por acá?"}}
}

// OwnerTemplate queues a template chosen in the dashboard (outside or inside the window).
func (s *Service) OwnerTemplate(ctx context.Context, accountID, convID, userID int64, event, token string) error {
	st, err := s.LoadSettings(ctx, accountID)
	if err != nil {
		return err
	}
	if event != EventFollowUp {
		return ErrNoTemplate
	}
	q := db.Q(s.DB)
	conv, err := q.GetConversation(ctx, dbq.GetConversationParams{ID: convID, AccountID: accountID})
	if err != nil {
		return err
	}
	acc, err := q.GetAccount(ctx, accountID)
	if err != nil {
		return fmt.Errorf("whatsapp: account %d: %w", accountID, err)
	}
	name := format.FirstName(conv.ProfileName)
	if name == "" {
		name = "¿cómo estás?"
	}
	m := &cloudapi.Outgoing{Kind: "template", Template: st.Templates[EventFollowUp], Language: st.Language,
		Params: []string{name, acc.Name}}
	_, err = s.enqueue(ctx, s.DB, accountID, convID, ownerKey(token), "user:"+strconv.FormatInt(userID, 10),
		payload{Message: m}, nil)
	return err
}

// SetMode hands a chat to a person ("owner") or back to the assistant.
func (s *Service) SetMode(ctx context.Context, accountID, convID int64, mode string) error {
	if mode != "owner" && mode != "assistant" {
		return fmt.Errorf("whatsapp: unknown mode %q", mode)
	}
	_, err := db.Q(s.DB).SetConversationMode(ctx, dbq.SetConversationModeParams{
		ID: convID, AccountID: accountID, Mode: mode, Now: s.Clock.Now().UTC()})
	if err != nil {
		return err
	}
	if mode == "assistant" {
		// Handing back starts the assistant afresh rather than mid-question.
		return db.Q(s.DB).DeleteWAState(ctx, convID)
	}
	return nil
}

// SendTest sends Meta's stock hello_world template to `to` right away and
// says what the API answered: the settings page's "send a test message".
func (s *Service) SendTest(ctx context.Context, accountID int64, to string) (string, error) {
	st, err := s.LoadSettings(ctx, accountID)
	if err != nil && !errors.Is(err, ErrNotConfigured) {
		return "", err
	}
	client := s.clientFor(st)
	if !client.Configured() {
		return "", cloudapi.ErrUnconfigured
	}
	if st.PhoneNumberID == "" {
		return "", ErrNoNumber
	}
	wamid, err := client.Send(ctx, st.PhoneNumberID, cloudapi.Outgoing{To: strings.TrimPrefix(to, "+"), Kind: "template",
		Template: "hello_world", Language: "en_US"})
	s.noteAPIResult(err)
	return wamid, err
}

// errSnooze asks the send job to try again shortly (a deposit link not made yet).
var errSnooze = errors.New("whatsapp: not ready yet")

// Send delivers one queued message: inside the window as composed, outside
// it as its template (or not at all), 131047 rerouted to the template, rate
// limits and server errors retried by the job, an answer we never got
// (timeout after sending) left as "unknown" rather than sent twice. Its
// steps: prepare the message, check the account can send, deliver, and
// record the outcome.
func (s *Service) Send(ctx context.Context, id int64, attempt, maxAttempts int) error {
	q := db.Q(s.DB)
	row, err := q.GetOutbound(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("whatsapp: load message %d: %w", id, err)
	}
	now := s.Clock.Now().UTC()
	setStatus := func(status, why string) error {
		return q.SetOutboundStatus(ctx, dbq.SetOutboundStatusParams{ID: id, Status: status, Now: &now, Error: why})
	}
	switch row.Status {
	case "queued":
	case "sending":
		// A previous attempt died between asking Meta and hearing back: it may have gone out.
		return setStatus("unknown", "se cortó el envío: no sabemos si llegó")
	default:
		return nil
	}
	st, err := s.LoadSettings(ctx, row.AccountID)
	if err != nil && !errors.Is(err, ErrNotConfigured) {
		return err
	}
	m, fallback, status, why, err := s.prepare(ctx, st, row)
	if err != nil {
		return err
	}
	if status != "" {
		return setStatus(status, why)
	}
	client := s.clientFor(st)
	if !client.Configured() {
		return setStatus("skipped", "WhatsApp no está configurado (falta el token de acceso)")
	}
	if st.PhoneNumberID == "" {
		return setStatus("skipped", "Esta cuenta no tiene un número de WhatsApp asignado")
	}
	if err := setStatus("sending", ""); err != nil {
		return err
	}
	m, wamid, err := deliver(ctx, client, st.PhoneNumberID, row.WaID, m, fallback)
	s.noteAPIResult(err)
	return s.recordSend(ctx, id, m, wamid, err, attempt < maxAttempts)
}

// prepare reads what a queued row is to send: its message, or its notice
// composed now, and the template for outside the window, already chosen
// when the window is closed. A non-empty status (with why) is the row's
// end without sending; errSnooze asks to try again shortly.
func (s *Service) prepare(ctx context.Context, st Settings, row dbq.GetOutboundRow) (
	m, fallback *cloudapi.Outgoing, status, why string, err error) {
	var p payload
	if err := json.Unmarshal(row.Payload, &p); err != nil {
		return nil, nil, "failed", "mensaje ilegible", nil
	}
	if p.Notice != nil {
		msg, fb, err := s.compose(ctx, st, *p.Notice, row.CreatedAt)
		if errors.Is(err, errSnooze) {
			return nil, nil, "", "", err
		}
		if err != nil {
			return nil, nil, "skipped", err.Error(), nil
		}
		p.Message, p.Fallback = msg, fb
	}
	if p.Message == nil {
		return nil, nil, "skipped", "nada para enviar", nil
	}
	if p.Message.Kind != "template" && !s.InWindow(row.LastInboundAt) {
		if p.Fallback == nil {
			return nil, nil, "skipped", "fuera de la ventana de 24 h y sin plantilla", nil
		}
		return p.Fallback, p.Fallback, "", "", nil
	}
	return p.Message, p.Fallback, "", "", nil
}

// deliver sends m to waID, and its fallback template instead when Meta
// answers that the window is closed; it returns the message that went.
func deliver(ctx context.Context, client *cloudapi.Client, phoneNumberID, waID string, m, fallback *cloudapi.Outgoing) (
	*cloudapi.Outgoing, string, error) {
	m.To = waID
	wamid, err := client.Send(ctx, phoneNumberID, *m)
	if cloudapi.IsWindowClosed(err) && m.Kind != "template" && fallback != nil {
		m = fallback
		m.To = waID
		wamid, err = client.Send(ctx, phoneNumberID, *m)
	}
	return m, wamid, err
}

// recordSend stores the outcome of a send: sent, queued again for a retry
// the job makes (mayRetry: attempts are left), unknown when no answer
// came back after sending, or failed.
func (s *Service) recordSend(ctx context.Context, id int64, m *cloudapi.Outgoing, wamid string, err error, mayRetry bool) error {
	q := db.Q(s.DB)
	now := s.Clock.Now().UTC()
	code := 0
	var apiErr *cloudapi.APIError
	if errors.As(err, &apiErr) {
		code = apiErr.Code
	}
	switch {
	case err == nil:
		s.Metrics.WebhookEvents.WithLabelValues(Provider, "sent").Inc()
		body := m.Body
		if m.Kind == "template" {
			body = templateText(m)
		}
		return q.MarkOutboundSent(ctx, dbq.MarkOutboundSentParams{ID: id, Wamid: &wamid, Kind: m.Kind, Body: body,
			Template: m.Template, Now: &now})
	case cloudapi.IsRetryable(err) && mayRetry:
		_ = q.SetOutboundStatus(ctx, dbq.SetOutboundStatusParams{ID: id, Status: "queued", Now: &now,
			ErrorCode: int32(code), Error: format.Clip(err.Error(), 500)})
		return fmt.Errorf("whatsapp: send message %d (will retry): %w", id, err)
	case cloudapi.IsAmbiguous(err):
		s.Log.Warn("whatsapp: no answer to a send; not resending", "message_id", id, "error", err)
		return q.SetOutboundStatus(ctx, dbq.SetOutboundStatusParams{ID: id, Status: "unknown", Now: &now,
			Error: "sin respuesta de WhatsApp: puede haber llegado"})
	default:
		s.Log.Warn("whatsapp: send failed", "message_id", id, "code", code, "error", err)
		return q.SetOutboundStatus(ctx, dbq.SetOutboundStatusParams{ID: id, Status: "failed", Now: &now,
			ErrorCode: int32(code), Error: format.Clip(err.Error(), 500)})
	}
}

// templateText is what the inbox shows for a sent template.
func templateText(m *cloudapi.Outgoing) string {
	if len(m.Params) == 0 {
		return "[plantilla " + m.Template + "]"
	}
	return "[plantilla " + m.Template + "] " + strings.Join(m.Params, " · ")
}

// SendArgs is the job that sends one outbound message.
type SendArgs struct {
	MessageID int64 `json:"message_id"`
}

// Kind implements river.JobArgs.
func (SendArgs) Kind() string { return "whatsapp.send" }

// SendWorker runs Send.
type SendWorker struct {
	river.WorkerDefaults[SendArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *SendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	err := w.Service.Send(ctx, job.Args.MessageID, job.Attempt, job.MaxAttempts)
	if errors.Is(err, errSnooze) {
		return river.JobSnooze(2 * time.Second)
	}
	return err
}

// NextRetry backs off from 2 s to 10 min: Meta's rate limits clear in seconds
// to minutes, and a guest waiting on an answer should not wait River's default hours.
func (w *SendWorker) NextRetry(job *river.Job[SendArgs]) time.Time {
	d := time.Duration(1<<min(job.Attempt, 9)) * time.Second
	return time.Now().Add(min(d, 10*time.Minute))
}

// Timeout bounds one send (the client's own timeout is 15 s).
func (w *SendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return 30 * time.Second }
