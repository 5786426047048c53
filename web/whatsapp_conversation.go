package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/format"
	"alojamientos/internal/platform"
	"alojamientos/internal/whatsapp"
	resviews "alojamientos/views/reservations"
	waviews "alojamientos/views/whatsapp"
)

// conversationSize is how many of the newest messages the page shows.
const conversationSize = 200

// whatsappConversation shows one chat and marks it read.
func (s *Server) whatsappConversation(c echo.Context) error {
	conv, err := s.adminConversation(c)
	if err != nil {
		return err
	}
	vm, err := s.conversationView(c, conv)
	if err != nil {
		return err
	}
	return s.renderConversation(c, http.StatusOK, vm)
}

// adminConversation loads the chat named in the URL from the user's account
// and marks it read (the user is looking at it); any other id is a 404.
func (s *Server) adminConversation(c echo.Context) (dbq.WaConversation, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return dbq.WaConversation{}, errNotFound
	}
	ctx := c.Request().Context()
	q := db.Q(s.pool)
	accountID := currentUser(c).AccountID
	conv, err := q.GetConversation(ctx, dbq.GetConversationParams{ID: id, AccountID: accountID})
	if err != nil {
		return conv, fmt.Errorf("web: conversation %d: %w", id, err)
	}
	if conv.Unread > 0 {
		if err := q.MarkConversationRead(ctx, dbq.MarkConversationReadParams{ID: id, AccountID: accountID}); err != nil {
			return conv, fmt.Errorf("web: mark conversation %d read: %w", id, err)
		}
		conv.Unread = 0
	}
	return conv, nil
}

// conversationView fills the whole page: header, messages, reservations and
// an empty reply box (free text or templates, as the 24-hour window allows).
func (s *Server) conversationView(c echo.Context, conv dbq.WaConversation) (waviews.ConversationView, error) {
	ctx := c.Request().Context()
	u := currentUser(c)
	phone := "+" + conv.WaID
	vm := waviews.ConversationView{Name: conv.ProfileName, Phone: phone, Mode: conv.Mode,
		ModeURL: conversationURL(conv.ID) + "/modo", CSRF: csrfToken(c)}
	if vm.Name == "" {
		vm.Name = phone
	}
	msgs, err := s.conversationMessages(c, conv)
	if err != nil {
		return vm, err
	}
	vm.Messages = msgs
	stays, err := db.Q(s.pool).ConversationReservations(ctx, dbq.ConversationReservationsParams{
		AccountID: u.AccountID, Phone: phone})
	if err != nil {
		return vm, fmt.Errorf("web: reservations of conversation %d: %w", conv.ID, err)
	}
	for _, r := range stays {
		vm.Stays = append(vm.Stays, waviews.Stay{Code: r.Code, URL: templ.SafeURL(reservationURL(r.Code)),
			Property: r.PropertyName, Dates: format.Date(r.CheckIn) + " al " + format.Date(r.CheckOut),
			Status: r.Status, StatusLabel: resviews.StatusLabel(r.Status)})
	}
	vm.Reply, err = s.replyForm(c, conv)
	return vm, err
}

// replyForm is an empty reply box with a fresh token.
func (s *Server) replyForm(c echo.Context, conv dbq.WaConversation) (waviews.ReplyForm, error) {
	base := conversationURL(conv.ID)
	r := waviews.ReplyForm{InWindow: s.whatsApp.InWindow(conv.LastInboundAt), ReplyURL: base + "/responder",
		TemplateURL: base + "/plantilla", Token: platform.RandomToken(16)}
	if conv.LastInboundAt != nil {
		loc := s.booking.Locations.Get(currentUser(c).Timezone)
		r.WindowUntil = format.DateTime(conv.LastInboundAt.Add(whatsapp.Window), loc)
	}
	if !r.InWindow {
		st, err := s.whatsApp.LoadSettings(c.Request().Context(), currentUser(c).AccountID)
		if err != nil && !errors.Is(err, whatsapp.ErrNotConfigured) {
			return r, err
		}
		for _, t := range s.whatsApp.OwnerTemplates(st) {
			r.Templates = append(r.Templates, waviews.TemplateOption{Event: t.Event, Name: t.Name, Preview: t.Preview})
		}
	}
	return r, nil
}

// conversationMessages is the chat's newest messages, oldest first, as the page shows them.
func (s *Server) conversationMessages(c echo.Context, conv dbq.WaConversation) (waviews.MessagesView, error) {
	rows, err := db.Q(s.pool).AdminListConversationMessages(c.Request().Context(), dbq.AdminListConversationMessagesParams{
		ConversationID: conv.ID, AccountID: conv.AccountID, MaxRows: conversationSize})
	if err != nil {
		return waviews.MessagesView{}, fmt.Errorf("web: messages of conversation %d: %w", conv.ID, err)
	}
	slices.Reverse(rows)
	loc := s.booking.Locations.Get(currentUser(c).Timezone)
	vm := waviews.MessagesView{Unread: s.whatsappUnread(c)}
	for _, m := range rows {
		item := waviews.Message{ID: m.ID, Inbound: m.Direction == "in", Author: messageAuthor(m), Body: m.Body,
			When: format.DateTime(m.CreatedAt, loc)}
		if m.Kind == "template" {
			item.Template = m.Template
			if item.Template == "" {
				item.Template = m.Body
			}
		}
		if item.Body == "" {
			switch {
			case m.Kind == "notice":
				item.Body = "Aviso automático (se escribe al enviarlo)"
			case item.Inbound:
				item.Body = "(" + m.Kind + ")"
			}
		}
		if !item.Inbound {
			item.Status, item.StatusLabel, item.StatusIcon = m.Status, waviews.StatusLabel(m.Status), waviews.StatusIcon(m.Status)
			if m.Status == "failed" || m.Status == "skipped" || m.Status == "unknown" {
				item.Error = waviews.APIErrorText(int(m.ErrorCode), m.Error)
			}
		}
		vm.Items = append(vm.Items, item)
	}
	vm.URL = conversationURL(conv.ID) + "/mensajes?v=" + pollVersion(vm.Items, vm.Unread)
	return vm, nil
}

// messageAuthor is who wrote a message, as the owner reads it.
func messageAuthor(m dbq.AdminListConversationMessagesRow) string {
	switch {
	case m.Direction == "in":
		return "Huésped"
	case m.Author == "assistant":
		return "Asistente"
	case strings.HasPrefix(m.Author, "user:"):
		if m.UserName != "" {
			return m.UserName
		}
		return "Usuario eliminado"
	default:
		return "Sistema"
	}
}

// renderConversation writes the conversation page with the status given
// (422 when a reply was refused).
func (s *Server) renderConversation(c echo.Context, status int, vm waviews.ConversationView) error {
	page := s.adminPageWith(c, vm.Name+" · WhatsApp", "whatsapp", vm.Messages.Unread)
	return s.render(c, status, waviews.Conversation(page, vm))
}
