package booking

import (
	"crypto/rand"
	"time"

	"alojamientos/internal/format"
)

// The legal withdrawal ("derecho de revocación", the "Botón de
// arrepentimiento"), in one place:
//
//   - Código Civil y Comercial, art. 1110: a consumer may revoke a contract
//     made at a distance within ten days counted from its making, at no cost
//     (arts. 1113, 1115); a deadline that ends on a non-working day moves to
//     the next working day. Art. 6: days are calendar days, the day of the
//     making is left out, and a term ends "a la hora veinticuatro", so a booking made on a
//     Monday may be revoked until the end of the Thursday of the next week.
//   - Ley 24.240, art. 34: the same right (ten calendar days) in the
//     consumer protection law.
//   - Disposición 954/2025 of the Subsecretaría de Defensa del Consumidor y
//     Lealtad Comercial (B.O. 04/09/2025, which repealed Resoluciones
//     316/2018 and 424/2020): the button on the first page, no sign-in, a
//     withdrawal code within 24 hours; for tourist services with a fixed date
//     ("locaciones hoteleras o de inmuebles") the consumer must give notice at
//     least 24 hours before the service starts, which we read as the check-in
//     time on the day of arrival (the reading most favourable to the guest,
//     CCyC art. 1094).
//
// Weekends count as non-working days; national holidays are not known to
// the program, so a deadline on a holiday is not extended (docs/cancellations.md).
const (
	WithdrawalDays       = 10
	WithdrawalNoticeTime = 24 * time.Hour
)

// WithdrawalWindow is when a booking may still be revoked at no cost.
type WithdrawalWindow struct {
	// TenDays is the end of the tenth calendar day after booking (moved past
	// a weekend), local time: its last instant, 23:59:59.999999999.
	TenDays time.Time
	// BeforeStay is 24 hours before the check-in time on the day of arrival.
	BeforeStay time.Time
	// Deadline is the earlier of the two; InTime whether the request came by it.
	Deadline time.Time
	InTime   bool
	// Reason says in Spanish which deadline passed ("" when in time).
	Reason string
}

// Withdrawal computes the window of a booking made at bookedAt for a stay
// arriving on checkIn (a civil date) at checkInTime ("HH:MM") in loc, and
// whether a request at is within it.
func Withdrawal(bookedAt, checkIn time.Time, checkInTime string, loc *time.Location, at time.Time) WithdrawalWindow {
	if loc == nil {
		loc = time.UTC
	}
	d := LocalDate(bookedAt, loc).AddDate(0, 0, WithdrawalDays)
	switch d.Weekday() {
	case time.Saturday:
		d = d.AddDate(0, 0, 2)
	case time.Sunday:
		d = d.AddDate(0, 0, 1)
	}
	// The tenth day ends at midnight: the last instant before the next day
	// starts (23:59:59.999999999), so a request at 23:59:59.5 is in time.
	w := WithdrawalWindow{TenDays: time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc).Add(-time.Nanosecond)}
	h, m := clock(checkInTime)
	arrive := time.Date(checkIn.Year(), checkIn.Month(), checkIn.Day(), h, m, 0, 0, loc)
	w.BeforeStay = arrive.Add(-WithdrawalNoticeTime)
	w.Deadline = w.TenDays
	if w.BeforeStay.Before(w.Deadline) {
		w.Deadline = w.BeforeStay
	}
	w.InTime = !at.After(w.Deadline)
	switch {
	case w.InTime:
	case at.After(w.BeforeStay):
		w.Reason = "faltan menos de 24 horas para la llegada"
	default:
		w.Reason = "pasaron más de 10 días corridos desde la reserva (vencía el " + format.DateAt(w.TenDays, loc) + ")"
	}
	return w
}

// clock reads "HH:MM" (the schema checks the form); anything else is 14:00.
func clock(s string) (int, int) {
	if len(s) != 5 || s[2] != ':' {
		return 14, 0
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return 14, 0
	}
	return h, m
}

// NewWithdrawalCode draws the code a withdrawal answers with at once:
// "ARR-" and eight characters without look-alikes.
func NewWithdrawalCode() string {
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "ARR-" + string(b)
}
