package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/views/pages"
)

// home lists every active property, so a link to the site shows what can be booked.
func (s *Server) home(c echo.Context) error {
	rows, err := dbq.New(s.Pool).ListActiveProperties(c.Request().Context())
	if err != nil {
		return fmt.Errorf("web: home: %w", err)
	}
	vm := pages.HomeView{}
	for _, p := range rows {
		vm.Properties = append(vm.Properties, pages.HomeProperty{
			Name: p.Name, Description: p.Description, Location: p.Location, Capacity: int(p.Capacity),
			FromPrice: p.BasePrice.Display(), Currency: p.Currency, ID: p.ID,
		})
	}
	return s.render(c, http.StatusOK, pages.Home(vm))
}
