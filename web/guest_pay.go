package web

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/guest"
)

// methodLabels name the payment methods a guest chooses among.
var methodLabels = map[string]string{
	booking.MethodMercadoPago: "Mercado Pago",
	booking.MethodTransfer:    "Transferencia bancaria",
}

var methodHints = map[string]string{
	booking.MethodMercadoPago: "Tarjeta, débito o dinero en cuenta: la reserva se confirma al pagar.",
	booking.MethodTransfer:    "Transferís desde tu banco y subís el comprobante: el anfitrión confirma la reserva al ver el dinero.",
}

// methodOptions are the methods a property offers, in a fixed order, the
// chosen one (else the first) checked.
func methodOptions(t booking.PaymentTerms, chosen string) []guest.MethodOption {
	var out []guest.MethodOption
	checked := false
	for _, m := range []string{booking.MethodMercadoPago, booking.MethodTransfer} {
		if t.Offers(m) {
			out = append(out, guest.MethodOption{Value: m, Label: methodLabels[m], Hint: methodHints[m], Checked: m == chosen})
			checked = checked || m == chosen
		}
	}
	if !checked && len(out) > 0 {
		out[0].Checked = true
	}
	return out
}

// payView fills how the guest pays: the switch to the other methods while
// the hold lasts, the Mercado Pago button, or the transfer's account and
// exact amount with the receipt form.
func (s *Server) payView(c echo.Context, r booking.Reservation, p booking.Property, vm *guest.ReservationView) error {
	method := booking.EffectiveMethod(r.PaymentMethod, p.Pay)
	live := booking.HoldLive(r.Status, r.HoldExpiresAt, s.clock.Now())
	if live {
		vm.Pay.SwitchURL = booking.GuestPath(r.Code, c.QueryParam("t"), "medio-de-pago")
		for _, o := range methodOptions(p.Pay, method) {
			if o.Value != method {
				o.Label = map[string]string{booking.MethodMercadoPago: "Prefiero pagar con Mercado Pago",
					booking.MethodTransfer: "Prefiero pagar por transferencia"}[o.Value]
				vm.Pay.Switch = append(vm.Pay.Switch, o)
			}
		}
	}
	if method == booking.MethodTransfer && p.Pay.Transfer {
		vm.Pay.Transfer = transferView(r, p, live)
	}
	if method != booking.MethodTransfer && live {
		s.paymentLinkView(c, r, p, vm)
	}
	return s.guestReceipts(c, r, p.Timezone, vm)
}

// transferView is the account and the exact amount to transfer: what is
// left of the seña of a live hold, or the balance of a confirmed stay; nil
// when nothing is to be transferred. A foreign-currency stay whose property
// asks transfers in pesos is asked the pesos at the rate locked on its hold
// (booking.PesosCharge, no surcharge), so the figure is exactly the one the
// owner expects to see arrive.
func transferView(r booking.Reservation, p booking.Property, live bool) *guest.TransferView {
	a := p.Pay.Account
	t := &guest.TransferView{CBU: a.CBU, Alias: a.Alias, Holder: a.Holder, CUIT: a.CUIT, Bank: a.Bank, Reference: r.Code}
	due, seña := booking.DueNow(r.Status, r.Deposit, r.Paid, r.Total)
	switch {
	case live && seña:
		t.What, t.Hold = "la seña", true
		t.Deadline = format.DateAt(*r.HoldExpiresAt, p.Timezone)
	case (r.Status == booking.StatusConfirmed || r.Status == booking.StatusCheckedIn) && due > 0:
		t.What, t.CashToo = "el saldo", p.Pay.Cash
		t.Deadline = format.Date(r.BalanceDue())
	default:
		return nil
	}
	stay := format.Amount(money.In(due, r.Currency))
	asked := a.TransferAmount(due, r.Currency, r.Rate)
	t.Amount = format.Amount(asked)
	if asked.Currency != r.Currency {
		t.AmountNote = fmt.Sprintf("Es %s de %s al tipo de cambio fijado en tu reserva: 1 %s = %s.",
			t.What, stay, r.Currency, r.Rate.Rate.Format())
	}
	return t
}
