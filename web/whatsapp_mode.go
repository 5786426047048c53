package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// whatsappMode takes a chat over ("owner": the assistant stays quiet) or
// hands it back to the assistant.
func (s *Server) whatsappMode(c echo.Context) error {
	conv, err := s.adminConversation(c)
	if err != nil {
		return err
	}
	mode := c.FormValue("mode")
	if mode != "owner" && mode != "assistant" {
		return &apiError{Status: http.StatusBadRequest, Code: "invalid_mode", Message: "Modo desconocido."}
	}
	if err := s.whatsApp.SetMode(c.Request().Context(), currentUser(c).AccountID, conv.ID, mode); err != nil {
		return err
	}
	if mode == "owner" {
		setFlash(c, "Tomaste la conversación: el asistente no va a responder hasta que se la devuelvas.")
	} else {
		setFlash(c, "Le devolviste la conversación al asistente.")
	}
	return c.Redirect(http.StatusSeeOther, conversationURL(conv.ID))
}
