package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/whatsapp"
)

// whatsappTemplate queues an approved template chosen in the reply box (the
// only thing WhatsApp lets us send once the 24-hour window closed).
func (s *Server) whatsappTemplate(c echo.Context) error {
	conv, err := s.adminConversation(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	err = s.whatsApp.OwnerTemplate(c.Request().Context(), u.AccountID, conv.ID, u.ID, c.FormValue("event"),
		c.FormValue("token"))
	msg := ""
	switch {
	case err == nil:
		setFlash(c, "Plantilla en camino.")
		return c.Redirect(http.StatusSeeOther, conversationURL(conv.ID))
	case errors.Is(err, whatsapp.ErrNoTemplate):
		msg = "Elegí una de las plantillas de la lista."
	case errors.Is(err, whatsapp.ErrNotConfigured):
		msg = "WhatsApp no está configurado para esta cuenta: revisá la configuración."
	default:
		return err
	}
	vm, err := s.conversationView(c, conv)
	if err != nil {
		return err
	}
	vm.Reply.TemplateErr = msg
	return s.renderConversation(c, http.StatusUnprocessableEntity, vm)
}
