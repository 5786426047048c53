package web

import (
	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

// reservationNoShow records that a confirmed guest never came; the nights become free.
func (s *Server) reservationNoShow(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	return s.reservationTransition(c, row, booking.ActionNoShow, "")
}
