// Package whatsapp is the dashboard's WhatsApp pages: the inbox, one
// conversation with its reply box, and the settings page. View models are
// shaped like the screen; the handlers in web fill them. A package per
// dashboard feature keeps each screen's view models and components together.
package whatsapp

import "strconv"

// Delivery states of an outbound message as the owner reads them.
var statusLabels = map[string]string{
	"queued": "En cola", "sending": "Enviando", "sent": "Enviado", "delivered": "Entregado", "read": "Leído",
	"failed": "Falló", "unknown": "No sabemos si llegó", "skipped": "No enviado",
}

var statusIcons = map[string]string{
	"queued": "🕓", "sending": "…", "sent": "✓", "delivered": "✓✓", "read": "✓✓", "failed": "⚠", "unknown": "?",
	"skipped": "⊘",
}

// StatusLabel is the delivery state in words.
func StatusLabel(status string) string {
	if l, ok := statusLabels[status]; ok {
		return l
	}
	return status
}

// StatusIcon is the mark beside the state (✓ sent, ✓✓ delivered or read).
func StatusIcon(status string) string { return statusIcons[status] }

// Meta's error codes an owner can act on, in Spanish.
var apiErrors = map[int]string{
	0:      "",
	10:     "el token no tiene permiso para este número",
	100:    "WhatsApp rechazó un dato del pedido",
	190:    "el token de acceso no es válido o venció",
	200:    "el token no tiene permiso para este número",
	368:    "la cuenta de WhatsApp está bloqueada temporalmente",
	130429: "WhatsApp limitó la cantidad de envíos por ahora",
	131000: "WhatsApp tuvo un error interno",
	131026: "ese número no puede recibir el mensaje (¿tiene WhatsApp?)",
	131030: "ese número no está entre los destinatarios permitidos de la cuenta de prueba",
	131047: "pasaron más de 24 horas desde el último mensaje del huésped",
	131051: "WhatsApp no acepta ese tipo de mensaje",
	131056: "demasiados mensajes seguidos al mismo número",
	132000: "la cantidad de datos no coincide con la plantilla",
	132001: "la plantilla no existe o no está aprobada en ese idioma",
	133010: "el número de la cuenta no está registrado en WhatsApp",
}

// APIErrorText explains one of Meta's error codes; detail is what we
// stored when the code is unknown or when there is no code (our own reasons
// are already in Spanish).
func APIErrorText(code int, detail string) string {
	if code == 0 {
		return detail
	}
	if l, ok := apiErrors[code]; ok && l != "" {
		return l + " (código " + strconv.Itoa(code) + ")"
	}
	return "WhatsApp rechazó el mensaje (código " + strconv.Itoa(code) + ")"
}

// ModeLabel is who answers a chat.
func ModeLabel(mode string) string {
	if mode == "owner" {
		return "Atendés vos"
	}
	return "Asistente"
}

// EventLabels names each template's event for the settings page.
var EventLabels = map[string]string{
	"hold_created":     "Pre-reserva creada",
	"payment_received": "Pago recibido, reserva confirmada",
	"hold_expiring":    "Pre-reserva por vencer",
	"hold_expired":     "Pre-reserva vencida",
	"checkin_reminder": "Recordatorio de llegada",
	"cancelled":        "Reserva cancelada",
	"balance_reminder": "Recordatorio del saldo",
	"owner_alert":      "Alerta para vos",
	"follow_up":        "Retomar una conversación",
	"receipt_rejected": "Comprobante rechazado",
	"withdrawn":        "Arrepentimiento registrado",
	"refund_done":      "Devolución hecha",
}

// EventHelp says what each template must say and which parameters it gets, in order.
var EventHelp = map[string]string{
	"hold_created":     "Avisa que las noches quedaron apartadas y cómo pagar la seña. Parámetros: {{1}} nombre, {{2}} alojamiento, {{3}} fechas, {{4}} seña, {{5}} hora de vencimiento, {{6}} link de pago.",
	"payment_received": "Confirma la reserva al recibir el pago. Parámetros: {{1}} nombre, {{2}} código de reserva, {{3}} alojamiento, {{4}} fechas, {{5}} hora de check-in.",
	"hold_expiring":    "Recuerda que la pre-reserva vence hoy. Parámetros: {{1}} nombre, {{2}} código de reserva, {{3}} hora de vencimiento, {{4}} link de pago.",
	"hold_expired":     "Avisa que la pre-reserva venció y las noches se liberaron. Parámetros: {{1}} nombre, {{2}} código de reserva, {{3}} alojamiento, {{4}} fechas.",
	"checkin_reminder": "Recuerda la llegada de mañana. Parámetros: {{1}} nombre, {{2}} alojamiento, {{3}} hora de check-in.",
	"cancelled":        "Avisa que la reserva se canceló. Parámetros: {{1}} nombre, {{2}} código de reserva, {{3}} alojamiento, {{4}} fechas.",
	"balance_reminder": "Recuerda, tres días antes, que vence el saldo y cómo pagarlo. Parámetros: {{1}} nombre, {{2}} código de reserva, {{3}} saldo, {{4}} fecha de vencimiento, {{5}} medios de pago, {{6}} link de la reserva.",
	"owner_alert":      "Te avisa a vos de algo que pasó (una reserva, un pago, un choque de calendarios). Parámetros: {{1}} el aviso.",
	"follow_up":        "Retoma una conversación pasadas las 24 horas. Parámetros: {{1}} nombre del huésped, {{2}} nombre del negocio.",
	"receipt_rejected": "Avisa que el comprobante de transferencia no se aceptó y por qué. Parámetros: {{1}} nombre, {{2}} código de reserva, {{3}} motivo.",
	"withdrawn":        "Da el código del Botón de arrepentimiento y lo que se devuelve. Parámetros: {{1}} nombre, {{2}} código de reserva, {{3}} código de arrepentimiento, {{4}} lo que se devuelve.",
	"refund_done":      "Avisa que se le devolvió dinero (Mercado Pago o tu transferencia). Parámetros: {{1}} nombre, {{2}} código de reserva, {{3}} monto.",
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
