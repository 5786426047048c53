package web

import (
	"context"
	"errors"
	"fmt"
	"time"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/rates"
)

// mpChargeView is how a Mercado Pago charge in pesos reads to the guest,
// for a foreign-currency stay or one with a surcharge (empty otherwise: a
// peso seña is charged as written). The figures are booking.PesosCharge's,
// the very ones the preference carries.
type mpChargeView struct {
	// Line: "Seña: US$ 72,00 — a pagar con Mercado Pago: $ 85.356 (cotización 1 USD = $ 1.185,50 del 02/12/2026)".
	Line string
	// Surcharge: "+ recargo Mercado Pago 6 %: $ 5.121 → total $ 90.477"; empty without one.
	Surcharge string
	// Total is what is charged in pesos: "$ 90.477".
	Total string
}

// pesosText writes pesos as the guest reads them: "$ 85.356", "$ 6.000,50".
func pesosText(m money.Money) string {
	return format.AmountBrief(money.In(m, booking.PesoCurrency))
}

// mpChargeText writes c for the guest; what names the amount ("Seña",
// "Saldo") comes first. loc dates the rate.
func mpChargeText(what string, c booking.Charge, loc *time.Location) mpChargeView {
	if !c.Foreign() && c.Surcharge == 0 {
		return mpChargeView{}
	}
	v := mpChargeView{Total: pesosText(c.Total)}
	v.Line = fmt.Sprintf("%s: %s — a pagar con Mercado Pago: %s", what, format.Amount(money.In(c.Amount, c.Currency)),
		pesosText(c.Pesos))
	if c.Rate != nil {
		v.Line += fmt.Sprintf(" (cotización 1 %s = %s del %s)", c.Rate.Currency, c.Rate.Rate.Format(),
			format.Date(c.Rate.At.In(loc)))
	}
	if c.Surcharge > 0 {
		v.Surcharge = fmt.Sprintf("+ recargo Mercado Pago %s: %s → total %s", rates.FormatMarkup(c.SurchargeBP),
			pesosText(c.Surcharge), v.Total)
	}
	return v
}

// noRateMessage is what a foreign-currency hold without a locked rate says
// instead of a Mercado Pago button: it cannot be charged in pesos.
func noRateMessage(p booking.Property) string {
	msg := "Esta reserva no tiene una cotización guardada, así que no se puede pagar con Mercado Pago."
	if p.Pay.Transfer {
		return msg + " Podés pagar la seña por transferencia, o consultale al dueño cómo pagarla."
	}
	return msg + " Consultale al dueño cómo pagar la seña."
}

// quoteMPCharge is what a Mercado Pago seña of the quote would charge if
// the guest held now (today's rate, the property's surcharge), written for
// the booking box; empty when the property does not take Mercado Pago, the
// seña is in pesos without a surcharge, or there is no rate today.
func (s *Server) quoteMPCharge(ctx context.Context, p booking.Property, deposit money.Money) mpChargeView {
	if s.mercadoPago == nil || !s.mercadoPago.Client.Configured() || !p.Pay.MercadoPago {
		return mpChargeView{}
	}
	c, err := s.booking.QuoteCharge(ctx, p, deposit)
	if err != nil {
		if !errors.Is(err, booking.ErrNoRate) {
			s.log.Warn("web: quote without a Mercado Pago charge", "property_id", p.ID, "error", err)
		}
		return mpChargeView{}
	}
	return mpChargeText("Seña", c, p.Timezone)
}

// mpJSON is, in the API's quote and pre-reserve answers, what a Mercado
// Pago seña charges in pesos when that differs from the seña as written (a
// foreign currency at the rate, a surcharge): the total asked and the
// surcharge in it. Absent otherwise, and when Mercado Pago is not offered.
type mpJSON struct {
	MercadoPagoARS          *money.Money `json:"mercadopago_ars,omitempty"`
	MercadoPagoSurchargeARS *money.Money `json:"mercadopago_surcharge_ars,omitempty"`
}

func mpJSONOf(c booking.Charge, ok bool) mpJSON {
	if !ok || (!c.Foreign() && c.Surcharge == 0) {
		return mpJSON{}
	}
	total, sur := c.Total, c.Surcharge
	return mpJSON{MercadoPagoARS: &total, MercadoPagoSurchargeARS: &sur}
}

// quoteMPJSON is mpJSON for a quote's seña if held now.
func (s *Server) quoteMPJSON(ctx context.Context, p booking.Property, deposit money.Money) mpJSON {
	if s.mercadoPago == nil || !s.mercadoPago.Client.Configured() || !p.Pay.MercadoPago {
		return mpJSON{}
	}
	c, err := s.booking.QuoteCharge(ctx, p, deposit)
	if err != nil && !errors.Is(err, booking.ErrNoRate) {
		s.log.Warn("web: quote without a Mercado Pago charge", "property_id", p.ID, "error", err)
	}
	return mpJSONOf(c, err == nil)
}
