package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

// seasonCreate adds a season to a property, or shows the page again with the
// new season's form refilled and every problem beside its field.
func (s *Server) seasonCreate(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	in := seasonInputFromForm(c, p.ID, 0)
	_, err = booking.SaveSeason(c.Request().Context(), s.pool, p.AccountID, in)
	var verr *booking.ValidationError
	switch {
	case errors.As(err, &verr):
		page, err := s.propertyEditPage(c, p)
		if err != nil {
			return err
		}
		page.vm.Seasons.New.Values = seasonValuesFromInput(in)
		page.vm.Seasons.New.Errors = verr.Fields
		return s.renderEditPage(c, http.StatusUnprocessableEntity, page)
	case errors.Is(err, booking.ErrNotFound):
		return propertyNotFound()
	case err != nil:
		return err
	}
	setFlash(c, "Agregaste la temporada «"+strings.TrimSpace(in.Name)+"».")
	return c.Redirect(http.StatusSeeOther, propertyEditURL(p.ID)+"#temporadas")
}
