package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/properties"
)

// propertyList shows the account's properties; staff see them without edit links.
func (s *Server) propertyList(c echo.Context) error {
	u := currentUser(c)
	rows, err := db.Q(s.pool).ListAccountProperties(c.Request().Context(), u.AccountID)
	if err != nil {
		return fmt.Errorf("web: list properties of account %d: %w", u.AccountID, err)
	}
	vm := properties.ListView{Page: s.adminPage(c, "Alojamientos", "alojamientos"), CanEdit: u.IsOwner()}
	for _, p := range rows {
		vm.Properties = append(vm.Properties, properties.ListItem{
			ID: p.ID, Name: p.Name, Kind: properties.KindLabel(p.Kind), Capacity: int(p.Capacity),
			BasePrice: format.Amount(money.In(p.BasePrice, p.Currency)), MinNights: int(p.MinNights), Active: p.Active,
			EditURL: propertyEditURL(p.ID), CalendarURL: propertyURL(p.ID, "/calendar"),
			ActiveURL: propertyURL(p.ID, "/active"),
		})
	}
	return s.render(c, http.StatusOK, properties.List(vm))
}
