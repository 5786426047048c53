package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

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
	note := strings.TrimSpace(c.FormValue("note"))
	if utf8.RuneCountInString(note) > 500 {
		vm, err := s.reservationDetail(c, row)
		if err != nil {
			return err
		}
		vm.Confirm.Note, vm.Confirm.Error = note, "La nota es demasiado larga (máximo 500 caracteres)."
		return s.renderReservation(c, http.StatusUnprocessableEntity, vm)
	}
	return s.reservationTransition(c, row, booking.ActionConfirm, note)
}
