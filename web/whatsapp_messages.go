package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	waviews "alojamientos/views/whatsapp"
)

// whatsappMessages is the conversation's message list, polled by the page
// every few seconds; without htmx it is the whole conversation page.
func (s *Server) whatsappMessages(c echo.Context) error {
	conv, err := s.adminConversation(c)
	if err != nil {
		return err
	}
	c.Response().Header().Add("Vary", "HX-Request")
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, conversationURL(conv.ID))
	}
	vm, err := s.conversationMessages(c, conv)
	if err != nil {
		return err
	}
	if conversationURL(conv.ID)+"/mensajes?v="+c.QueryParam("v") == vm.URL {
		return c.NoContent(http.StatusNoContent) // what the page shows is current
	}
	return s.render(c, http.StatusOK, waviews.MessagesFragment(vm))
}
