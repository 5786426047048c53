package booking

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// ActionGuestUpdate names an edit of the guest's details in the audit log.
const ActionGuestUpdate = "guest_updated"

// GuestUpdate is the guest's details as the owner typed them in the dashboard.
type GuestUpdate struct {
	ReservationID int64
	AccountID     int64
	Name          string
	Phone         string
	Email         string
	Note          string
	Guests        int
	Actor         string
}

// UpdateGuest validates and stores the guest's details (name, phone in
// E.164, email, note, number of guests), with an audit entry naming what
// changed. A new number of guests must fit the property and re-prices the stay
// through Price (the extra-guest fee), so it is only accepted while the
// reservation is pre-reserved or confirmed. Nothing changed writes nothing.
func (s *Service) UpdateGuest(ctx context.Context, u GuestUpdate) (Reservation, error) {
	var verr ValidationError
	u.normalize(&verr)
	now := s.Clock.Now().UTC()
	var out dbq.Reservation
	err := s.inTx(ctx, func(tx db.Tx) error {
		var err error
		out, err = s.storeGuest(ctx, db.Q(tx), u, &verr, now)
		return err
	})
	var ve *ValidationError
	switch {
	case err == nil:
	case errors.Is(err, ErrNotFound), errors.As(err, &ve):
		return Reservation{}, err
	default:
		return Reservation{}, fmt.Errorf("booking: update guest of reservation %d: %w", u.ReservationID, err)
	}
	return fromRow(out), nil
}

// normalize trims and normalizes what the owner typed (the phone to E.164,
// the email to lower case) and adds to verr what is wrong with it. Every
// field is checked before the database is read, so the form shows all its
// errors at once.
func (u *GuestUpdate) normalize(verr *ValidationError) {
	u.Name = strings.TrimSpace(u.Name)
	if n := utf8.RuneCountInString(u.Name); n < 2 || n > 120 {
		verr.add("guest_name", "Escribí el nombre del huésped (entre 2 y 120 caracteres).")
	}
	if phone, err := NormalizePhone(u.Phone); err != nil {
		verr.add("guest_phone", "Teléfono inválido: escribilo con código de área, por ejemplo 11 5555-1234 o +54 9 11 5555 1234.")
	} else {
		u.Phone = phone
	}
	u.Email = strings.TrimSpace(u.Email)
	if u.Email != "" {
		email, ok := NormalizeEmail(u.Email)
		if !ok {
			verr.add("guest_email", "Email inválido.")
		}
		u.Email = email
	}
	u.Note = strings.TrimSpace(u.Note)
	if utf8.RuneCountInString(u.Note) > 2000 {
		verr.add("note", "La nota es demasiado larga (máximo 2000 caracteres).")
	}
	if u.Guests < 1 {
		verr.add("guests", "Tiene que haber al menos un huésped.")
	}
}

// storeGuest is UpdateGuest's transaction: it locks the reservation,
// re-prices a new number of guests, and stores and audits what changed. The
// errors normalize found are returned only now, with any about the guest
// count, so the form shows them together. Nothing changed is cur, unwritten.
func (s *Service) storeGuest(ctx context.Context, q *dbq.Queries, u GuestUpdate, verr *ValidationError, now time.Time) (dbq.Reservation, error) {
	cur, err := lockReservation(ctx, q, u.ReservationID, u.AccountID)
	if err != nil {
		return dbq.Reservation{}, err
	}
	params := dbq.SetReservationGuestParams{
		GuestName: u.Name, GuestPhone: u.Phone, GuestEmail: u.Email, Note: u.Note, Guests: int32(u.Guests),
		Total: cur.Total, Deposit: cur.Deposit, PriceBreakdown: cur.PriceBreakdown, Now: now, ID: cur.ID,
	}
	if _, bad := verr.Fields["guests"]; !bad && u.Guests != int(cur.Guests) {
		if !Changeable(Status(cur.Status)) {
			verr.add("guests", "La cantidad de huéspedes solo se puede cambiar antes de la llegada.")
		} else if err := s.repriceGuests(ctx, cur, u.Guests, &params, verr); err != nil {
			return dbq.Reservation{}, err
		}
	}
	if err := verr.orNil(); err != nil {
		return dbq.Reservation{}, err
	}
	changes := guestChanges(cur, u, params)
	if len(changes) == 0 {
		return cur, nil
	}
	out, err := q.SetReservationGuest(ctx, params)
	if err != nil {
		return dbq.Reservation{}, err
	}
	return out, audit(ctx, q, cur, u.Actor, ActionGuestUpdate, map[string]any{"changes": changes}, now)
}

// fieldChange is one field of a guest update in the audit log.
type fieldChange struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// guestChanges names the fields whose values u (and the price in params)
// change on cur; empty when the owner saved the form untouched.
func guestChanges(cur dbq.Reservation, u GuestUpdate, params dbq.SetReservationGuestParams) map[string]fieldChange {
	changes := map[string]fieldChange{}
	for _, f := range []struct {
		name     string
		from, to any
	}{
		{"guest_name", cur.GuestName, u.Name}, {"guest_phone", cur.GuestPhone, u.Phone},
		{"guest_email", cur.GuestEmail, u.Email}, {"note", cur.Note, u.Note}, {"guests", int(cur.Guests), u.Guests},
		{"total", cur.Total.String(), params.Total.String()},
	} {
		if f.from != f.to {
			changes[f.name] = fieldChange{f.from, f.to}
		}
	}
	return changes
}

// repriceGuests prices the reservation's stay for guests and puts the new
// price in params; a stay the rules refuse for that many guests is a field
// error on guests.
func (s *Service) repriceGuests(ctx context.Context, cur dbq.Reservation, guests int, params *dbq.SetReservationGuestParams, verr *ValidationError) error {
	p, err := s.LoadProperty(ctx, cur.PropertyID)
	if err != nil {
		return err
	}
	if p.Rules.Currency != cur.Currency {
		verr.add("guests", currencyChangeMessage(p.Rules.Currency, cur.Currency))
		return nil
	}
	q, err := Price(p.Rules, p.Seasons, cur.CheckIn, cur.CheckOut, guests)
	var qerr *ValidationError
	if errors.As(err, &qerr) {
		if msg, ok := qerr.Fields["guests"]; ok {
			verr.add("guests", msg)
		} else {
			for _, msg := range qerr.Fields {
				verr.add("guests", "No se puede recalcular el precio con las reglas actuales: "+msg)
				break
			}
		}
		return nil
	}
	if err != nil {
		return err
	}
	price, err := encodePrice(q)
	if err != nil {
		return err
	}
	params.Total, params.Deposit, params.PriceBreakdown = q.Total, q.Deposit, price
	return nil
}
