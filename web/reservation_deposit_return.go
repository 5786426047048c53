package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	resviews "alojamientos/views/reservations"
)

// reservationDepositReturn gives the damage deposit back, less what the
// owner keeps for damage with a note the guest reads. Owner only, as any
// refund. The guest hears of it on WhatsApp (audit 'deposit_returned').
func (s *Server) reservationDepositReturn(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	deductedText, note := c.FormValue("deducted"), c.FormValue("deposit_note")
	deducted := money.Money(0)
	if deductedText != "" {
		if deducted, err = money.ParseInput(deductedText); err != nil {
			return s.depositRefused(c, row.Reservation.Code, func(f *resviews.DepositForm) {
				f.Deducted, f.Note = deductedText, note
				f.Errors = map[string]string{"deducted": "Monto inválido: escribilo como 8.000 o 8.000,50."}
			})
		}
	}
	d, err := s.booking.ReturnDeposit(c.Request().Context(), booking.DepositReturn{AccountID: u.AccountID,
		ReservationID: row.Reservation.ID, UserID: u.ID, Deducted: deducted, Note: note, Actor: reservationActor(c)})
	var verr *booking.ValidationError
	switch {
	case errors.As(err, &verr):
		return s.depositRefused(c, row.Reservation.Code, func(f *resviews.DepositForm) {
			f.Deducted, f.Note, f.Errors = deductedText, note, verr.Fields
		})
	case errors.Is(err, booking.ErrDepositSettled):
		setFlash(c, "Ese depósito ya se devolvió.")
	case errors.Is(err, booking.ErrNoDeposit):
		setFlash(c, "Todavía no registraste el depósito recibido.")
	case err != nil:
		return err
	default:
		setFlash(c, "Devolución del depósito registrada: "+formatDepositReturn(d)+".")
	}
	return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code)+"#deposito")
}
