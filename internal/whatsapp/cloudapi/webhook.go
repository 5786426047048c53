package cloudapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// InboundMessage is one message a guest sent to one of our numbers.
type InboundMessage struct {
	PhoneNumberID string    // metadata.phone_number_id of our number
	From          string    // wa_id, digits
	ProfileName   string    // contacts[].profile.name matched by wa_id
	ID            string    // wamid
	Timestamp     time.Time // zero when Meta sent none or an unreadable one
	Type          string    // text, interactive, button, image, audio, location, sticker, reaction, unsupported…
	Text          string    // text.body; for interactive the reply title; for button (template quick reply) button.text; media caption
	ReplyID       string    // interactive button_reply.id / list_reply.id; template button payload
	ContextID     string    // context.id (the message it answers), when present
	// MediaID, MimeType and FileName describe an image, video, audio, sticker or
	// document message's file (fetch it with Client.Media, then Client.Download).
	MediaID  string `json:",omitempty"`
	MimeType string `json:",omitempty"`
	FileName string `json:",omitempty"` // document.filename: the guest's name for it, never trusted
}

// StatusUpdate is Meta telling us what happened to one of our outbound messages.
type StatusUpdate struct {
	PhoneNumberID string
	ID            string // wamid of OUR outbound message
	Status        string // sent, delivered, read, failed (others kept as-is)
	Timestamp     time.Time
	RecipientID   string
	ErrorCode     int    // errors[0].code when failed
	ErrorTitle    string // errors[0].title (+ ": " + error_data.details when present)
}

// Batch is everything one webhook delivery carried, flattened.
type Batch struct {
	Messages []InboundMessage
	Statuses []StatusUpdate
}

// ErrNotWhatsApp is a webhook body whose object is not "whatsapp_business_account".
var ErrNotWhatsApp = errors.New("whatsapp: webhook object is not whatsapp_business_account")

// The wire shapes keep only what we read; encoding/json skips the rest, so
// fields Meta adds later (pricing, conversation, identity…) cost nothing.
type wireBody struct {
	Object string      `json:"object"`
	Entry  []wireEntry `json:"entry"`
}

type wireEntry struct {
	ID      flexString   `json:"id"`
	Changes []wireChange `json:"changes"`
}

type wireChange struct {
	Field string    `json:"field"`
	Value wireValue `json:"value"`
}

type wireValue struct {
	Metadata struct {
		PhoneNumberID flexString `json:"phone_number_id"`
	} `json:"metadata"`
	Contacts []struct {
		WaID    flexString `json:"wa_id"`
		Profile struct {
			Name string `json:"name"`
		} `json:"profile"`
	} `json:"contacts"`
	Messages []wireMessage `json:"messages"`
	Statuses []wireStatus  `json:"statuses"`
}

type wireMessage struct {
	From      flexString `json:"from"`
	ID        string     `json:"id"`
	Timestamp flexString `json:"timestamp"`
	Type      string     `json:"type"`
	Context   *struct {
		ID string `json:"id"`
	} `json:"context"`
	Text *struct {
		Body string `json:"body"`
	} `json:"text"`
	Interactive *struct {
		Type        string     `json:"type"`
		ButtonReply *wireReply `json:"button_reply"`
		ListReply   *wireReply `json:"list_reply"`
	} `json:"interactive"`
	Button *struct {
		Payload string `json:"payload"`
		Text    string `json:"text"`
	} `json:"button"`
	Image    *wireMedia `json:"image"`
	Video    *wireMedia `json:"video"`
	Document *wireMedia `json:"document"`
}

type wireReply struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type wireMedia struct {
	ID       flexString `json:"id"`
	Caption  string     `json:"caption"`
	MimeType string     `json:"mime_type"`
	Filename string     `json:"filename"`
}

