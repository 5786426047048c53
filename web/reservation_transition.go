package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	resviews "alojamientos/views/reservations"
)

var transitionDone = map[booking.Action]string{
	booking.ActionConfirm:  "Reserva confirmada.",
	booking.ActionCancel:   "Reserva cancelada. Sus noches quedaron libres.",
	booking.ActionCheckIn:  "Llegada registrada.",
	booking.ActionComplete: "Estadía completada.",
	booking.ActionNoShow:   "Reserva marcada como «no se presentó». Sus noches quedaron libres.",
}

// reservationTransition applies a state machine action to the reservation in
// the URL through booking's Transition and goes back to its page. An action its
// state does not allow changes nothing and says so.
func (s *Server) reservationTransition(c echo.Context, row dbq.AdminGetReservationRow, action booking.Action, note string) error {
	r := row.Reservation
	_, err := s.booking.Transition(c.Request().Context(), r.ID, action, reservationActor(c), note)
	var terr *booking.TransitionError
	switch {
	case err == nil:
		setFlash(c, transitionDone[action])
	case errors.As(err, &terr):
		setFlash(c, resviews.RefusedAction(string(action), string(terr.From)))
	case errors.Is(err, booking.ErrDateOverlap):
		setFlash(c, "No se pudo confirmar: esas noches ya están ocupadas.")
	case errors.Is(err, booking.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Code: "not_found"}
	default:
		return err
	}
	return c.Redirect(http.StatusSeeOther, reservationURL(r.Code))
}

// refuseIfNotAllowed answers an action the reservation's current state does
// not allow before looking at the form, so the message is about the state.
// Transition checks again under the row lock: this is only for the message.
func (s *Server) refuseIfNotAllowed(c echo.Context, row dbq.AdminGetReservationRow, action booking.Action) (bool, error) {
	if booking.Allows(booking.Status(row.Reservation.Status), action) {
		return false, nil
	}
	setFlash(c, resviews.RefusedAction(string(action), row.Reservation.Status))
	return true, c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
}
