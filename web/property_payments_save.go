package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/views/properties"
)

// propertyPaymentsSave stores the "Cobros" form, or shows it again (422)
// with every problem beside its field, what was typed kept and nothing
// saved. The property cache hears of the change through the properties
// trigger's NOTIFY, so the next hold takes the new terms.
func (s *Server) propertyPaymentsSave(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	f := func(name string) string { return c.FormValue(name) }
	on := func(name string) bool { return c.FormValue(name) == "true" }
	in := booking.PaymentTermsInput{MercadoPago: on("pay_mercadopago"), Transfer: on("pay_transfer"),
		Cash: on("pay_cash"), Surcharge: f("mp_surcharge"), MaxInstallments: f("mp_max_installments"),
		CBU: f("transfer_cbu"), Alias: f("transfer_alias"), Holder: f("transfer_holder"), CUIT: f("transfer_cuit"),
		Bank: f("transfer_bank"), InPesos: on("transfer_in_pesos"), BalanceAtArrival: f("balance_due") != "before",
		BalanceDueDays: f("balance_due_days"), ReceiptHoldHours: f("receipt_hold_hours"),
		DamageDeposit: f("damage_deposit"), DamageDepositMethod: f("damage_deposit_method")}
	err = booking.SavePaymentTerms(c.Request().Context(), s.pool, p.AccountID, p.ID, in)
	var verr *booking.ValidationError
	switch {
	case errors.As(err, &verr):
		vm := s.paymentsPage(c, p, in)
		vm.Errors = verr.Fields
		return s.render(c, http.StatusUnprocessableEntity, properties.Payments(vm))
	case err != nil:
		return err
	}
	setFlash(c, "Guardaste los cobros de «"+p.Name+"».")
	return c.Redirect(http.StatusSeeOther, propertyURL(p.ID, "/cobros"))
}
