package booking

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"alojamientos/internal/money"
)

// Who may pay what, and when: the rules the dashboard, the guest's page,
// Mercado Pago and WhatsApp all ask here instead of writing them again.

// HoldLive reports whether a hold still keeps its nights at now: pre-reserved
// and its time not over. Past its time but not yet swept, it is over.
func HoldLive(st Status, expires *time.Time, now time.Time) bool {
	return st == StatusPreReserved && expires != nil && expires.After(now)
}

// GuestCanPay reports whether the guest may pay the deposit online (the
// Mercado Pago link): a live hold with a deposit to pay.
func GuestCanPay(st Status, expires *time.Time, deposit money.Money, now time.Time) bool {
	return HoldLive(st, expires, now) && deposit > 0
}

// CanPay reports whether a payment may still be taken for a reservation: it
// is not cancelled and something is left to pay.
func CanPay(st Status, total, paid money.Money) bool {
	return st != StatusCancelled && paid < total
}

// BalanceLinkable reports whether the owner may send a link for the balance:
// a stay still on (held, confirmed or checked in) with something left to pay.
func BalanceLinkable(st Status, total, paid money.Money) bool {
	switch st {
	case StatusPreReserved, StatusConfirmed, StatusCheckedIn:
		return CanPay(st, total, paid)
	}
	return false
}

// DepositCovered reports whether what was paid reaches the deposit (with
// something paid: nothing does not cover a deposit of nothing). For a hold,
// confirming is then the next step.
func DepositCovered(deposit, paid money.Money) bool {
	return paid > 0 && paid >= deposit
}

// MaxNoteLen is the longest note or reason kept with a change, in characters.
const MaxNoteLen = 500

// CheckNote tidies the note written with an action (a cancellation's reason,
// a confirmation's note) and says in Spanish why it is refused, or "". A
// cancellation needs its reason; any note is at most MaxNoteLen characters.
func CheckNote(action Action, s string) (string, string) {
	note := strings.TrimSpace(s)
	n := utf8.RuneCountInString(note)
	switch {
	case action == ActionCancel && n == 0:
		return note, "Escribí el motivo de la cancelación."
	case action == ActionCancel && n > MaxNoteLen:
		return note, fmt.Sprintf("El motivo es demasiado largo (máximo %d caracteres).", MaxNoteLen)
	case n > MaxNoteLen:
		return note, fmt.Sprintf("La nota es demasiado larga (máximo %d caracteres).", MaxNoteLen)
	}
	return note, ""
}
