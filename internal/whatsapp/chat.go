package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/format"
	"alojamientos/internal/whatsapp/assistant"
	"alojamientos/internal/whatsapp/cloudapi"
)

// HandleMessage records one inbound message and answers it, one message of a
// chat at a time. The record, the replies and the owner's alerts commit
// together, so a retried job either finds the message done or does it all.
// What to answer is the assistant's (package assistant); storing the message
// and queueing what it decided is done here.
func (s *Service) HandleMessage(ctx context.Context, m cloudapi.InboundMessage) error {
	accountID, err := db.Q(s.DB).WhatsAppAccountForNumber(ctx, m.PhoneNumberID)
	if errors.Is(err, db.ErrNotFound) {
		s.Log.Warn("whatsapp: message for a number no account uses", "phone_number_id", m.PhoneNumberID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("whatsapp: account for number: %w", err)
	}
	st, err := s.LoadSettings(ctx, accountID)
	if err != nil {
		return err
	}
	tx, err := s.DB.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	conv, isNew, err := s.recordInbound(ctx, tx, accountID, m)
	if err != nil || !isNew {
		return err // !isNew: seen and answered before
	}
	s.Metrics.WebhookEvents.WithLabelValues(Provider, "message").Inc()
	if s.Receipts != nil && isReceipt(m) && "+"+m.From != st.OwnerPhone {
		// A photo or a file: a transfer receipt, fetched by its own job.
		if err := s.queueReceipt(ctx, tx, accountID, conv, m); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	if conv.Mode == "owner" || !st.AssistantEnabled || "+"+m.From == st.OwnerPhone {
		// A person has the chat (or this is the owner's own phone): record only.
		return tx.Commit(ctx)
	}
	// The state is read under the chat's lock and written before the commit
	// that releases it: the next message of the chat sees what this one left.
	a := s.assistant()
	state, err := a.LoadState(ctx, tx, conv.ID)
	if err != nil {
		return err
	}
	turn, err := a.Answer(ctx, accountID, conv, m, state)
	if err != nil {
		return err
	}
	if err := s.queueTurn(ctx, tx, st, conv, m, turn); err != nil {
		return err
	}
	if err := a.SaveState(ctx, tx, conv.ID, turn.State); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// assistant is the chat assistant over the service's own dependencies.
func (s *Service) assistant() *assistant.Assistant {
	return &assistant.Assistant{DB: s.DB, Booking: s.Booking, Clock: s.Clock, BaseURL: s.BaseURL, StateTTL: s.StateTTL}
}

// recordInbound takes the chat's lock and stores the message on tx; isNew is
// false when the message was stored before.
func (s *Service) recordInbound(ctx context.Context, tx dbq.DBTX, accountID int64, m cloudapi.InboundMessage) (
	conv dbq.WaConversation, isNew bool, err error) {
	tq := db.Q(tx)
	if err := tq.LockConversation(ctx, m.From); err != nil {
		return conv, false, err
	}
	at := m.Timestamp
	if at.IsZero() || at.After(s.Clock.Now()) {
		at = s.Clock.Now()
	}
	at = at.UTC()
	conv, err = tq.UpsertInboundConversation(ctx, dbq.UpsertInboundConversationParams{AccountID: accountID, WaID: m.From,
		ProfileName: format.Clip(m.ProfileName, 120), At: &at, Preview: previewOf(m)})
	if err != nil {
		return conv, false, fmt.Errorf("whatsapp: conversation: %w", err)
	}
	pj := []byte(`{}`)
	if m.ReplyID != "" {
		pj = []byte(`{"reply_id":` + strconv.Quote(m.ReplyID) + `}`)
	}
	wamid := m.ID
	_, err = tq.InsertInboundMessage(ctx, dbq.InsertInboundMessageParams{AccountID: accountID, ConversationID: conv.ID,
		Wamid: &wamid, Kind: m.Type, Body: format.Clip(m.Text, 4096), Payload: pj, At: at})
	switch {
	case errors.Is(err, db.ErrNotFound):
		return conv, false, nil
	case err != nil:
		return conv, false, fmt.Errorf("whatsapp: record message: %w", err)
	}
	return conv, true, nil
}

// queueTurn queues on tx what the assistant decided: its replies, the hold
// notices (with the deposit link), the hand-off to a person and the owner's
// alerts, each keyed by the inbound message so a retry queues nothing twice.
func (s *Service) queueTurn(ctx context.Context, tx dbq.DBTX, st Settings, conv dbq.WaConversation,
	m cloudapi.InboundMessage, turn assistant.Turn) error {
	for i, r := range turn.Replies {
		key := fmt.Sprintf("reply:%s:%d", m.ID, i)
		if _, err := s.enqueue(ctx, tx, st.AccountID, conv.ID, key, "assistant", payload{Message: &r}, nil); err != nil {
			return err
		}
	}
	for _, id := range turn.Holds {
		key := EventHoldCreated + ":" + strconv.FormatInt(id, 10) + ":guest"
		if _, err := s.enqueue(ctx, tx, st.AccountID, conv.ID, key, "assistant",
			payload{Notice: &Notice{Event: EventHoldCreated, ReservationID: id}}, &id); err != nil {
			return err
		}
	}
	for _, id := range turn.Cancelled {
		// The same key as the cancellation's own notice (Notify): it goes once.
		key := EventCancelled + ":" + strconv.FormatInt(id, 10) + ":guest"
		if _, err := s.enqueue(ctx, tx, st.AccountID, conv.ID, key, "assistant",
			payload{Notice: &Notice{Event: EventCancelled, ReservationID: id}}, &id); err != nil {
			return err
		}
	}
	if turn.HandOff {
		if _, err := db.Q(tx).SetConversationMode(ctx, dbq.SetConversationModeParams{ID: conv.ID, AccountID: st.AccountID,
			Mode: "owner", Now: s.Clock.Now().UTC()}); err != nil {
			return err
		}
	}
	for i, a := range turn.Alerts {
		if err := s.alertOwnerIn(ctx, tx, st, fmt.Sprintf("chat:%s:%d", m.ID, i), a); err != nil {
			return err
		}
	}
	return nil
}

// alertOwnerIn queues an alert to the owner's phone on the chat's
// transaction, so a retried message cannot find itself answered but its
// alert never queued. Same message and key as AlertOwner.
func (s *Service) alertOwnerIn(ctx context.Context, tx dbq.DBTX, st Settings, key, text string) error {
	if st.OwnerPhone == "" {
		return nil
	}
	conv, err := db.Q(tx).EnsureConversation(ctx, dbq.EnsureConversationParams{AccountID: st.AccountID,
		WaID: strings.TrimPrefix(st.OwnerPhone, "+"), Now: s.Clock.Now().UTC()})
	if err != nil {
		return fmt.Errorf("whatsapp: owner conversation: %w", err)
	}
	_, err = s.enqueue(ctx, tx, st.AccountID, conv.ID, key+":owner", "system", payload{
		Message:  &cloudapi.Outgoing{Kind: "text", Body: text},
		Fallback: &cloudapi.Outgoing{Kind: "template", Template: st.Templates[EventOwnerAlert], Language: st.Language, Params: []string{text}},
	}, nil)
	return err
}
