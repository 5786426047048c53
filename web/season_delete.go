package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

// seasonDelete removes a season of a property.
func (s *Server) seasonDelete(c echo.Context) error {
	id, err := propertyParamID(c, "id")
	if err != nil {
		return err
	}
	sid, err := propertyParamID(c, "sid")
	if err != nil {
		return err
	}
	err = booking.DeleteSeason(c.Request().Context(), s.pool, currentUser(c).AccountID, id, sid)
	if errors.Is(err, booking.ErrNotFound) {
		return propertyNotFound()
	}
	if err != nil {
		return err
	}
	setFlash(c, "Borraste la temporada.")
	return c.Redirect(http.StatusSeeOther, propertyEditURL(id)+"#temporadas")
}
