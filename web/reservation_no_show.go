package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	resviews "alojamientos/views/reservations"
)

// reservationNoShow records that a confirmed guest never came: the nights
// become free, and what goes back follows the frozen terms (by default
// nothing), through booking.Cancel like any early end.
func (s *Server) reservationNoShow(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	out, err := s.booking.Cancel(c.Request().Context(), booking.CancelRequest{ReservationID: row.Reservation.ID,
		AccountID: u.AccountID, By: booking.PartyNoShow, Actor: reservationActor(c), UserID: &u.ID})
	var terr *booking.TransitionError
	switch {
	case err == nil:
		setFlash(c, transitionDone[booking.ActionNoShow]+refundsDone(out))
	case errors.As(err, &terr):
		setFlash(c, resviews.RefusedAction(string(booking.ActionNoShow), string(terr.From)))
	default:
		return err
	}
	return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
}
