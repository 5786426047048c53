package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/guest"
	"alojamientos/views/layout"
	"alojamientos/views/properties"
)

// guestIndex is the site's front page: the properties of the one business
// this installation hosts, or the list of businesses when there are several.
func (s *Server) guestIndex(c echo.Context) error {
	ctx := c.Request().Context()
	accounts, err := db.Q(s.pool).ListAccountsWithActiveProperties(ctx)
	if err != nil {
		return fmt.Errorf("web: index: %w", err)
	}
	if len(accounts) == 1 {
		return s.renderAccountIndex(c, accounts[0].Slug, accounts[0].Name, s.config.BaseURL+"/")
	}
	vm := guest.IndexView{Meta: layout.GuestMeta{Title: "Alojamientos", Description: "Cabañas, departamentos y habitaciones para reservar online.",
		URL: s.config.BaseURL + "/"}, Heading: "Alojamientos"}
	for _, a := range accounts {
		vm.Accounts = append(vm.Accounts, guest.AccountLink{URL: "/a/" + a.Slug, Name: a.Name, Properties: int(a.Properties)})
	}
	return s.render(c, http.StatusOK, guest.Index(vm))
}

// guestAccountIndex lists one business's properties.
func (s *Server) guestAccountIndex(c echo.Context) error {
	acc, err := db.Q(s.pool).GetAccountBySlug(c.Request().Context(), c.Param("account"))
	if err != nil {
		return fmt.Errorf("web: account %q: %w", c.Param("account"), err)
	}
	return s.renderAccountIndex(c, acc.Slug, acc.Name, s.config.BaseURL+"/a/"+acc.Slug)
}

func (s *Server) renderAccountIndex(c echo.Context, slug, name, url string) error {
	rows, err := db.Q(s.pool).ListActivePropertiesOfAccount(c.Request().Context(), slug)
	if err != nil {
		return fmt.Errorf("web: account index: %w", err)
	}
	vm := guest.IndexView{Heading: name, Meta: layout.GuestMeta{Title: name + " · Reservas online",
		Description: fmt.Sprintf("%d alojamientos para reservar online con %s.", len(rows), name), URL: url}}
	for _, p := range rows {
		card := guest.PropertyCard{URL: "/p/" + p.Slug, Name: p.Name, Kind: properties.KindLabel(p.Kind), Location: p.Location,
			Capacity: int(p.Capacity), FromPrice: format.Amount(money.In(p.BasePrice, p.Currency)), MinNights: int(p.MinNights)}
		if len(p.Photos) > 0 {
			card.Photo = "/media/" + p.Photos[0]
		}
		vm.Properties = append(vm.Properties, card)
	}
	if vm.Meta.Image == "" && len(vm.Properties) > 0 && vm.Properties[0].Photo != "" {
		vm.Meta.Image = s.config.BaseURL + vm.Properties[0].Photo
	}
	return s.render(c, http.StatusOK, guest.Index(vm))
}
