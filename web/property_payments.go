package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/views/properties"
)

// propertyPayments shows a property's "Cobros" page: the methods it offers,
// the Mercado Pago surcharge and installments, the transfer account and when
// the balance is due, as stored.
func (s *Server) propertyPayments(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	vm := s.paymentsPage(c, p, booking.FormOfAccountProperty(p))
	return s.render(c, http.StatusOK, properties.Payments(vm))
}

// paymentsPage builds the page around the form's values.
func (s *Server) paymentsPage(c echo.Context, p dbq.GetAccountPropertyRow, in booking.PaymentTermsInput) properties.PaymentsView {
	return properties.PaymentsView{
		Page: s.adminPage(c, "Cobros de "+p.Name, "alojamientos"), Name: p.Name, EditURL: propertyEditURL(p.ID),
		Action: propertyURL(p.ID, "/cobros"), CSRF: csrfToken(c), Foreign: p.Currency != booking.PesoCurrency,
		Currency: p.Currency,
		Values: properties.PaymentValues{MercadoPago: in.MercadoPago, Transfer: in.Transfer, Cash: in.Cash,
			Surcharge: in.Surcharge, MaxInstallments: in.MaxInstallments, CBU: in.CBU, Alias: in.Alias,
			Holder: in.Holder, CUIT: in.CUIT, Bank: in.Bank, InPesos: in.InPesos,
			BalanceAtArrival: in.BalanceAtArrival, BalanceDueDays: in.BalanceDueDays,
			ReceiptHoldHours: in.ReceiptHoldHours},
		Deposit: properties.DepositValues{Amount: in.DamageDeposit, Method: in.DamageDepositMethod},
	}
}
