package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/views/calendar"
)

// reservationNew is the form a free night of the calendar opens: pick the
// check-out, then block the nights or take a reservation by phone or in
// person. ?property_id= and ?check_in= come from the night clicked. htmx gets
// the form alone, to open in the calendar's panel.
func (s *Server) reservationNew(c echo.Context) error {
	vm := calendar.NewView{
		PropertyID: c.QueryParam("property_id"), CheckIn: c.QueryParam("check_in"), CheckOut: c.QueryParam("check_out"),
		Channel: "phone", Back: c.QueryParam("back"),
	}
	props, err := s.calFormFill(c, &vm)
	if err != nil {
		return err
	}
	today := s.calWindowFor(c).today
	ci, err := booking.ParseDate(vm.CheckIn)
	if err != nil || ci.Before(today) {
		ci = today
	}
	vm.CheckIn = booking.FormatDate(ci)
	if co, err := booking.ParseDate(vm.CheckOut); err != nil || !co.After(ci) {
		vm.CheckOut = booking.FormatDate(ci.AddDate(0, 0, 1))
	}
	vm.Guests = "2"
	for _, p := range props {
		if strconv.FormatInt(p.ID, 10) == vm.PropertyID && p.Capacity < 2 {
			vm.Guests = "1"
		}
	}
	if vm.Back == "" {
		vm.Back = calReferer(c)
	}
	vm.Back = calBack(vm.Back, calendarPath+"?month="+ci.Format("2006-01"))
	if isHTMX(c) {
		return s.render(c, http.StatusOK, calendar.NewPanel(vm))
	}
	return s.render(c, http.StatusOK, calendar.NewPage(s.adminPage(c, "Bloquear o reservar", "calendario"), vm))
}

// calFormFill completes the form's view: the account's properties, the
// token, today. A property_id of another account (or no property at all) is
// a 404, so nothing is said about it.
func (s *Server) calFormFill(c echo.Context, vm *calendar.NewView) ([]dbq.ListCalendarPropertiesRow, error) {
	u := currentUser(c)
	props, err := dbq.New(s.pool).ListCalendarProperties(c.Request().Context(), u.AccountID)
	if err != nil {
		return nil, fmt.Errorf("web: form properties: %w", err)
	}
	vm.CSRF = csrfToken(c)
	vm.Min = booking.FormatDate(s.calWindowFor(c).today)
	vm.PropertyID = strings.TrimSpace(vm.PropertyID)
	found := vm.PropertyID == ""
	for _, p := range props {
		id := strconv.FormatInt(p.ID, 10)
		name := p.Name
		if !p.Active {
			name += " (inactivo)"
		}
		vm.Properties = append(vm.Properties, calendar.PropertyOption{ID: id, Name: name})
		found = found || id == vm.PropertyID
	}
	if !found {
		return nil, calNotFound()
	}
	return props, nil
}

// calReadForm is the form as posted, kept as typed.
func calReadForm(c echo.Context) calendar.NewView {
	f := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	return calendar.NewView{
		PropertyID: f("property_id"), CheckIn: f("check_in"), CheckOut: f("check_out"), BlockNote: c.FormValue("block_note"),
		GuestName: c.FormValue("guest_name"), GuestPhone: f("guest_phone"), GuestEmail: f("guest_email"),
		Guests: f("guests"), Channel: f("channel"), Note: c.FormValue("note"), Confirm: c.FormValue("confirm") != "",
		ConfirmNote: c.FormValue("confirm_note"), Back: f("back"),
	}
}

// calShowErrors puts each message beside its field; messages about a field
// this form does not have go on top. rename maps the core's field names to
// the form's.
func calShowErrors(vm *calendar.NewView, fields map[string]string, known []string, rename map[string]string) {
	vm.Errors = map[string]string{}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := k
		if r, ok := rename[k]; ok {
			name = r
		}
		shown := false
		for _, kn := range known {
			shown = shown || kn == name
		}
		if shown {
			vm.Errors[name] = fields[k]
		} else {
			vm.Other = append(vm.Other, fields[k])
		}
	}
}

// calReferer is the calendar page the request came from (htmx says it in
// HX-Current-URL, browsers in Referer), without an open block panel.
func calReferer(c echo.Context) string {
	ref := c.Request().Header.Get("HX-Current-URL")
	if ref == "" {
		ref = c.Request().Referer()
	}
	u, err := url.Parse(ref)
	if err != nil || (u.Host != "" && u.Host != c.Request().Host) {
		return ""
	}
	if u.Path != calendarPath && !(strings.HasPrefix(u.Path, "/admin/properties/") && strings.HasSuffix(u.Path, "/calendar")) {
		return ""
	}
	q := u.Query()
	q.Del("block")
	if len(q) == 0 {
		return u.Path
	}
	return u.Path + "?" + q.Encode()
}
