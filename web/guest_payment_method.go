package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/views/guest"
)

// guestPaymentMethod switches the payment method of the guest's live hold
// (form field method) to another the property offers. Switching to Mercado
// Pago asks for the payment link, as the retry button does; a hold no longer
// live just shows the page as it is.
func (s *Server) guestPaymentMethod(c echo.Context) error {
	r, err := s.guestReservation(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := s.booking.LoadProperty(ctx, r.PropertyID)
	if err != nil {
		return err
	}
	method := c.FormValue("method")
	changed, err := s.booking.ChangeMethod(ctx, r, p.Pay, method)
	var verr *booking.ValidationError
	switch {
	case errors.As(err, &verr):
		vm, err := s.reservationView(c)
		if err != nil {
			return err
		}
		vm.ReturnNote = verr.Fields["payment_method"]
		return s.render(c, http.StatusUnprocessableEntity, guest.Reservation(vm))
	case errors.Is(err, booking.ErrMethodClosed):
	case err != nil:
		return err
	case changed && method == booking.MethodMercadoPago && s.mercadoPago != nil:
		if err := s.mercadoPago.RetryLink(ctx, r.ID); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, booking.GuestPath(r.Code, r.GuestToken)+"#pago")
}
