package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/money"
	"alojamientos/internal/rates"
	resviews "alojamientos/views/reservations"
)

// mercadoPagoPaymentRow adds what the owner needs about a Mercado Pago
// payment: its id and raw status, refunds, and the refund form (owners only).
func (s *Server) mercadoPagoPaymentRow(c echo.Context, r dbq.Reservation, p dbq.ListReservationPaymentsRow, pr *resviews.PaymentRow) {
	if p.ProviderID != nil {
		pr.ProviderID = *p.ProviderID
	}
	pr.RawStatus = p.Status
	if p.StatusDetail != "" {
		pr.RawStatus += " / " + p.StatusDetail
	}
	if p.Refunded > 0 {
		pr.Refunded = format.Money(p.Refunded)
	}
	pr.RefundDue = p.RefundDue
	if p.Status != "approved" || !currentUser(c).IsOwner() || s.mercadoPago == nil || !s.mercadoPago.Client.Configured() {
		return
	}
	// Refunds decided but not carried out yet are not in Refunded.
	pending, err := db.Q(s.pool).PendingPaymentRefunds(c.Request().Context(), &p.ID)
	if left := p.Amount - p.Refunded - pending; err == nil && left > 0 {
		pr.RefundURL = reservationURL(r.Code) + "/payments/" + strconv.FormatInt(p.ID, 10) + "/refund"
		pr.RefundLeft = left.Display()
	}
}

// reservationRefund gives back all or part of a Mercado Pago payment (owners
// only: money leaves the account). It only decides: booking writes the
// refunds row and its job in one transaction, and the job asks Mercado Pago,
// so the page never waits on Mercado Pago and a crash loses nothing.
func (s *Server) reservationRefund(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	after, _ := strconv.ParseInt(c.FormValue("after"), 10, 64)
	var amount money.Money
	msg := ""
	if text := c.FormValue("amount"); text != "" {
		if amount, err = money.ParseInput(text); err != nil || amount <= 0 {
			msg = "Monto inválido: escribilo como 12.345,67, o dejalo vacío para devolver todo."
		}
	}
	if msg == "" {
		var ref dbq.Refund
		ref, _, err = s.booking.ManualRefund(c.Request().Context(), booking.ManualRefundRequest{
			AccountID: currentUser(c).AccountID, ReservationID: row.Reservation.ID, PaymentID: id, Amount: amount,
			Actor: reservationActor(c), After: after})
		switch {
		case err == nil:
			setFlash(c, "Le pedimos a Mercado Pago que devuelva "+format.Money(ref.Amount)+
				": en unos minutos figura en Devoluciones.")
			return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
		case errors.Is(err, booking.ErrRefundAmount):
			msg = "El monto supera lo que queda por devolver de ese pago."
		case errors.Is(err, booking.ErrNotRefundable):
			msg = "Ese pago no se puede devolver."
		default:
			return err
		}
	}
	vm, err := s.reservationDetail(c, row)
	if err != nil {
		return err
	}
	vm.RefundError = msg
	return s.renderReservation(c, http.StatusUnprocessableEntity, vm)
}

// reservationBalanceLink makes a Mercado Pago link for what is left to pay,
// for the owner to send to the guest.
func (s *Server) reservationBalanceLink(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	r, err := s.booking.Get(c.Request().Context(), row.Reservation.Code)
	if err != nil {
		return err
	}
	link, pay, err := s.mercadoPago.BalanceLink(c.Request().Context(), r)
	switch {
	case err == nil:
		setFlash(c, "Link de pago del saldo ("+balanceText(pay)+"), para enviar al huésped: "+link)
	case errors.Is(err, mercadopago.ErrRefundAmount):
		setFlash(c, "La reserva no tiene saldo pendiente.")
	case errors.Is(err, booking.ErrNoRate):
		setFlash(c, "La reserva no tiene cotización guardada: Mercado Pago cobra en pesos y no hay con qué convertir el saldo. Coordiná el pago con el huésped.")
	default:
		s.logger(c).Warn("balance link failed", "code", r.Code, "error", err)
		setFlash(c, "Mercado Pago no respondió: no se pudo generar el link. Probá de nuevo en unos minutos.")
	}
	return c.Redirect(http.StatusSeeOther, reservationURL(r.Code))
}

// balanceText is the balance a link charges, for the owner: "$ 20.000,00";
// in pesos at the locked rate, with the surcharge, when those apply:
// "US$ 100,00 = $ 118.550 a $ 1.185,50 + recargo 6 % $ 7.113 → $ 125.663".
func balanceText(pay booking.Charge) string {
	s := format.Amount(money.In(pay.Amount, pay.Currency))
	if pay.Rate != nil {
		s += " = " + pesosText(pay.Pesos) + " a " + pay.Rate.Rate.Format()
	}
	if pay.Surcharge > 0 {
		s += " + recargo " + rates.FormatMarkup(pay.SurchargeBP) + " " + pesosText(pay.Surcharge) + " → " + pesosText(pay.Total)
	}
	return s
}
