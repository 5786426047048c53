package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	resviews "alojamientos/views/reservations"
)

// reservationList shows the account's reservations, newest first, filtered
// and searched, 50 a page. An htmx request (a filter changed) gets only the
// results; a history restore gets the whole page.
func (s *Server) reservationList(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	f := parseReservationFilter(c)
	q := db.Q(s.pool)

	total, err := q.AdminCountReservations(ctx, f.countParams(u.AccountID))
	if err != nil {
		return fmt.Errorf("web: count reservations: %w", err)
	}
	pages := int((total + reservationsPerPage - 1) / reservationsPerPage)
	page := min(f.Page, max(pages, 1))
	rows, err := q.AdminListReservations(ctx, f.listParams(u.AccountID, (page-1)*reservationsPerPage, reservationsPerPage))
	if err != nil {
		return fmt.Errorf("web: list reservations: %w", err)
	}
	res := resviews.Results{Total: total, Page: page, Pages: pages, Filtered: f.filtered(),
		CSVURL: f.url("/admin/reservations.csv", 1)}
	if page > 1 {
		res.PrevURL = f.url("/admin/reservations", page-1)
	}
	if page < pages {
		res.NextURL = f.url("/admin/reservations", page+1)
	}
	for _, r := range rows {
		res.Rows = append(res.Rows, resviews.ListRow{
			Code: r.Code, URL: templ.SafeURL("/admin/reservations/" + r.Code), Property: r.PropertyName,
			Guest: r.GuestName, CheckIn: format.Date(r.CheckIn), CheckOut: format.Date(r.CheckOut),
			Nights: booking.NightsBetween(r.CheckIn, r.CheckOut), Guests: int(r.Guests),
			Channel: resviews.ChannelLabel(r.Channel), Status: r.Status, StatusLabel: resviews.StatusLabel(r.Status),
			Total: format.Amount(money.In(r.Total, r.Currency)), Paid: format.Amount(money.In(r.Paid, r.Currency)),
		})
	}

	c.Response().Header().Add("Vary", "HX-Request")
	if isHTMX(c) {
		// The address bar gets the filter's canonical URL, not every empty field of the form.
		c.Response().Header().Set("HX-Push-Url", f.url("/admin/reservations", page))
		return s.render(c, http.StatusOK, resviews.ResultsFragment(res))
	}

	props, err := q.AdminListAccountProperties(ctx, u.AccountID)
	if err != nil {
		return fmt.Errorf("web: list reservations: %w", err)
	}
	vm := resviews.ListView{Query: f.Q, Results: res}
	for _, st := range resviews.Statuses {
		vm.Statuses = append(vm.Statuses, resviews.Option{Value: st, Label: resviews.StatusLabel(st), Selected: st == f.Status})
	}
	for _, ch := range resviews.Channels {
		vm.Channels = append(vm.Channels, resviews.Option{Value: ch, Label: resviews.ChannelLabel(ch), Selected: ch == f.Channel})
	}
	for _, p := range props {
		vm.Properties = append(vm.Properties, resviews.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name,
			Selected: p.ID == f.PropertyID})
	}
	if f.From != nil {
		vm.From = booking.FormatDate(*f.From)
	}
	if f.To != nil {
		vm.To = booking.FormatDate(*f.To)
	}
	return s.render(c, http.StatusOK, resviews.List(s.adminPage(c, "Reservas", "reservas"), vm))
}
