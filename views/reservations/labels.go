// Package reservations is the dashboard's reservations pages: the list with
// its filters, the detail page with its actions and forms. View models are
// shaped like the screen; the handlers in web fill them. A package per
// dashboard feature keeps each screen's view models and components together.
package reservations

import "strings"

// Statuses in the order the filter offers them.
var Statuses = []string{"pre_reserved", "confirmed", "checked_in", "completed", "cancelled", "expired", "no_show"}

var statusLabels = map[string]string{
	"pre_reserved": "Pre-reservada", "confirmed": "Confirmada", "checked_in": "En curso", "completed": "Completada",
	"expired": "Vencida", "cancelled": "Cancelada", "no_show": "No se presentó",
}

// StatusLabel is a reservation state as the owner reads it.
func StatusLabel(status string) string {
	if l, ok := statusLabels[status]; ok {
		return l
	}
	return status
}

var statusAdjectives = map[string]string{
	"pre_reserved": "pre-reservada", "confirmed": "confirmada", "checked_in": "en curso", "completed": "completada",
	"expired": "vencida", "cancelled": "cancelada", "no_show": "marcada como «no se presentó»",
}

var actionVerbs = map[string]string{
	"confirm": "confirmar", "cancel": "cancelar", "check_in": "registrar la llegada de", "complete": "completar",
	"no_show": "marcar como ausente", "change_stay": "cambiar las fechas de", "payment_added": "registrar un pago en",
}

// RefusedAction is the message for an action the reservation's state does not
// allow: "No se puede cancelar una reserva completada."
func RefusedAction(action, status string) string {
	verb, ok := actionVerbs[action]
	if !ok {
		verb = "cambiar"
	}
	adj, ok := statusAdjectives[status]
	if !ok {
		adj = "en estado " + status
	}
	return "No se puede " + verb + " una reserva " + adj + "."
}

// Channels in the order the filter offers them.
var Channels = []string{"direct", "web", "whatsapp", "phone", "walk_in", "airbnb", "booking", "vrbo", "other"}

var channelLabels = map[string]string{
	"direct": "Directo", "web": "Web", "whatsapp": "WhatsApp", "phone": "Teléfono", "walk_in": "En persona",
	"airbnb": "Airbnb", "booking": "Booking.com", "vrbo": "Vrbo", "other": "Otro",
}

// ChannelLabel is where a reservation came from, as the owner reads it.
func ChannelLabel(channel string) string {
	if l, ok := channelLabels[channel]; ok {
		return l
	}
	return channel
}

// PaymentMethods received by hand, in the order the form offers them.
var PaymentMethods = []string{"transfer", "cash", "other"}

var methodLabels = map[string]string{"cash": "Efectivo", "transfer": "Transferencia", "other": "Otro"}

// MethodLabel is how a payment was made.
func MethodLabel(method string) string {
	if l, ok := methodLabels[method]; ok {
		return l
	}
	return method
}

var paymentStatusLabels = map[string]string{
	"approved": "Aprobado", "pending": "Pendiente", "in_process": "En proceso", "rejected": "Rechazado",
	"cancelled": "Cancelado", "refunded": "Devuelto", "charged_back": "Contracargo",
	"authorized": "Autorizado", "in_mediation": "En reclamo",
}

// PaymentStatusLabel is a payment's state.
func PaymentStatusLabel(status string) string {
	if l, ok := paymentStatusLabels[status]; ok {
		return l
	}
	return status
}

// PriceSourceLabel says where a night's price came from.
func PriceSourceLabel(source string) string {
	switch {
	case source == "base":
		return "Tarifa base"
	case source == "weekend":
		return "Fin de semana"
	case strings.HasPrefix(source, "season:"):
		if name := strings.TrimPrefix(source, "season:"); name != "" {
			return "Temporada " + name
		}
		return "Temporada"
	}
	return source
}
