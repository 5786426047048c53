package watest

import (
	"encoding/json"
	"strconv"
	"time"
)

// The identifiers of our side of the conversation in built webhooks.
const (
	BusinessAccountID  = "102290129340398"
	DisplayPhoneNumber = "15550783881"
)

// Field order follows Meta's payloads so a built body reads like a real one.
type body struct {
	Object string  `json:"object"`
	Entry  []entry `json:"entry"`
}

type entry struct {
	ID      string   `json:"id"`
	Changes []change `json:"changes"`
}

type change struct {
	Value value  `json:"value"`
	Field string `json:"field"`
}

type value struct {
	MessagingProduct string    `json:"messaging_product"`
	Metadata         metadata  `json:"metadata"`
	Contacts         []contact `json:"contacts,omitempty"`
	Messages         []message `json:"messages,omitempty"`
	Statuses         []status  `json:"statuses,omitempty"`
}

type metadata struct {
	DisplayPhoneNumber string `json:"display_phone_number"`
	PhoneNumberID      string `json:"phone_number_id"`
}

type contact struct {
	Profile struct {
		Name string `json:"name"`
	} `json:"profile"`
	WaID string `json:"wa_id"`
}

type message struct {
	From        string       `json:"from"`
	ID          string       `json:"id"`
	Timestamp   string       `json:"timestamp"`
	Type        string       `json:"type"`
	Text        *text        `json:"text,omitempty"`
	Interactive *interactive `json:"interactive,omitempty"`
	Image       *media       `json:"image,omitempty"`
	Document    *media       `json:"document,omitempty"`
}

type media struct {
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"`
	MimeType string `json:"mime_type"`
	SHA256   string `json:"sha256"`
	ID       string `json:"id"`
}

type text struct {
	Body string `json:"body"`
}

type reply struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type interactive struct {
	Type        string `json:"type"`
	ButtonReply *reply `json:"button_reply,omitempty"`
	ListReply   *reply `json:"list_reply,omitempty"`
}

type status struct {
	ID          string        `json:"id"`
	Status      string        `json:"status"`
	Timestamp   string        `json:"timestamp"`
	RecipientID string        `json:"recipient_id"`
	Errors      []statusError `json:"errors,omitempty"`
}

type statusError struct {
	Code      int    `json:"code"`
	Title     string `json:"title"`
	Message   string `json:"message"`
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`
}

func wrap(phoneNumberID string, v value) []byte {
	v.MessagingProduct = "whatsapp"
	v.Metadata = metadata{DisplayPhoneNumber: DisplayPhoneNumber, PhoneNumberID: phoneNumberID}
	b, err := json.Marshal(body{Object: "whatsapp_business_account",
		Entry: []entry{{ID: BusinessAccountID, Changes: []change{{Value: v, Field: "messages"}}}}})
	if err != nil {
		panic(err) // only plain strings inside: cannot happen
	}
	return b
}

func inbound(phoneNumberID, from, name string, m message) []byte {
	c := contact{WaID: from}
	c.Profile.Name = name
	m.From = from
	return wrap(phoneNumberID, value{Contacts: []contact{c}, Messages: []message{m}})
}

func ts(at time.Time) string { return strconv.FormatInt(at.Unix(), 10) }

// TextMessage is the webhook body of a guest's text message.
func TextMessage(phoneNumberID, from, name, wamid, body string, at time.Time) []byte {
	return inbound(phoneNumberID, from, name, message{ID: wamid, Timestamp: ts(at), Type: "text", Text: &text{Body: body}})
}

// ImageMessage is the webhook body of a guest's photo (mediaID is what
// Graph.AddMedia serves).
func ImageMessage(phoneNumberID, from, name, wamid, mediaID, mimeType, caption string, at time.Time) []byte {
	return inbound(phoneNumberID, from, name, message{ID: wamid, Timestamp: ts(at), Type: "image",
		Image: &media{Caption: caption, MimeType: mimeType, SHA256: "c2hhMjU2", ID: mediaID}})
}

// DocumentMessage is the webhook body of a guest's file (a PDF…) with the
// name it had on the phone.
func DocumentMessage(phoneNumberID, from, name, wamid, mediaID, mimeType, filename, caption string, at time.Time) []byte {
	return inbound(phoneNumberID, from, name, message{ID: wamid, Timestamp: ts(at), Type: "document",
		Document: &media{Caption: caption, Filename: filename, MimeType: mimeType, SHA256: "c2hhMjU2", ID: mediaID}})
}

// ButtonReply is the webhook body of a guest tapping a reply button.
func ButtonReply(phoneNumberID, from, name, wamid, replyID, title string, at time.Time) []byte {
	return inbound(phoneNumberID, from, name, message{ID: wamid, Timestamp: ts(at), Type: "interactive",
		Interactive: &interactive{Type: "button_reply", ButtonReply: &reply{ID: replyID, Title: title}}})
}

// ListReply is the webhook body of a guest choosing a list row.
func ListReply(phoneNumberID, from, name, wamid, replyID, title string, at time.Time) []byte {
	return inbound(phoneNumberID, from, name, message{ID: wamid, Timestamp: ts(at), Type: "interactive",
		Interactive: &interactive{Type: "list_reply", ListReply: &reply{ID: replyID, Title: title}}})
}

// errorTitle is the title Meta gives the failure codes tests use most.
func errorTitle(code int) string {
	switch code {
	case 131047:
		return "Re-engagement message"
	case 131049:
		return "This message was not delivered to maintain healthy ecosystem engagement."
	case 131026:
		return "Message undeliverable"
	case 131056:
		return "(Business Account, Consumer Account) pair rate limit hit"
	case 130429:
		return "Rate limit hit"
	}
	return "Error " + strconv.Itoa(code)
}

// Status is the webhook body of a status of one of our messages; errCode,
// when not 0, adds errors[0] as Meta does for "failed".
func Status(phoneNumberID, wamid, st, recipient string, at time.Time, errCode int) []byte {
	s := status{ID: wamid, Status: st, Timestamp: ts(at), RecipientID: recipient}
	if errCode != 0 {
		title := errorTitle(errCode)
		e := statusError{Code: errCode, Title: title, Message: title}
		e.ErrorData.Details = title + " (watest)"
		s.Errors = []statusError{e}
	}
	return wrap(phoneNumberID, value{Statuses: []status{s}})
}

// Batch merges webhook bodies into one with all their entries, as Meta
// batches deliveries. It panics on a body that is not a webhook: a broken test.
func Batch(bodies ...[]byte) []byte {
	var all struct {
		Object string            `json:"object"`
		Entry  []json.RawMessage `json:"entry"`
	}
	all.Object = "whatsapp_business_account"
	all.Entry = []json.RawMessage{}
	for _, b := range bodies {
		var one struct {
			Entry []json.RawMessage `json:"entry"`
		}
		if err := json.Unmarshal(b, &one); err != nil {
			panic("watest: Batch: " + err.Error())
		}
		all.Entry = append(all.Entry, one.Entry...)
	}
	out, err := json.Marshal(all)
	if err != nil {
		panic(err)
	}
	return out
}
