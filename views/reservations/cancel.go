package reservations

// CancelForm is the owner's cancellation: who cancels, what goes back
// (computed by booking.Settle, editable by the owner) and why.
type CancelForm struct {
	By      string // "guest" or "host"
	Reason  string
	Error   string // the reason's error
	Preview CancelPreview
}

// CancelPreview is the part of the cancel form htmx redraws when the owner
// picks who cancels: what the terms give and the refund field prefilled.
type CancelPreview struct {
	URL string // the preview's own address (GET ?by=)
	By  string
	// HasPaid is false when nothing was received: nothing to give back.
	HasPaid bool
	Paid    string // "$ 20.000,00"
	// Computed is what the terms give back of what was paid.
	Computed string
	// Penalty is the seña once more (host under seña penitencial); "" when none.
	Penalty string
	// Owed is everything the guest is to receive (Computed + Penalty).
	Owed string
	Rule string
	// Refund is the refund field ("6.000,00"), prefilled with Computed.
	Refund      string
	RefundError string
	// CanEdit: the owner may give back another amount; staff take the terms.
	CanEdit  bool
	Currency string
}

// PartyOption is one choice of who cancels.
type PartyOption struct {
	Value, Label, Hint string
}

// CancelParties are the two ways the owner ends a stay early.
var CancelParties = []PartyOption{
	{"guest", "El huésped pidió cancelar", "Rigen las condiciones de cancelación de la reserva."},
	{"host", "Cancela el alojamiento", "Se devuelve todo lo pagado (y la seña una vez más si la seña es penitencial)."},
}

// RefundRow is one refund of the reservation: money going back.
type RefundRow struct {
	ID     string
	When   string
	Reason string
	Method string
	Status string
	// StatusKey is the stored status, for the badge's class.
	StatusKey string
	Amount    string
	Note      string
	// By is who settled it ("Mercado Pago" for a refund its job made).
	By string
	// SettleURL is the one-click "Marcar como devuelto" (owed or failed, owners only).
	SettleURL string
	Error     string
}

// RefundReasonLabel says why money goes back.
func RefundReasonLabel(reason string) string {
	switch reason {
	case "guest_cancel":
		return "Cancelación del huésped"
	case "host_cancel":
		return "Cancelación del alojamiento"
	case "withdrawal":
		return "Arrepentimiento"
	case "no_show":
		return "No se presentó"
	case "penalty":
		return "Seña penitencial (la seña una vez más)"
	case "deposit_return":
		return "Depósito en garantía"
	case "manual":
		return "Devolución manual"
	}
	return reason
}

// RefundStatusLabel says where a refund is.
func RefundStatusLabel(status, method string) string {
	switch status {
	case "pending":
		return "En curso en Mercado Pago"
	case "owed":
		if method == "cash" {
			return "A devolver en efectivo"
		}
		return "A devolver por transferencia"
	case "done":
		return "Devuelta"
	case "failed":
		return "Mercado Pago no la hizo: devolvela a mano"
	}
	return status
}
