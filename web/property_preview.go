package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/views/properties"
)

// propertyPreview prices a sample stay with the pricing fields as typed in
// the edit form (htmx includes them) and the saved seasons. htmx gets the
// result fragment; a browser without JavaScript gets a page with the form.
func (s *Server) propertyPreview(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	seasons, err := dbq.New(s.Pool).ListAccountSeasons(c.Request().Context(),
		dbq.ListAccountSeasonsParams{PropertyID: p.ID, AccountID: p.AccountID})
	if err != nil {
		return fmt.Errorf("web: seasons of %d: %w", p.ID, err)
	}
	vm := s.pricePreview(p, seasons, c.QueryParams())
	if c.Request().Header.Get("HX-Request") == "true" {
		return s.render(c, http.StatusOK, properties.PreviewResultFragment(vm.Result))
	}
	return s.render(c, http.StatusOK, properties.PreviewPage(properties.PreviewPageView{
		Page: s.adminPage(c, "Vista previa · "+p.Name, "alojamientos"), Name: p.Name, Preview: vm,
	}))
}
