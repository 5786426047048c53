package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/guest"
	"alojamientos/views/layout"
	"alojamientos/views/properties"
)

// publicProperty loads an active property by slug for a guest page, or 404.
func (s *Server) publicProperty(c echo.Context) (dbq.GetPublicPropertyRow, booking.Property, error) {
	ctx := c.Request().Context()
	row, err := db.Q(s.pool).GetPublicProperty(ctx, c.Param("slug"))
	if err != nil {
		return row, booking.Property{}, fmt.Errorf("web: public property: %w", err)
	}
	p, err := s.booking.LoadProperty(ctx, row.ID)
	return row, p, err
}

// guestProperty is a property's public page: photos, description, rules and
// the booking box. An htmx request gets only the booking box.
func (s *Server) guestProperty(c echo.Context) error {
	row, p, err := s.publicProperty(c)
	if err != nil {
		return err
	}
	st := readWidgetState(c.QueryParam, p, s.booking.Today(p))
	w, err := s.buildWidget(c.Request().Context(), c, p, st, guest.HoldForm{}, "")
	if err != nil {
		return err
	}
	if isHTMX(c) {
		return s.render(c, http.StatusOK, guest.Widget(w))
	}
	vm := s.propertyView(c, row, w)
	if l := s.rateToday(c.Request().Context(), p); l != nil {
		vm.FromPesos = "≈ " + pesoAmount(l, row.BasePrice) + " al cambio de hoy"
	}
	return s.render(c, http.StatusOK, guest.Property(vm))
}

func (s *Server) propertyView(c echo.Context, row dbq.GetPublicPropertyRow, w guest.WidgetView) guest.PropertyView {
	desc := row.Description
	if len(desc) > 180 {
		desc = strings.TrimSpace(desc[:strings.LastIndex(desc[:180], " ")]) + "…"
	}
	vm := guest.PropertyView{
		Meta: layout.GuestMeta{Title: row.Name + " · " + row.AccountName, Description: desc,
			URL: s.config.BaseURL + "/p/" + row.Slug, CSRF: csrfToken(c)},
		Name: row.Name, Kind: properties.KindLabel(row.Kind), Location: row.Location, Description: row.Description,
		Capacity: int(row.Capacity), Amenities: row.Amenities, HouseRules: row.HouseRules, CheckIn: row.CheckInTime,
		CheckOut: row.CheckOutTime, FromPrice: format.Amount(money.In(row.BasePrice, row.Currency)), MinNights: int(row.MinNights), Widget: w,
	}
	for i, ph := range row.Photos {
		vm.Photos = append(vm.Photos, guest.Photo{URL: "/media/" + ph, Alt: fmt.Sprintf("%s, foto %d", row.Name, i+1)})
	}
	if len(vm.Photos) > 0 {
		vm.Meta.Image = s.config.BaseURL + vm.Photos[0].URL
	}
	return vm
}
