package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/internal/receipts"
	resviews "alojamientos/views/reservations"
)

// receiptConfirm records the transfer a receipt proves, for the amount the
// owner saw arrive (pre-filled with what the reservation expects). Owners
// and staff may, as with any payment received by hand. A hold whose seña is
// then covered is confirmed (receipts.Service.Confirm).
func (s *Server) receiptConfirm(c echo.Context) error {
	row, rc, n, err := s.adminReceipt(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	amountText := c.FormValue("amount")
	amount, perr := money.ParseInput(amountText)
	var res booking.PaymentResult
	if perr == nil {
		res, err = s.receipts.Confirm(c.Request().Context(), receipts.Review{AccountID: u.AccountID, ReceiptID: rc.ID,
			UserID: u.ID, Actor: reservationActor(c), Amount: amount, Note: c.FormValue("note")})
	}
	var terr *booking.TransitionError
	msg := "Monto inválido: escribilo como 12.345,67."
	switch {
	case perr != nil:
	case err == nil:
		flash := "Pago por transferencia registrado."
		if res.Confirmed {
			flash += " La seña quedó cubierta y la reserva está confirmada."
		} else if res.NightsTaken {
			flash += " La reserva no se pudo confirmar: esas noches ya están ocupadas."
		}
		setFlash(c, flash)
		return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
	case errors.Is(err, booking.ErrNotFound):
		return errNotFound
	case errors.Is(err, receipts.ErrReviewed):
		// Someone else reviewed it a moment ago: the page shows how.
		setFlash(c, receipts.Message(err))
		return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
	case errors.As(err, &terr):
		setFlash(c, resviews.RefusedAction(booking.ActionPaymentAdd, string(terr.From)))
		return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
	case receipts.Refused(err):
		msg = receipts.Message(err)
	default:
		return err
	}
	vm, err := s.reservationDetail(c, row)
	if err != nil {
		return err
	}
	for i := range vm.Receipts.Rows {
		if vm.Receipts.Rows[i].N == n {
			vm.Receipts.Rows[i].Amount, vm.Receipts.Rows[i].AmountError = amountText, msg
		}
	}
	return s.renderReservation(c, http.StatusUnprocessableEntity, vm)
}
