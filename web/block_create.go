package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/views/calendar"
)

// blockCreate takes nights off sale from the calendar's form. The EXCLUDE
// constraint decides: taken nights are refused with nothing written.
func (s *Server) blockCreate(c echo.Context) error {
	u := currentUser(c)
	vm := calReadForm(c)
	if _, err := s.calFormFill(c, &vm); err != nil {
		return err
	}
	fields := map[string]string{}
	propertyID, err := strconv.ParseInt(vm.PropertyID, 10, 64)
	if err != nil {
		fields["property_id"] = "Elegí un alojamiento."
	}
	var b booking.Block
	if len(fields) == 0 {
		b, err = s.booking.CreateBlock(c.Request().Context(), u.AccountID, propertyID, vm.CheckIn, vm.CheckOut,
			vm.BlockNote, "user:"+strconv.FormatInt(u.ID, 10))
	}
	var verr *booking.ValidationError
	switch {
	case len(fields) > 0 || errors.As(err, &verr):
		if verr != nil {
			for k, v := range verr.Fields {
				fields[k] = v
			}
		}
		calShowErrors(&vm, fields, []string{"property_id", "check_in", "check_out", "block_note"},
			map[string]string{"note": "block_note"})
		return s.render(c, http.StatusUnprocessableEntity, calendar.NewPage(s.adminPage(c, "Bloquear o reservar", "calendario"), vm))
	case errors.Is(err, booking.ErrDateOverlap):
		vm.Error = calTakenMsg
		return s.render(c, http.StatusConflict, calendar.NewPage(s.adminPage(c, "Bloquear o reservar", "calendario"), vm))
	case err != nil:
		return err
	}
	s.logger(c).Info("block created", "block_id", b.ID, "property_id", b.PropertyID)
	setFlash(c, "Bloqueo creado en "+b.PropertyName+": del "+format.Date(b.CheckIn)+" al "+format.Date(b.CheckOut)+
		" ("+format.Nights(b.Nights())+").")
	return c.Redirect(http.StatusSeeOther, calBack(vm.Back, calendarPath+"?month="+b.CheckIn.Format("2006-01")))
}
