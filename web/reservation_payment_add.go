package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	resviews "alojamientos/views/reservations"
)

// reservationPaymentAdd records money received by hand (cash, transfer).
// Owners and staff may: it is bookkeeping, not a payment setting. A payment
// that covers a hold's deposit confirms it (see booking.AddManualPayment).
func (s *Server) reservationPaymentAdd(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	amountText, method, note := c.FormValue("amount"), c.FormValue("method"), c.FormValue("note")
	amount, parseErr := money.ParseInput(amountText)
	if parseErr != nil {
		amount = 0
	}
	res, err := s.booking.AddManualPayment(c.Request().Context(), booking.ManualPayment{
		ReservationID: row.Reservation.ID, AccountID: u.AccountID, UserID: u.ID, Amount: amount, Method: method,
		Note: note, Actor: reservationActor(c),
	})
	var verr *booking.ValidationError
	var terr *booking.TransitionError
	switch {
	case err == nil:
		switch {
		case res.Confirmed:
			setFlash(c, "Pago registrado. La seña quedó cubierta y la reserva está confirmada.")
		case res.NightsTaken:
			setFlash(c, "Pago registrado, pero la reserva no se pudo confirmar: esas noches ya están ocupadas.")
		default:
			setFlash(c, "Pago registrado.")
		}
		return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
	case errors.As(err, &verr):
	case errors.As(err, &terr):
		setFlash(c, resviews.RefusedAction(booking.ActionPaymentAdd, string(terr.From)))
		return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
	case errors.Is(err, booking.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Code: "not_found"}
	default:
		return err
	}
	if parseErr != nil {
		verr.Fields["amount"] = "Monto inválido: escribilo como 12.345,67."
	}
	vm, err := s.reservationDetail(c, row)
	if err != nil {
		return err
	}
	vm.Payment.Amount, vm.Payment.Method, vm.Payment.Note, vm.Payment.Errors = amountText, method, note, verr.Fields
	return s.renderReservation(c, http.StatusUnprocessableEntity, vm)
}
