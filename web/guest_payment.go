package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/internal/booking"
	"alojamientos/internal/mercadopago"
	"alojamientos/views/guest"
)

// paymentLinkView fills the pay button of a pending hold: Mercado Pago's
// init_point when the link is made for the deposit as it is now, "being
// made" before that (also while a re-priced hold's new link is made), a retry
// button when making it failed. Mercado Pago charges pesos: for a foreign
// stay (or with a surcharge) the page says how many, at the rate locked on
// the hold, before the button; a foreign stay held without a rate gets no
// link, and the page says how else to pay. A guest who chose a transfer, or
// a property that does not take Mercado Pago, gets no button.
func (s *Server) paymentLinkView(c echo.Context, r booking.Reservation, p booking.Property, vm *guest.ReservationView) {
	if s.mercadoPago == nil || !s.mercadoPago.Client.Configured() || !booking.GuestCanPay(r.Status, r.HoldExpiresAt, r.Deposit, s.clock.Now()) ||
		!p.Pay.MercadoPago || r.PaymentMethod == booking.MethodTransfer {
		return
	}
	pay, err := r.MPCharge(r.Deposit)
	if err != nil {
		vm.PaymentUnavailable = noRateMessage(p)
		return
	}
	mp := mpChargeText("Seña", pay, p.Timezone)
	vm.MPCharge, vm.MPSurcharge = mp.Line, mp.Surcharge
	vm.PayButton = "Pagar la seña de " + vm.Deposit + " con Mercado Pago"
	if mp.Total != "" {
		vm.PayButton = "Pagar " + mp.Total + " con Mercado Pago"
	}
	link, err := db.Q(s.pool).GetPaymentLink(c.Request().Context(), r.ID)
	switch {
	case err == nil && mercadopago.CurrentLink(link, pay):
		vm.PaymentURL = link.InitPoint
	case err == nil && link.Error != "":
		vm.LinkRetryURL = booking.GuestPath(r.Code, r.GuestToken, "pago", "reintentar")
	case err == nil || errors.Is(err, db.ErrNotFound):
		vm.LinkPending = true
	default:
		s.logger(c).Warn("payment link", "code", r.Code, "error", err)
		vm.LinkPending = true
	}
}

// guestPaymentRetry asks for the Mercado Pago link again after it failed.
func (s *Server) guestPaymentRetry(c echo.Context) error {
	r, err := s.guestReservation(c)
	if err != nil {
		return err
	}
	if r.Status == booking.StatusPreReserved && s.mercadoPago != nil {
		if err := s.mercadoPago.RetryLink(c.Request().Context(), r.ID); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, booking.GuestPath(r.Code, r.GuestToken))
}

// guestPaymentReturn is where Mercado Pago sends the guest back (back_urls).
// The query's claims (status=approved…) are ignored: the page shows what our
// database says, and a payment_id only asks for that payment to be fetched
// from Mercado Pago again, through the same inbox as a notification.
func (s *Server) guestPaymentReturn(c echo.Context) error {
	vm, err := s.reservationView(c)
	if err != nil {
		return err
	}
	r, err := s.guestReservation(c)
	if err != nil {
		return err
	}
	if pid := c.QueryParam("payment_id"); pid != "" && s.mercadoPago != nil {
		n := mercadopago.Notification{Legacy: true, Type: "payment", DataID: pid, Query: c.QueryString(),
			Headers: http.Header{}}
		if _, err := s.mercadoPago.Store(c.Request().Context(), n); err != nil {
			s.logger(c).Warn("payment return: re-fetch", "code", r.Code, "error", err)
		}
	}
	switch r.Status {
	case booking.StatusConfirmed, booking.StatusCheckedIn, booking.StatusCompleted:
		vm.ReturnNote = "Recibimos el pago de la seña: tu reserva está confirmada."
	case booking.StatusPreReserved:
		vm.ReturnNote = "Todavía no tenemos la confirmación del pago de Mercado Pago. Si ya pagaste, puede tardar unos minutos: esta página se actualiza sola."
	default:
		vm.ReturnNote = fmt.Sprintf("Esta reserva está %s.", lowerFirst(vm.StatusLabel))
	}
	return s.render(c, http.StatusOK, guest.Reservation(vm))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'A' && r[0] <= 'Z' {
		r[0] += 'a' - 'A'
	}
	return string(r)
}
