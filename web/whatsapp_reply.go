package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/whatsapp"
)

// whatsappReply queues the owner's free-text answer. Outside the 24-hour
// window, or empty, or too long, the page comes back with the reason and
// the text as typed.
func (s *Server) whatsappReply(c echo.Context) error {
	conv, err := s.adminConversation(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	text, token := c.FormValue("text"), c.FormValue("token")
	err = s.whatsApp.OwnerReply(c.Request().Context(), u.AccountID, conv.ID, u.ID, text, token)
	msg := ""
	switch {
	case err == nil:
		setFlash(c, "Mensaje en camino.")
		return c.Redirect(http.StatusSeeOther, conversationURL(conv.ID))
	case errors.Is(err, whatsapp.ErrEmptyMessage):
		msg = "Escribí el mensaje antes de enviarlo."
	case errors.Is(err, whatsapp.ErrTooLong):
		msg = "El mensaje es demasiado largo: WhatsApp acepta hasta 4096 caracteres."
	case errors.Is(err, whatsapp.ErrWindowClosed):
		msg = "No se envió: pasaron más de 24 horas desde el último mensaje del huésped. Mandá una plantilla."
	default:
		return err
	}
	vm, err := s.conversationView(c, conv)
	if err != nil {
		return err
	}
	vm.Reply.Text, vm.Reply.Error = text, msg
	return s.renderConversation(c, http.StatusUnprocessableEntity, vm)
}
