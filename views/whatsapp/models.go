package whatsapp

import "github.com/a-h/templ"

// InboxView is the list of conversations, newest first.
type InboxView struct {
	Rows []InboxRow
	// Configured is false when the account has no WhatsApp settings: the
	// empty state then explains how to connect.
	Configured  bool
	SettingsURL string // "" for staff, who cannot open the settings
	Unread      int64
	// PollURL is the list's address with the version shown, so a poll
	// when nothing changed gets 204 and the page is left alone.
	PollURL string
}

// InboxRow is one conversation in the list.
type InboxRow struct {
	URL     templ.SafeURL
	Name    string // profile name, or the phone
	Phone   string // +54…
	Preview string
	When    string
	Unread  int
	Owner   bool // a person took over
	HasStay bool // the guest has a live reservation
}

// ConversationView is one chat: messages, the guest's reservations and the reply box.
type ConversationView struct {
	Name     string
	Phone    string
	Mode     string // assistant | owner
	Messages MessagesView
	Stays    []Stay
	Reply    ReplyForm
	ModeURL  string
	CSRF     string
}

// MessagesView is the polled part of the conversation page.
type MessagesView struct {
	URL   string // the fragment's own address with the version shown, polled
	Items []Message
	// Unread is the navigation's count, updated with each poll.
	Unread int64
}

// Message is one message in or out.
type Message struct {
	ID          int64
	Inbound     bool
	Author      string // Huésped, Asistente, the user's name, Sistema
	Body        string
	Template    string // the template's name when it was one
	When        string
	Status      string // out: queued, sending, sent, delivered, read, failed, unknown, skipped
	StatusLabel string
	StatusIcon  string
	Error       string // why it failed or was not sent
}

// Stay is one of the guest's reservations.
type Stay struct {
	Code, Property, Dates, Status, StatusLabel string
	URL                                        templ.SafeURL
}

// ReplyForm is the reply box: free text inside the 24-hour window, a
// template picker outside it.
type ReplyForm struct {
	InWindow    bool
	WindowUntil string // when free text stops being allowed
	ReplyURL    string
	TemplateURL string
	Text        string
	Error       string
	Token       string // makes a double submit one message
	Templates   []TemplateOption
	TemplateErr string
}

// TemplateOption is one approved template the owner may send.
type TemplateOption struct {
	Event, Name, Preview string
}
