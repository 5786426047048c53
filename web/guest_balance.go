package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/money"
	"alojamientos/views/guest"
)

// guestBalanceView tells the guest of a confirmed stay the balance, its due
// date and the ways the property takes it (booking.PlanBalance, as the
// WhatsApp reminder does).
func (s *Server) guestBalanceView(r booking.Reservation, p booking.Property, token string) *guest.BalanceView {
	plan, ok := booking.PlanBalance(r, p.Pay)
	if !ok {
		return nil
	}
	v := &guest.BalanceView{Amount: format.Amount(money.In(plan.Balance, plan.Currency)), Due: format.Date(plan.Due),
		AtArrival: plan.AtArrival, Overdue: plan.Due.Before(booking.LocalDate(s.clock.Now(), p.Timezone)), Cash: plan.Cash}
	if plan.MercadoPago && s.balanceLinks(r, plan.Balance) {
		v.PayURL = booking.GuestPath(r.Code, token, "saldo")
	}
	if a := plan.Transfer; a != nil {
		amount := v.Amount
		if plan.TransferPesos > 0 {
			amount = format.Amount(money.In(plan.TransferPesos, booking.PesoCurrency)) + " (" + v.Amount +
				" al tipo de cambio de tu reserva)"
		}
		v.Transfer = &guest.BalanceTransfer{CBU: a.CBU, Alias: a.Alias, Holder: a.Holder, CUIT: a.CUIT, Bank: a.Bank,
			Amount: amount, Reference: r.Code}
	}
	return v
}

// balanceLinks says whether a Mercado Pago link for r's balance can be
// made: Mercado Pago is configured and the balance can be charged in pesos
// (a foreign stay needs the rate locked on its hold).
func (s *Server) balanceLinks(r booking.Reservation, balance money.Money) bool {
	if s.mercadoPago == nil || !s.mercadoPago.Client.Configured() {
		return false
	}
	_, err := r.MPCharge(balance)
	return err == nil
}

// guestBalancePay sends the guest to Mercado Pago to pay the balance (the
// same link the owner can make: one per amount). When the property does not
// take Mercado Pago, nothing is owed or Mercado Pago fails, the guest page
// says so.
func (s *Server) guestBalancePay(c echo.Context) error {
	r, err := s.guestReservation(c)
	if err != nil {
		return err
	}
	p, err := s.booking.LoadProperty(c.Request().Context(), r.PropertyID)
	if err != nil {
		return err
	}
	plan, ok := booking.PlanBalance(r, p.Pay)
	note := "Esta reserva no tiene saldo para pagar con Mercado Pago."
	if ok && plan.MercadoPago && s.balanceLinks(r, plan.Balance) {
		link, _, err := s.mercadoPago.BalanceLink(c.Request().Context(), r)
		if err == nil {
			return c.Redirect(http.StatusSeeOther, link)
		}
		if !errors.Is(err, mercadopago.ErrRefundAmount) {
			s.logger(c).Warn("guest balance link failed", "code", r.Code, "error", err)
			note = "Mercado Pago no respondió y no pudimos generar el link de pago. Probá de nuevo en unos minutos."
		}
	}
	vm, err := s.reservationView(c)
	if err != nil {
		return err
	}
	vm.ReturnNote = note
	return s.render(c, http.StatusOK, guest.Reservation(vm))
}
