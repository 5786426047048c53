package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// propertyEdit shows a property's form, photos, seasons and price preview.
func (s *Server) propertyEdit(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	page, err := s.propertyEditPage(c, p)
	if err != nil {
		return err
	}
	return s.renderEditPage(c, http.StatusOK, page)
}
