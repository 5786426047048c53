package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

// reservationCancel cancels a hold or a confirmed reservation, which frees
// its nights at once. The reason is required and kept in the history.
func (s *Server) reservationCancel(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	if refused, err := s.refuseIfNotAllowed(c, row, booking.ActionCancel); refused {
		return err
	}
	reason, msg := booking.CheckNote(booking.ActionCancel, c.FormValue("reason"))
	if msg != "" {
		vm, err := s.reservationDetail(c, row)
		if err != nil {
			return err
		}
		vm.Cancel.Reason, vm.Cancel.Error = reason, msg
		return s.renderReservation(c, http.StatusUnprocessableEntity, vm)
	}
	return s.reservationTransition(c, row, booking.ActionCancel, reason)
}
