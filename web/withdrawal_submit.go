package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/guest"
)

// withdrawalsPerMinute bounds withdrawal requests per client network: each
// one guesses a code and a contact, so the ceiling is far below the pages'.
const withdrawalsPerMinute = 5

// withdrawalBodyMax bounds the form's body: a code, a contact and a token.
const withdrawalBodyMax = "4K"

// Answers of the withdrawal form, in the guest's words.
const (
	// withdrawalNoMatch is the one answer to an unknown code and to a
	// contact that does not match: nothing tells the two apart.
	withdrawalNoMatch = "No encontramos una reserva con ese código y ese teléfono o e-mail. " +
		"Revisá los dos datos (están en el mensaje de tu reserva) y probá de nuevo."
	withdrawalNothing = "Esa reserva ya no está activa (fue cancelada, venció o la estadía ya empezó), así que no hay " +
		"nada de qué arrepentirse. Si tenés dudas, escribile al alojamiento."
)

// withdrawalSubmit carries out a withdrawal: with a code and a contact that
// match a held or confirmed stay, it is cancelled at once and the answer is
// the withdrawal code and what goes back, nothing else about the stay.
func (s *Server) withdrawalSubmit(c echo.Context) error {
	vm := s.withdrawalView(c)
	vm.Code, vm.Contact = c.FormValue("code"), c.FormValue("contact")
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	w, err := s.booking.Withdraw(c.Request().Context(), booking.WithdrawRequest{Code: vm.Code, Contact: vm.Contact,
		ClientNet: clientNet(c)})
	var verr *booking.ValidationError
	switch {
	case err == nil:
		vm.Done = &guest.WithdrawalDone{Code: w.Code, InTime: w.InTime, Rule: w.Rule, Again: w.Again}
		if w.Refund > 0 {
			vm.Done.Refund = format.Amount(money.In(w.Refund, w.Currency))
		}
		return s.render(c, http.StatusOK, guest.Withdrawal(vm))
	case errors.As(err, &verr):
		vm.Errors = verr.Fields
		return s.render(c, http.StatusUnprocessableEntity, guest.Withdrawal(vm))
	case errors.Is(err, booking.ErrNoWithdrawalMatch):
		vm.Problem = withdrawalNoMatch
		return s.render(c, http.StatusUnprocessableEntity, guest.Withdrawal(vm))
	case errors.Is(err, booking.ErrNothingToWithdraw):
		vm.Problem = withdrawalNothing
		return s.render(c, http.StatusConflict, guest.Withdrawal(vm))
	}
	return err
}
