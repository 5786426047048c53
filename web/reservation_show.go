package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// reservationShow is the page of one reservation of the account.
func (s *Server) reservationShow(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	vm, err := s.reservationDetail(c, row)
	if err != nil {
		return err
	}
	return s.renderReservation(c, http.StatusOK, vm)
}
