package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/receipts"
	"alojamientos/internal/whatsapp/cloudapi"
)

// A photo or a file a guest sends in a chat is taken as a bank-transfer
// receipt for their reservation: the message only queues ReceiptArgs (the
// webhook never waits on Meta), and the job downloads the media through the
// Graph API, adds it with receipts.Service.Add and tells the guest what
// happened. The media id makes it idempotent: a redelivered message or a
// retried job stores the receipt once and answers once.

// Replies of the receipt job, in the guest's chat.
const (
	ReplyReceiptReceived = "Recibimos tu comprobante, el anfitrión lo va a revisar."
	ReplyNoReservation   = "No encontramos una reserva tuya para este comprobante."
	ReplyMediaFailed     = "No pudimos descargar el archivo que mandaste. ¿Lo mandás de nuevo?"
)

// ReceiptArgs is the job that fetches one media message as a receipt.
type ReceiptArgs struct {
	AccountID      int64  `json:"account_id"`
	ConversationID int64  `json:"conversation_id"`
	WaID           string `json:"wa_id"`
	MessageID      string `json:"message_id"`
	MediaID        string `json:"media_id"`
}

// Kind implements river.JobArgs.
func (ReceiptArgs) Kind() string { return "whatsapp.receipt" }

// ReceiptWorker runs ReceiptArgs.
type ReceiptWorker struct {
	river.WorkerDefaults[ReceiptArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *ReceiptWorker) Work(ctx context.Context, job *river.Job[ReceiptArgs]) error {
	return w.Service.TakeReceipt(ctx, job.Args, job.Attempt >= job.MaxAttempts)
}

// Timeout gives the two downloads their time, and a little more.
func (w *ReceiptWorker) Timeout(*river.Job[ReceiptArgs]) time.Duration {
	return 2*cloudapi.MediaTimeout + 30*time.Second
}

// isReceipt reports a message whose file may be a receipt.
func isReceipt(m cloudapi.InboundMessage) bool {
	return (m.Type == "image" || m.Type == "document") && m.MediaID != ""
}

// queueReceipt inserts the receipt job on the inbound message's transaction.
func (s *Service) queueReceipt(ctx context.Context, tx dbq.DBTX, accountID int64, conv dbq.WaConversation,
	m cloudapi.InboundMessage) error {
	args, err := json.Marshal(ReceiptArgs{AccountID: accountID, ConversationID: conv.ID, WaID: m.From, MessageID: m.ID,
		MediaID: m.MediaID})
	if err != nil {
		return err
	}
	q := db.Q(tx)
	if err := q.InsertReceiptFetchJob(ctx, dbq.InsertReceiptFetchJobParams{Args: args, JobKind: ReceiptArgs{}.Kind(),
		Queue: Queue}); err != nil {
		return fmt.Errorf("whatsapp: queue receipt %s: %w", m.MediaID, err)
	}
	return q.WakeQueue(ctx, Queue)
}

// TakeReceipt downloads a guest's media and adds it as a receipt to their
// reservation (the live hold, else the next stay not fully paid, found by
// the chat's phone), then answers in the chat: received, refused and why,
// or no reservation found. A download that fails for Meta's or the
// network's reasons is retried (an error), and told to the guest on the
// last attempt.
func (s *Service) TakeReceipt(ctx context.Context, a ReceiptArgs, last bool) error {
	if s.Receipts == nil {
		return errors.New("whatsapp: receipt job without a receipts service")
	}
	now := s.Clock.Now().UTC()
	resID, err := db.Q(s.DB).ReceiptReservationForPhone(ctx, dbq.ReceiptReservationForPhoneParams{
		AccountID: a.AccountID, Phone: "+" + a.WaID, Now: &now, Today: now.AddDate(0, 0, -1)})
	if errors.Is(err, db.ErrNotFound) {
		return s.replyReceipt(ctx, a, nil, ReplyNoReservation)
	}
	if err != nil {
		return fmt.Errorf("whatsapp: reservation for receipt %s: %w", a.MediaID, err)
	}
	st, err := s.LoadSettings(ctx, a.AccountID)
	if err != nil {
		return err
	}
	data, err := s.fetchMedia(ctx, st, a.MediaID)
	switch {
	case errors.Is(err, cloudapi.ErrMediaTooBig):
		return s.replyReceipt(ctx, a, &resID, receipts.Message(receipts.ErrTooBig))
	case err != nil && (last || !cloudapi.IsRetryable(err) && isAPIError(err)):
		s.Log.Warn("whatsapp: receipt media not downloaded", "media_id", a.MediaID, "error", err)
		return s.replyReceipt(ctx, a, &resID, ReplyMediaFailed)
	case err != nil:
		return err
	}
	_, err = s.Receipts.Add(ctx, receipts.Upload{AccountID: a.AccountID, ReservationID: resID,
		Source: receipts.SourceWhatsApp, SourceRef: a.MediaID, Data: data})
	switch {
	case err == nil:
		return s.replyReceipt(ctx, a, &resID, ReplyReceiptReceived)
	case receipts.Refused(err):
		return s.replyReceipt(ctx, a, &resID, receipts.Message(err))
	}
	return fmt.Errorf("whatsapp: add receipt %s: %w", a.MediaID, err)
}

// fetchMedia runs Graph's two steps with the account's token, bounded to
// receipts.MaxBytes.
func (s *Service) fetchMedia(ctx context.Context, st Settings, mediaID string) ([]byte, error) {
	client := s.clientFor(st)
	info, err := client.Media(ctx, mediaID)
	if err != nil {
		s.noteMediaResult(err)
		return nil, err
	}
	data, err := client.Download(ctx, info, receipts.MaxBytes)
	s.noteMediaResult(err)
	return data, err
}

// noteMediaResult tells /healthz about the Graph API as media fetches see
// it: a failure of Meta or of the token, not a guest's expired media id or
// oversized file.
func (s *Service) noteMediaResult(err error) {
	var ae *cloudapi.APIError
	if err == nil || cloudapi.IsRetryable(err) || (errors.As(err, &ae) && ae.Code == 190) {
		s.noteAPIResult(err)
	}
}

func isAPIError(err error) bool {
	var ae *cloudapi.APIError
	return errors.As(err, &ae) || errors.Is(err, cloudapi.ErrUnconfigured)
}

// replyReceipt answers the media message in its chat, once per message.
func (s *Service) replyReceipt(ctx context.Context, a ReceiptArgs, resID *int64, text string) error {
	_, err := s.enqueue(ctx, s.DB, a.AccountID, a.ConversationID, "receipt:"+a.MessageID, "system",
		payload{Message: &cloudapi.Outgoing{Kind: "text", Body: text, ReplyTo: a.MessageID}}, resID)
	return err
}
