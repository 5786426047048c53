package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

// propertyUpdate saves the property form, or shows the page again with every
// problem beside its field and nothing saved.
func (s *Server) propertyUpdate(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	in := propertyInputFromForm(c, p.ID)
	_, err = booking.SaveProperty(c.Request().Context(), s.pool, p.AccountID, in)
	var verr *booking.ValidationError
	switch {
	case errors.As(err, &verr):
		page, err := s.propertyEditPage(c, p)
		if err != nil {
			return err
		}
		page.vm.Form.Values = formValuesFromInput(in)
		page.vm.Form.Errors = verr.Fields
		form, _ := c.FormParams()
		page.vm.Preview = s.pricePreview(p, page.seasons, form)
		return s.renderEditPage(c, http.StatusUnprocessableEntity, page)
	case errors.Is(err, booking.ErrNotFound):
		return propertyNotFound()
	case err != nil:
		return err
	}
	setFlash(c, "Guardaste los cambios de «"+strings.TrimSpace(in.Name)+"».")
	return c.Redirect(http.StatusSeeOther, propertyEditURL(p.ID))
}
