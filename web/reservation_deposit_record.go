package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	resviews "alojamientos/views/reservations"
)

// reservationDepositRecord records the damage deposit received. Owners and
// staff may, as they record payments. It is not stay money: "Pagado" does
// not move.
func (s *Server) reservationDepositRecord(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	amountText, method := c.FormValue("deposit_amount"), c.FormValue("deposit_method")
	amount, parseErr := money.ParseInput(amountText)
	if parseErr != nil && amountText != "" {
		return s.depositRefused(c, row.Reservation.Code, func(f *resviews.DepositForm) {
			f.Amount, f.Method = amountText, method
			f.Errors = map[string]string{"deposit_amount": "Monto inválido: escribilo como 50.000 o 50.000,50."}
		})
	}
	_, err = s.booking.RecordDeposit(c.Request().Context(), booking.DepositReceipt{AccountID: u.AccountID,
		ReservationID: row.Reservation.ID, UserID: u.ID, Amount: amount, Method: method, Actor: reservationActor(c)})
	var verr *booking.ValidationError
	var terr *booking.TransitionError
	switch {
	case errors.As(err, &verr):
		return s.depositRefused(c, row.Reservation.Code, func(f *resviews.DepositForm) {
			f.Amount, f.Method, f.Errors = amountText, method, verr.Fields
		})
	case errors.As(err, &terr):
		setFlash(c, "No se puede registrar el depósito de una reserva que no está confirmada, en curso o completada.")
	case err != nil:
		return err
	default:
		setFlash(c, "Depósito en garantía registrado.")
	}
	return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code)+"#deposito")
}

// depositRefused shows the reservation page again (422) with a deposit
// form as typed and its errors; nothing was stored.
func (s *Server) depositRefused(c echo.Context, code string, fill func(*resviews.DepositForm)) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	vm, err := s.reservationDetail(c, row)
	if err != nil {
		return err
	}
	fill(&vm.Money.Deposit.Form)
	return s.renderReservation(c, http.StatusUnprocessableEntity, vm)
}
