package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/views/guest"
)

// guestQuote answers the dates form: with htmx the booking box with the new
// quote, without it the whole page.
func (s *Server) guestQuote(c echo.Context) error {
	row, p, err := s.publicProperty(c)
	if err != nil {
		return err
	}
	st := readWidgetState(c.QueryParam, p, s.booking.Today(p))
	w, err := s.buildWidget(c.Request().Context(), c, p, st, guest.HoldForm{}, "")
	if err != nil {
		return err
	}
	if isHTMX(c) {
		return s.render(c, http.StatusOK, guest.Widget(w))
	}
	return s.render(c, http.StatusOK, guest.Property(s.propertyView(c, row, w)))
}
