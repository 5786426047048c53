package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/format"
	"alojamientos/internal/whatsapp"
	waviews "alojamientos/views/whatsapp"
)

const whatsappInboxURL = "/admin/whatsapp"

// inboxSize is how many conversations the list shows.
const inboxSize = 200

// whatsappInbox lists the account's WhatsApp conversations, newest first.
// The page polls itself with htmx; a poll gets only the list and the
// navigation's unread count.
func (s *Server) whatsappInbox(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	q := db.Q(s.pool)
	rows, err := q.ListConversations(ctx, dbq.ListConversationsParams{AccountID: u.AccountID, MaxRows: inboxSize})
	if err != nil {
		return fmt.Errorf("web: list conversations: %w", err)
	}
	vm := waviews.InboxView{Unread: s.whatsappUnread(c)}
	if u.IsOwner() {
		vm.SettingsURL = settingsWhatsAppURL
	}
	loc := s.booking.Locations.Get(u.Timezone)
	for _, r := range rows {
		phone := "+" + r.WaID
		name := r.ProfileName
		if name == "" {
			name = phone
		}
		vm.Rows = append(vm.Rows, waviews.InboxRow{
			URL: templ.SafeURL(conversationURL(r.ID)), Name: name, Phone: phone, Preview: r.LastPreview,
			When: format.DateTime(r.LastMessageAt, loc), Unread: int(r.Unread), Owner: r.Mode == "owner", HasStay: r.HasStay,
		})
	}
	if len(rows) == 0 {
		st, err := s.whatsApp.LoadSettings(ctx, u.AccountID)
		switch {
		case errors.Is(err, whatsapp.ErrNotConfigured):
		case err != nil:
			return err
		default:
			vm.Configured = st.Enabled
		}
	}
	v := pollVersion(vm.Rows, vm.Unread, vm.Configured)
	vm.PollURL = whatsappInboxURL + "?v=" + v
	c.Response().Header().Add("Vary", "HX-Request")
	if isHTMX(c) {
		if c.QueryParam("v") == v {
			return c.NoContent(http.StatusNoContent)
		}
		return s.render(c, http.StatusOK, waviews.InboxFragment(vm))
	}
	return s.render(c, http.StatusOK, waviews.Inbox(s.adminPageWith(c, "WhatsApp", "whatsapp", vm.Unread), vm))
}

func conversationURL(id int64) string { return whatsappInboxURL + "/" + strconv.FormatInt(id, 10) }

// whatsappUnread is the navigation's count of conversations with unread
// messages: one indexed count per dashboard page; a failure shows no count
// rather than failing the page.
func (s *Server) whatsappUnread(c echo.Context) int64 {
	n, err := db.Q(s.pool).CountUnreadConversations(c.Request().Context(), currentUser(c).AccountID)
	if err != nil {
		s.logger(c).Warn("whatsapp: count unread conversations", "error", err)
		return 0
	}
	return n
}
