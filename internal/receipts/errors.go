package receipts

import (
	"errors"
	"fmt"

	"alojamientos/internal/booking"
)

// Errors a guest or an owner caused; Message says each in Spanish.
var (
	// ErrEmpty: the file has no bytes.
	ErrEmpty = errors.New("receipts: empty file")
	// ErrTooBig: the file is over MaxBytes.
	ErrTooBig = errors.New("receipts: file too big")
	// ErrType: the content is not a PDF, JPEG, PNG or WebP, whatever its name says.
	ErrType = errors.New("receipts: not a PDF, JPEG, PNG or WebP")
	// ErrPixels: an image declares more than MaxPixels.
	ErrPixels = errors.New("receipts: image too large")
	// ErrActive: a PDF with active content (JavaScript, launch actions, attached files, XFA) or encrypted.
	ErrActive = errors.New("receipts: PDF with active content or encrypted")
	// ErrTooMany: the reservation has MaxPerReservation receipts already.
	ErrTooMany = errors.New("receipts: too many receipts for the reservation")
	// ErrCancelled: the reservation is cancelled.
	ErrCancelled = errors.New("receipts: reservation cancelled")
	// ErrPaid: the reservation is paid in full.
	ErrPaid = errors.New("receipts: reservation fully paid")
	// ErrReviewed: the receipt was confirmed or rejected already.
	ErrReviewed = errors.New("receipts: receipt already reviewed")
	// ErrReasonRequired: a rejection without a reason.
	ErrReasonRequired = errors.New("receipts: rejection reason required")
	// ErrReasonTooLong: a rejection reason over MaxReasonLen characters.
	ErrReasonTooLong = errors.New("receipts: rejection reason too long")
)

var messages = map[error]string{
	ErrEmpty:          "El archivo está vacío: subí el comprobante de nuevo.",
	ErrTooBig:         "El comprobante supera los 10 MB.",
	ErrType:           "Subí el comprobante como PDF, JPG, PNG o WebP.",
	ErrPixels:         "La imagen es demasiado grande: mandá una captura de pantalla o una foto común del comprobante.",
	ErrActive:         "Ese PDF tiene contenido activo o está protegido con contraseña: mandá el comprobante como imagen o como un PDF común.",
	ErrTooMany:        fmt.Sprintf("Ya recibimos %d comprobantes para esta reserva: el anfitrión los va a revisar.", MaxPerReservation),
	ErrCancelled:      "La reserva está cancelada: no hace falta mandar un comprobante.",
	ErrPaid:           "La reserva ya está paga: no hace falta mandar otro comprobante.",
	ErrReviewed:       "Este comprobante ya fue revisado.",
	ErrReasonRequired: "Escribí por qué rechazás el comprobante: se lo contamos al huésped.",
	ErrReasonTooLong:  fmt.Sprintf("El motivo es demasiado largo (máximo %d caracteres).", MaxReasonLen),
}

// Refused reports whether err is a refusal the user caused (one of the
// errors above, booking's *ValidationError for a confirmed amount, or its
// *TransitionError for a payment on a cancelled reservation), which
// Message says in Spanish; anything else is the server's failure.
func Refused(err error) bool {
	var ve *booking.ValidationError
	var te *booking.TransitionError
	if errors.As(err, &ve) || errors.As(err, &te) {
		return true
	}
	for e := range messages {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Message is the Spanish sentence for a refusal, ready to show a guest or an
// owner; a generic one for anything else.
func Message(err error) string {
	for e, m := range messages {
		if errors.Is(err, e) {
			return m
		}
	}
	var ve *booking.ValidationError
	if errors.As(err, &ve) {
		for _, k := range []string{"amount", "note", "method"} {
			if m, ok := ve.Fields[k]; ok {
				return m
			}
		}
		for _, m := range ve.Fields {
			return m
		}
	}
	var te *booking.TransitionError
	if errors.As(err, &te) {
		return "La reserva está cancelada: no se puede registrar el pago del comprobante."
	}
	if errors.Is(err, booking.ErrNotFound) {
		return "No encontramos esa reserva o ese comprobante."
	}
	return "No pudimos guardar el comprobante. Probá de nuevo en un rato."
}
