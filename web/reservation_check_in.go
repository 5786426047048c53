package web

import (
	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

// reservationCheckIn records that the guest arrived.
func (s *Server) reservationCheckIn(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	return s.reservationTransition(c, row, booking.ActionCheckIn, "")
}
