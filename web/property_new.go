package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/views/properties"
)

// propertyNew shows the form that creates a property, filled with the defaults.
func (s *Server) propertyNew(c echo.Context) error {
	return s.render(c, http.StatusOK, properties.New(properties.NewView{
		Page: s.adminPage(c, "Nuevo alojamiento", "alojamientos"),
		Form: properties.FormView{Action: "/admin/properties", CSRF: csrfToken(c), Values: newPropertyValues(currentUser(c).Currency)},
	}))
}
