package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/receipts"
)

// receiptReject refuses a receipt with a reason the guest is told (their
// page shows it; the audit entry notifies them). Owners and staff may.
func (s *Server) receiptReject(c echo.Context) error {
	row, rc, n, err := s.adminReceipt(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	reason := c.FormValue("reason")
	err = s.receipts.Reject(c.Request().Context(), receipts.Rejection{AccountID: u.AccountID, ReceiptID: rc.ID,
		UserID: u.ID, Actor: reservationActor(c), Reason: reason})
	switch {
	case err == nil:
		setFlash(c, "Comprobante rechazado. Le avisamos al huésped el motivo.")
		return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
	case errors.Is(err, booking.ErrNotFound):
		return errNotFound
	case errors.Is(err, receipts.ErrReviewed):
		// Someone else reviewed it a moment ago: the page shows how.
		setFlash(c, receipts.Message(err))
		return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
	case !receipts.Refused(err):
		return err
	}
	vm, derr := s.reservationDetail(c, row)
	if derr != nil {
		return derr
	}
	for i := range vm.Receipts.Rows {
		if vm.Receipts.Rows[i].N == n {
			vm.Receipts.Rows[i].RejectText, vm.Receipts.Rows[i].RejectError = reason, receipts.Message(err)
		}
	}
	return s.renderReservation(c, http.StatusUnprocessableEntity, vm)
}
