package home

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var actions = map[string]string{
	"hold_created":           "Pre-reserva creada",
	"hold_expired":           "Pre-reserva vencida",
	"confirm":                "Reserva confirmada",
	"cancel":                 "Reserva cancelada",
	"check_in":               "Llegada registrada",
	"complete":               "Estadía terminada",
	"no_show":                "El huésped no se presentó",
	"change_stay":            "Estadía modificada",
	"guest_updated":          "Datos del huésped actualizados",
	"policy_changed":         "Cambiaron las condiciones de cancelación de un alojamiento",
	"payment_added":          "Pago registrado",
	"payment_mercadopago":    "Pago de Mercado Pago",
	"payment_refund":         "Devolución pedida a Mercado Pago",
	"payment_alert":          "Aviso sobre un pago",
	"hold_extended":          "Pre-reserva extendida por un pago en curso",
	"receipt_uploaded":       "Comprobante de transferencia recibido",
	"receipt_rejected":       "Comprobante de transferencia rechazado",
	"payment_method_changed": "El huésped cambió el medio de pago",
	"balance_reminder":       "Recordatorio del saldo al huésped",
	"feed_stale":             "Tomada sin calendarios de canales al día",
	"ical_collision":         "Un canal vendió noches ocupadas",
	"refund_done":            "Devolución hecha",
	"refund_failed":          "Mercado Pago no pudo hacer una devolución",
}

// ActionLabel says in Spanish what an audit entry records.
func ActionLabel(action string) string {
	if l, ok := actions[action]; ok {
		return l
	}
	return sentence(action)
}

// guests is "1 huésped" or "3 huéspedes".
func guests(n int) string {
	if n == 1 {
		return "1 huésped"
	}
	return strconv.Itoa(n) + " huéspedes"
}

var actors = map[string]string{
	"system": "Sistema", "api": "API pública", "guest": "Huésped", "whatsapp": "WhatsApp",
	"mercadopago": "Mercado Pago", "ical": "Calendarios externos", "seed": "Datos de ejemplo",
}

// ActorLabel names who did something: a dashboard user by name (userName,
// empty when the user no longer exists), else the part of the system.
func ActorLabel(actor, userName string) string {
	if userName != "" {
		return userName
	}
	if strings.HasPrefix(actor, "user:") {
		return "Usuario eliminado"
	}
	if l, ok := actors[actor]; ok {
		return l
	}
	return actor
}

var conflictKinds = map[string]string{
	"overlap":                   "Fechas superpuestas",
	"date_overlap":              "Fechas superpuestas",
	"ical_overlap":              "Fechas superpuestas con un canal",
	"payment_partial":           "Pago menor que la seña",
	"payment_refund_due":        "Hay que devolver un pago",
	"payment_mismatch":          "Pago en otra moneda",
	"payment_unknown_reference": "Pago de una reserva desconocida",
	"payment_refunded":          "Pago devuelto",
	"payment_charged_back":      "Contracargo o reclamo de un pago",
	"payment_earlier_link":      "Seña pagada con el link anterior a un cambio",
	"payment_balance_overdue":   "Saldo vencido sin cobrar",
	"late_payment":              "Pago después de vencida la pre-reserva",
	"refund_needed":             "Hay que devolver un pago",
	"sync_failed":               "Falló la sincronización de un calendario",
	"ical_collision":            "Un canal vendió noches ocupadas",
}

// ConflictKindLabel names a kind of conflict.
func ConflictKindLabel(kind string) string {
	if l, ok := conflictKinds[kind]; ok {
		return l
	}
	return sentence(kind)
}

// sentence turns an unknown code ("payment_refunded") into something
// readable ("Payment refunded") rather than showing nothing.
func sentence(code string) string {
	s := strings.ReplaceAll(code, "_", " ")
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return "Actividad"
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
