package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	resviews "alojamientos/views/reservations"
)

// reservationDatesChange moves a hold or a confirmed reservation to other
// nights or another property of the account, re-priced. The EXCLUDE constraint
// decides whether the nights are free; taken nights change nothing.
func (s *Server) reservationDatesChange(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	propertyID, _ := strconv.ParseInt(c.FormValue("property_id"), 10, 64)
	checkIn, checkOut := c.FormValue("check_in"), c.FormValue("check_out")
	r, err := s.booking.ChangeStay(c.Request().Context(), row.Reservation.ID, currentUser(c).AccountID, propertyID,
		checkIn, checkOut, reservationActor(c))
	var verr *booking.ValidationError
	var terr *booking.TransitionError
	errs := map[string]string{}
	status := http.StatusUnprocessableEntity
	switch {
	case err == nil:
		setFlash(c, "Estadía cambiada. Nuevo total: "+format.Amount(money.In(r.Total, r.Currency))+".")
		return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
	case errors.As(err, &verr):
		errs = verr.Fields
	case errors.Is(err, booking.ErrDateOverlap):
		errs["nights"] = "Esas noches ya están ocupadas. Elegí otras fechas u otro alojamiento."
		status = http.StatusConflict
	case errors.As(err, &terr):
		setFlash(c, resviews.RefusedAction(booking.ActionChangeStay, string(terr.From)))
		return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
	default:
		return err
	}
	vm, err := s.reservationDetail(c, row)
	if err != nil {
		return err
	}
	vm.Stay.PropertyID, vm.Stay.CheckIn, vm.Stay.CheckOut, vm.Stay.Errors =
		c.FormValue("property_id"), checkIn, checkOut, errs
	return s.renderReservation(c, status, vm)
}
