package web

import (
	"encoding/json"
	"strings"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	resviews "alojamientos/views/reservations"
)

// cancelAuditDescription tells the history entries of an early end and of
// its refunds: who cancelled and what was decided to go back (booking.Cancel
// writes by, refund and penalty), and each refund made or refused. Entries
// from before the cancellation terms (no "by") are left to auditDescription.
func cancelAuditDescription(action string, d map[string]json.RawMessage) (string, bool) {
	str := func(k string) string {
		var v string
		_ = json.Unmarshal(d[k], &v)
		return v
	}
	amount := func(k string) string {
		m, _ := money.Parse(str(k))
		return format.Amount(money.In(m, str("currency")))
	}
	switch action {
	case string(booking.ActionCancel), string(booking.ActionNoShow):
		by := str("by")
		if by == "" {
			return "", false
		}
		what, who := "Canceló la reserva", ""
		switch by {
		case string(booking.PartyHost):
			who = "cancela el alojamiento; "
		case string(booking.PartyGuest):
			who = "a pedido del huésped; "
		case string(booking.PartyWithdrawal):
			what = "El huésped se arrepintió de la reserva"
		case string(booking.PartyNoShow):
			what = "Marcó que el huésped no se presentó"
		}
		if n := str("note"); n != "" {
			what += ": " + n
		}
		back := "no se devuelve nada"
		if r, _ := money.Parse(str("refund")); r > 0 {
			back = "se devuelve " + amount("refund")
		}
		if p, _ := money.Parse(str("penalty")); p > 0 {
			back += " y la seña una vez más, " + amount("penalty")
		}
		return what + " (" + who + back + ").", true
	case "refund_done":
		return "Devolución hecha: " + amount("amount") + " (" + strings.ToLower(refundMethod(str("method"))) + ").", true
	case "refund_failed":
		return "Mercado Pago no pudo hacer la devolución de " + amount("amount") + ": hay que devolverla a mano.", true
	}
	return "", false
}

func refundMethod(m string) string {
	if m == booking.MethodMercadoPago {
		return "Mercado Pago"
	}
	return resviews.MethodLabel(m)
}
