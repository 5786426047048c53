package web

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	resviews "alojamientos/views/reservations"
)

// depositStatuses are the reservation states whose deposit may be
// recorded (booking.RecordDeposit says it again).
var depositStatuses = map[string]bool{"confirmed": true, "checked_in": true, "completed": true}

// reservationMoney builds the reservation page's damage deposit and
// ledger. Anyone who records payments records a deposit received;
// returning it is the owner's, as any refund.
func (s *Server) reservationMoney(c echo.Context, r dbq.Reservation, loc *time.Location) (resviews.MoneyView, error) {
	l, err := s.booking.Ledger(c.Request().Context(), currentUser(c).AccountID, r.Code)
	if err != nil {
		return resviews.MoneyView{}, err
	}
	var vm resviews.MoneyView
	for _, ln := range ledgerLines(l, loc) {
		vm.Ledger.Rows = append(vm.Ledger.Rows, resviews.LedgerRow{When: ln.When, What: ln.What, Method: ln.Method,
			Status: ln.Status, Amount: ln.Amount, Stay: ln.Stay, In: ln.In, Out: ln.Out, Who: ln.Who, Note: ln.Note})
	}
	vm.Ledger.StayNet = format.Amount(money.In(l.StayNet(), l.Currency))
	vm.Ledger.Moved = ledgerMoved(l)
	vm.Deposit = depositView(c, r, l.Deposit, loc)
	return vm, nil
}

// depositView says what the stay asks, what was received and returned, and
// offers the form that comes next.
func depositView(c echo.Context, r dbq.Reservation, d *dbq.GetDamageDepositRow, loc *time.Location) resviews.DepositView {
	v := resviews.DepositView{Terms: booking.DepositTerms(r.DamageDeposit, r.Currency, r.DamageDepositMethod)}
	base := reservationURL(r.Code) + "/deposito"
	if d == nil {
		if depositStatuses[r.Status] {
			v.RecordURL = base + "/recibido"
			v.Form.Method = r.DamageDepositMethod
			if r.DamageDeposit > 0 {
				v.Form.Amount = r.DamageDeposit.Display()
			}
		}
		return v
	}
	in := func(m money.Money) string { return format.Amount(money.In(m, d.Currency)) }
	v.Received = "Recibido: " + in(d.Amount) + " (" + labelOr(ledgerMethods, d.Method) + ") el " +
		format.DateTime(d.ReceivedAt, loc) + byName(d.ReceivedByName) + "."
	switch {
	case d.SettledAt != nil:
		v.Settled = "Devuelto " + in(d.Returned) + " el " + format.DateTime(*d.SettledAt, loc) + byName(d.SettledByName) + "."
		if d.Deducted > 0 {
			v.Settled = "Devuelto " + in(d.Returned) + " y descontado " + in(d.Deducted) + " el " +
				format.DateTime(*d.SettledAt, loc) + byName(d.SettledByName) + "."
		}
		v.Note = d.Note
	case currentUser(c).IsOwner():
		v.ReturnURL = base + "/devolucion"
		v.Form.Deducted = "0"
	}
	return v
}

func byName(name string) string {
	if name == "" {
		return ""
	}
	return " por " + name
}

// depositMethodOptions fills the received form's method select.
func depositMethodOptions(selected string) []resviews.Option {
	if selected == "" {
		selected = booking.DepositCash
	}
	var out []resviews.Option
	for _, m := range []string{booking.DepositCash, booking.DepositTransfer, booking.MethodMercadoPago, booking.DepositBalance} {
		out = append(out, resviews.Option{Value: m, Label: labelOr(ledgerMethods, m), Selected: m == selected})
	}
	return out
}

// formatDepositReturn is "devolvés $ 42.000,00 (descontado $ 8.000,00)".
func formatDepositReturn(d dbq.DamageDeposit) string {
	s := "devolvés " + format.Amount(money.In(d.Returned, d.Currency))
	if d.Deducted > 0 {
		s += " (descontado " + format.Amount(money.In(d.Deducted, d.Currency)) + ")"
	}
	return s
}

// depositAudit tells a deposit's audit entry: "Registró el depósito en
// garantía recibido: $ 50.000,00 (efectivo)." or "Devolvió el depósito en
// garantía: $ 42.000,00; descontó $ 8.000,00: se descontó una copa rota."
func depositAudit(action, amount, deducted, returned, currency, method, note string) string {
	in := func(v string) string {
		m, _ := money.Parse(v)
		return format.Amount(money.In(m, currency))
	}
	if action == booking.ActionDepositReceived {
		return "Registró el depósito en garantía recibido: " + in(amount) + " (" +
			strings.ToLower(labelOr(ledgerMethods, method)) + ")."
	}
	s := "Devolvió el depósito en garantía: " + in(returned)
	if d, _ := money.Parse(deducted); d > 0 {
		s += "; descontó " + in(deducted) + ": " + note
	}
	return s + "."
}
