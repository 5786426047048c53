package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/format"
	"alojamientos/internal/whatsapp/cloudapi"
)

// Receive stores a verified webhook body: one inbox row and one job per
// message and per status, duplicates stored once, all in one statement.
// It returns how many events were new and how many the body held.
func (s *Service) Receive(ctx context.Context, body []byte) (stored, total int, err error) {
	b, err := cloudapi.ParseWebhook(body)
	if err != nil {
		return 0, 0, err
	}
	type ev struct {
		EventKey   string `json:"event_key"`
		Topic      string `json:"topic"`
		ResourceID string `json:"resource_id"`
		Body       string `json:"body"`
	}
	evs := make([]ev, 0, len(b.Messages)+len(b.Statuses))
	for _, m := range b.Messages {
		if m.ID == "" || m.From == "" {
			continue
		}
		j, _ := json.Marshal(m)
		evs = append(evs, ev{"msg:" + m.ID, "message", m.ID, string(j)})
	}
	for _, st := range b.Statuses {
		if st.ID == "" || st.Status == "" {
			continue
		}
		j, _ := json.Marshal(st)
		evs = append(evs, ev{"status:" + st.ID + ":" + st.Status, "status", st.ID, string(j)})
	}
	if len(evs) == 0 {
		return 0, 0, nil
	}
	ej, _ := json.Marshal(evs)
	n, err := db.Q(s.DB).InsertWhatsAppInbox(ctx, dbq.InsertWhatsAppInboxParams{Events: ej, Now: s.Clock.Now().UTC(),
		JobKind: ProcessArgs{}.Kind()})
	if err != nil {
		return 0, len(evs), fmt.Errorf("whatsapp: store webhook: %w", err)
	}
	if n > 0 {
		// A lost wake-up only costs the workers' next poll.
		_ = db.Q(s.DB).WakeQueue(ctx, Queue)
	}
	return int(n), len(evs), nil
}

// errStatusEarly: a status for a message whose send we have not recorded yet.
var errStatusEarly = errors.New("whatsapp: status for a message not recorded yet")

// ProcessInbox handles one stored event, once.
func (s *Service) ProcessInbox(ctx context.Context, id int64, attempt int) error {
	q := db.Q(s.DB)
	row, err := q.GetInbox(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("whatsapp: load inbox %d: %w", id, err)
	}
	if row.ProcessedAt != nil {
		return nil
	}
	switch row.Topic {
	case "message":
		var m cloudapi.InboundMessage
		if err = json.Unmarshal([]byte(row.Body), &m); err == nil {
			err = s.HandleMessage(ctx, m)
		}
	case "status":
		var st cloudapi.StatusUpdate
		if err = json.Unmarshal([]byte(row.Body), &st); err == nil {
			err = s.applyStatus(ctx, st)
			if errors.Is(err, errStatusEarly) && attempt >= 5 {
				err = nil // a status for a message sent by something else (Meta's own tools)
			}
		}
	}
	now := s.Clock.Now().UTC()
	if err != nil {
		_ = q.MarkInboxFailed(ctx, dbq.MarkInboxFailedParams{ID: id, LastError: format.Clip(err.Error(), 500)})
		return err
	}
	return q.MarkInboxProcessed(ctx, dbq.MarkInboxProcessedParams{ID: id, Now: &now})
}

func (s *Service) applyStatus(ctx context.Context, st cloudapi.StatusUpdate) error {
	q := db.Q(s.DB)
	at := st.Timestamp
	if at.IsZero() {
		at = s.Clock.Now()
	}
	at = at.UTC()
	wamid := st.ID
	_, err := q.ApplyMessageStatus(ctx, dbq.ApplyMessageStatusParams{Status: st.Status, At: &at, ErrorCode: int32(st.ErrorCode),
		Error: format.Clip(st.ErrorTitle, 500), Wamid: &wamid})
	if errors.Is(err, db.ErrNotFound) {
		ok, err := q.MessageExists(ctx, &wamid)
		if err != nil {
			return err
		}
		if !ok {
			return errStatusEarly
		}
		return nil // an older status than the one we have: forward only
	}
	if err != nil {
		return fmt.Errorf("whatsapp: status %s of %s: %w", st.Status, st.ID, err)
	}
	if st.Status == "failed" {
		s.Log.Warn("whatsapp: message failed", "wamid", st.ID, "code", st.ErrorCode, "error", st.ErrorTitle)
	}
	return nil
}

// ProcessArgs is the job stored with each inbox row.
type ProcessArgs struct {
	InboxID int64 `json:"inbox_id"`
}

// Kind implements river.JobArgs.
func (ProcessArgs) Kind() string { return "whatsapp.process" }

// ProcessWorker handles one inbound event.
type ProcessWorker struct {
	river.WorkerDefaults[ProcessArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *ProcessWorker) Work(ctx context.Context, job *river.Job[ProcessArgs]) error {
	return w.Service.ProcessInbox(ctx, job.Args.InboxID, job.Attempt)
}

// NextRetry retries soon: a status usually waits only for our own send to be recorded.
func (w *ProcessWorker) NextRetry(job *river.Job[ProcessArgs]) time.Time {
	return time.Now().Add(min(time.Duration(job.Attempt*job.Attempt)*time.Second, 10*time.Minute))
}

// SweepArgs re-enqueues inbox rows whose job was lost.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "whatsapp.sweep_inbox" }

// SweepWorker runs the sweep and prunes expired chat state.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	q := db.Q(w.Service.DB)
	now := w.Service.Clock.Now()
	n, err := q.RequeueStaleInbox(ctx, dbq.RequeueStaleInboxParams{Provider: Provider, JobKind: ProcessArgs{}.Kind(),
		Queue: Queue, Before: now.Add(-time.Minute)})
	if err != nil {
		return fmt.Errorf("whatsapp: sweep inbox: %w", err)
	}
	if n > 0 {
		_ = q.WakeQueue(ctx, Queue)
	}
	_, err = q.PruneWAState(ctx, now.UTC())
	return err
}

// previewOf is the inbox's one-line summary of an inbound message.
func previewOf(m cloudapi.InboundMessage) string {
	if t := strings.TrimSpace(m.Text); t != "" {
		return format.Clip(t, 120)
	}
	switch m.Type {
	case "image":
		return "📷 Foto"
	case "audio":
		return "🎤 Audio"
	case "location":
		return "📍 Ubicación"
	case "sticker":
		return "Sticker"
	}
	return "[" + m.Type + "]"
}
