package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/views/properties"
)

// propertyCreate creates a property from the form, or shows the form again
// with every problem beside its field.
func (s *Server) propertyCreate(c echo.Context) error {
	in := propertyInputFromForm(c, 0)
	id, err := booking.SaveProperty(c.Request().Context(), s.pool, currentUser(c).AccountID, in)
	var verr *booking.ValidationError
	if errors.As(err, &verr) {
		return s.render(c, http.StatusUnprocessableEntity, properties.New(properties.NewView{
			Page: s.adminPage(c, "Nuevo alojamiento", "alojamientos"),
			Form: properties.FormView{Action: "/admin/properties", CSRF: csrfToken(c), Values: formValuesFromInput(in),
				Errors: verr.Fields},
		}))
	}
	if err != nil {
		return err
	}
	setFlash(c, "Creaste «"+strings.TrimSpace(in.Name)+"». Ya se puede reservar; sumale fotos y temporadas.")
	return c.Redirect(http.StatusSeeOther, propertyEditURL(id))
}
