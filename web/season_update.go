package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

// seasonUpdate changes a season of a property, or shows the page again with
// that season's form refilled and every problem beside its field.
func (s *Server) seasonUpdate(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	sid, err := propertyParamID(c, "sid")
	if err != nil {
		return err
	}
	page, err := s.propertyEditPage(c, p)
	if err != nil {
		return err
	}
	idx := -1
	for i, se := range page.seasons {
		if se.ID == sid {
			idx = i
		}
	}
	if idx < 0 {
		return propertyNotFound()
	}
	in := seasonInputFromForm(c, p.ID, sid)
	_, err = booking.SaveSeason(c.Request().Context(), s.pool, p.AccountID, in)
	var verr *booking.ValidationError
	switch {
	case errors.As(err, &verr):
		page.vm.Seasons.Seasons[idx].Values = seasonValuesFromInput(in)
		page.vm.Seasons.Seasons[idx].Errors = verr.Fields
		return s.renderEditPage(c, http.StatusUnprocessableEntity, page)
	case errors.Is(err, booking.ErrNotFound):
		return propertyNotFound()
	case err != nil:
		return err
	}
	setFlash(c, "Guardaste la temporada «"+strings.TrimSpace(in.Name)+"».")
	return c.Redirect(http.StatusSeeOther, propertyEditURL(p.ID)+"#temporadas")
}
