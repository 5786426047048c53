package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/views/guest"
	"alojamientos/views/layout"
)

// withdrawalForm is the "Botón de arrepentimiento" page every guest page's
// footer links to: what the legal right is and the form (reservation code
// and the contact used), public, with no sign-in behind it.
func (s *Server) withdrawalForm(c echo.Context) error {
	return s.render(c, http.StatusOK, guest.Withdrawal(s.withdrawalView(c)))
}

// withdrawalView is the page's view model with nothing typed yet.
func (s *Server) withdrawalView(c echo.Context) guest.WithdrawalView {
	csrf := csrfToken(c)
	return guest.WithdrawalView{CSRF: csrf, Errors: map[string]string{}, Meta: layout.GuestMeta{
		Title:       "Botón de arrepentimiento",
		Description: "Arrepentite de una reserva online dentro de los 10 días corridos, sin costo y sin registrarte.",
		URL:         s.config.BaseURL + "/arrepentimiento", CSRF: csrf}}
}
