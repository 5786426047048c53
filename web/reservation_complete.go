package web

import (
	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

// reservationComplete closes a stay after the guest left.
func (s *Server) reservationComplete(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	return s.reservationTransition(c, row, booking.ActionComplete, "")
}
