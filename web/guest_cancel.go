package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/views/guest"
)

// guestCancel cancels the guest's booking on their confirmation of the
// preview. The refund they saw comes back in the form (expected_refund):
// when the terms now give another (a payment arrived, a day passed), nothing
// changes and the preview is shown again with the new amount.
func (s *Server) guestCancel(c echo.Context) error {
	r, err := s.guestReservation(c)
	if err != nil {
		return err
	}
	vm, err := s.cancelPage(c, r)
	if err != nil {
		return err
	}
	if vm.Closed != "" {
		return s.render(c, http.StatusConflict, guest.CancelPage(vm))
	}
	expected, err := money.Parse(c.FormValue("expected_refund"))
	if err != nil || expected < 0 {
		vm.Note = "No pudimos leer la devolución que confirmaste. Revisala y confirmá de nuevo."
		return s.render(c, http.StatusUnprocessableEntity, guest.CancelPage(vm))
	}
	_, err = s.booking.Cancel(c.Request().Context(), booking.CancelRequest{ReservationID: r.ID,
		By: booking.PartyGuest, Actor: "guest", ExpectRefund: &expected})
	var terr *booking.TransitionError
	switch {
	case errors.Is(err, booking.ErrRefundChanged):
		if vm, err = s.cancelPage(c, r); err != nil {
			return err
		}
		vm.Note = "La devolución cambió desde que la viste (entró un pago o pasó un día): ahora es " + vm.Refund +
			". Revisala y, si estás de acuerdo, confirmá de nuevo."
		return s.render(c, http.StatusConflict, guest.CancelPage(vm))
	case errors.As(err, &terr):
		vm.Closed, vm.PostURL = cancelClosed(terr.From), ""
		return s.render(c, http.StatusConflict, guest.CancelPage(vm))
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, booking.GuestPath(r.Code, c.QueryParam("t"))+"#cancelacion")
}
