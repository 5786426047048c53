package web

import (
	"maps"
	"slices"
	"time"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
)

// ledgerLine is one ledger entry in Spanish, for the owner's page and the
// guest's alike (the guest's leaves out who did it).
type ledgerLine struct {
	When, What, Method, Status, Amount, Stay, Who, Note string
	In, Out                                             bool
}

var ledgerKinds = map[string]string{
	booking.LedgerPayment:       "Pago",
	booking.LedgerSurcharge:     "Recargo Mercado Pago",
	booking.LedgerRefund:        "Devolución",
	booking.LedgerRefundedInMP:  "Devuelto desde Mercado Pago",
	booking.LedgerPenalty:       "Penalidad (seña penitencial)",
	booking.LedgerDeposit:       "Depósito en garantía recibido",
	booking.LedgerDepositReturn: "Depósito en garantía devuelto",
	booking.LedgerDepositKept:   "Descontado del depósito",
}

var ledgerMethods = map[string]string{
	"mercadopago": "Mercado Pago", "transfer": "Transferencia", "cash": "Efectivo", "other": "Otro",
	"balance": "Con el saldo",
}

var ledgerStatuses = map[string]string{
	// payments
	"approved": "Acreditado", "in_process": "En proceso", "authorized": "Autorizado", "rejected": "Rechazado",
	"cancelled": "Cancelado", "refunded": "Devuelto", "charged_back": "Contracargo", "in_mediation": "En reclamo",
	// refunds (pending: the Mercado Pago job has not finished)
	"pending": "Pendiente", "owed": "A devolver", "done": "Hecho", "failed": "Falló",
	// the deposit
	"received": "Recibido", "returned": "Devuelto", "kept": "Retenido",
}

func labelOr(m map[string]string, k string) string {
	if l, ok := m[k]; ok {
		return l
	}
	return k
}

// ledgerLines writes a ledger's entries. A refund from Mercado Pago's own
// site, or a chargeback, is named by the payment's status.
func ledgerLines(l booking.Ledger, loc *time.Location) []ledgerLine {
	var out []ledgerLine
	for _, e := range l.Entries {
		ln := ledgerLine{When: format.DateTime(e.At, loc), What: labelOr(ledgerKinds, e.Kind),
			Method: labelOr(ledgerMethods, e.Method), Status: labelOr(ledgerStatuses, e.Status),
			Amount: format.Amount(e.Amount), Note: e.Note, Who: auditActor(e.Actor, e.UserName)}
		switch {
		case e.Kind == booking.LedgerRefundedInMP && e.Status == "charged_back":
			ln.What = "Contracargo en Mercado Pago"
		case e.Kind == booking.LedgerRefundedInMP:
			ln.Status = "Hecho"
		}
		if e.Actor == "user" { // a deposit: the user who received or returned it, if known
			ln.Who = e.UserName
		}
		if e.Stay > 0 {
			sign := "+ "
			if !e.In {
				sign = "− "
			}
			ln.Stay = sign + format.Amount(money.In(e.Stay, l.Currency))
		}
		ln.In = e.In && e.Counted
		ln.Out = !e.In && e.Counted && e.Kind != booking.LedgerDepositKept
		if e.Reference != "" && e.Kind == booking.LedgerPayment {
			ln.Note = "Pago " + e.Reference
		}
		out = append(out, ln)
	}
	return out
}

// ledgerMoved writes the money that moved per currency: "Neto cobrado en
// pesos: $ 99.902,00".
func ledgerMoved(l booking.Ledger) []string {
	var out []string
	for _, cur := range slices.Sorted(maps.Keys(l.Moved)) {
		out = append(out, "Neto cobrado en "+cur+" (sin depósito): "+
			format.Amount(money.In(l.Moved[cur], cur)))
	}
	return out
}