type wireStatus struct {
	ID          string     `json:"id"`
	Status      string     `json:"status"`
	Timestamp   flexString `json:"timestamp"`
	RecipientID flexString `json:"recipient_id"`
	Errors      []struct {
		Code      int    `json:"code"`
		Title     string `json:"title"`
		Message   string `json:"message"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
	} `json:"errors"`
}

// flexString reads a JSON string or number as text. Meta documents ids and
// timestamps as strings, but a number there must not make us drop (and have
// Meta retry for a week) an otherwise good delivery.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case bytes.Equal(b, []byte("null")):
		*f = ""
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*f = flexString(n.String())
	}
	return nil
}

// ParseWebhook reads a whole webhook body (already verified): object must be
// "whatsapp_business_account"; every entry, every change with field
// "messages", every message and status. Unknown fields and types are
// tolerated; malformed JSON is an error. Never panics.
func ParseWebhook(body []byte) (Batch, error) {
	var w wireBody
	if err := json.Unmarshal(body, &w); err != nil {
		return Batch{}, fmt.Errorf("whatsapp: parse webhook: %w", err)
	}
	if w.Object != "whatsapp_business_account" {
		return Batch{}, fmt.Errorf("%w: %q", ErrNotWhatsApp, truncateBytes(w.Object, 64))
	}
	var b Batch
	for _, e := range w.Entry {
		for _, ch := range e.Changes {
			if ch.Field != "messages" {
				continue
			}
			v := ch.Value
			pnid := string(v.Metadata.PhoneNumberID)
			for _, m := range v.Messages {
				b.Messages = append(b.Messages, inbound(pnid, v, m))
			}
			for _, s := range v.Statuses {
				su := StatusUpdate{PhoneNumberID: pnid, ID: s.ID, Status: s.Status,
					Timestamp: unixTime(s.Timestamp), RecipientID: string(s.RecipientID)}
				if len(s.Errors) > 0 {
					e := s.Errors[0]
					su.ErrorCode = e.Code
					su.ErrorTitle = e.Title
					if su.ErrorTitle == "" {
						su.ErrorTitle = e.Message
					}
					if d := e.ErrorData.Details; d != "" && d != su.ErrorTitle {
						if su.ErrorTitle != "" {
							su.ErrorTitle += ": "
						}
						su.ErrorTitle += d
					}
				}
				b.Statuses = append(b.Statuses, su)
			}
		}
	}
	return b, nil
}

func inbound(pnid string, v wireValue, m wireMessage) InboundMessage {
	im := InboundMessage{PhoneNumberID: pnid, From: string(m.From), ID: m.ID,
		Timestamp: unixTime(m.Timestamp), Type: m.Type}
	for _, c := range v.Contacts {
		if string(c.WaID) == im.From {
			im.ProfileName = c.Profile.Name
			break
		}
	}
	if m.Context != nil {
		im.ContextID = m.Context.ID
	}
	switch {
	case m.Text != nil:
		im.Text = m.Text.Body
	case m.Interactive != nil:
		// Choose by the reply actually present rather than trusting
		// interactive.type, so an odd payload still yields the choice.
		r := m.Interactive.ButtonReply
		if r == nil {
			r = m.Interactive.ListReply
		}
		if r != nil {
			im.Text, im.ReplyID = r.Title, r.ID
		}
	case m.Button != nil:
		im.Text, im.ReplyID = m.Button.Text, m.Button.Payload
	case m.Image != nil:
		im.Text = m.Image.Caption
		im.MediaID, im.MimeType = string(m.Image.ID), m.Image.MimeType
	case m.Video != nil:
		im.Text = m.Video.Caption
		im.MediaID, im.MimeType = string(m.Video.ID), m.Video.MimeType
	case m.Document != nil:
		im.Text = m.Document.Caption
		im.MediaID, im.MimeType, im.FileName = string(m.Document.ID), m.Document.MimeType, m.Document.Filename
	}
	return im
}

// unixTime reads Meta's seconds-since-epoch; anything else is the zero time,
// left for the caller to replace with the time of receipt.
func unixTime(s flexString) time.Time {
	n, err := strconv.ParseInt(strings.TrimSpace(string(s)), 10, 64)
	if err != nil || n <= 0 || n > 1<<40 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

func truncateBytes(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// StatusRank orders statuses so they only move forward: sent=1 < delivered=2
// < read=3; failed=4. Meta delivers webhooks out of order and repeats them, so
// the caller applies a status only when its rank is higher than the stored
// one. failed ranks highest because it is terminal: a read or delivered that
// arrives after it for the same id is ignored. Unknown statuses rank 0 and
// never overwrite anything.
func StatusRank(status string) int {
	switch status {
	case "sent":
		return 1
	case "delivered":
		return 2
	case "read":
		return 3
	case "failed":
		return 4
	}
	return 0
}
