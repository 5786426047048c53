package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

// reservationConfirm confirms a hold, with an optional note ("seña por transferencia").
func (s *Server) reservationConfirm(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	if refused, err := s.refuseIfNotAllowed(c, row, booking.ActionConfirm); refused {
		return err
	}
	note, msg := booking.CheckNote(booking.ActionConfirm, c.FormValue("note"))
	if msg != "" {
		vm, err := s.reservationDetail(c, row)
		if err != nil {
			return err
		}
		vm.Confirm.Note, vm.Confirm.Error = note, msg
		return s.renderReservation(c, http.StatusUnprocessableEntity, vm)
	}
	return s.reservationTransition(c, row, booking.ActionConfirm, note)
}
