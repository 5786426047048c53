package booking

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"alojamientos/db"
	"alojamientos/internal/money"
)

// The "Botón de arrepentimiento" as a request from anyone on the internet:
// a reservation code and the phone or e-mail used for the booking. Someone
// who has only the code learns nothing: an unknown code and a contact that
// does not match are the same ErrNoWithdrawalMatch.

var (
	// ErrNoWithdrawalMatch: no reservation with that code and that contact.
	ErrNoWithdrawalMatch = errors.New("booking: no reservation with that code and contact")
	// ErrNothingToWithdraw: the stay matched, but it is already cancelled
	// (not withdrawn), expired, started or over.
	ErrNothingToWithdraw = errors.New("booking: nothing to withdraw")
)

// Limits of the withdrawal form's fields.
const (
	maxWithdrawalCode    = 40
	maxWithdrawalContact = 254
)

// WithdrawRequest is what the withdrawal form sends.
type WithdrawRequest struct {
	Code    string
	Contact string // the phone or e-mail used for the booking
	// ClientNet is the network the request came from (kept as proof).
	ClientNet string
}

// Withdrawn is the answer to a withdrawal: its code and what goes back,
// and nothing else about the stay.
type Withdrawn struct {
	Code     string
	Refund   money.Money
	Currency string
	InTime   bool
	// Rule says in Spanish why the refund is what it is.
	Rule string
	// Again is true when the stay had been withdrawn before (the first code).
	Again bool
}

// Withdraw carries out a withdrawal asked with the reservation's code and
// contact: a held or confirmed stay is cancelled by PartyWithdrawal (Cancel:
// everything back within the legal window, the frozen terms after it) and a
// stay withdrawn before answers its first code. Errors: *ValidationError
// (fields "code", "contact"), ErrNoWithdrawalMatch, ErrNothingToWithdraw.
func (s *Service) Withdraw(ctx context.Context, req WithdrawRequest) (Withdrawn, error) {
	code, contact, err := checkWithdrawRequest(req)
	if err != nil {
		return Withdrawn{}, err
	}
	r, err := s.Get(ctx, code)
	if errors.Is(err, ErrNotFound) || (err == nil && !contactMatches(r, contact)) {
		return Withdrawn{}, ErrNoWithdrawalMatch
	}
	if err != nil {
		return Withdrawn{}, err
	}
	if w, err := s.earlierWithdrawal(ctx, r.ID); err == nil || !errors.Is(err, ErrNotFound) {
		return w, err
	}
	if r.Status != StatusPreReserved && r.Status != StatusConfirmed {
		return Withdrawn{}, ErrNothingToWithdraw
	}
	out, err := s.Cancel(ctx, CancelRequest{ReservationID: r.ID, By: PartyWithdrawal, Actor: "withdrawal",
		Contact: contact, ClientNet: req.ClientNet})
	var terr *TransitionError
	if errors.As(err, &terr) {
		// Another request cancelled it a moment ago: the same answer if that
		// was a withdrawal too, else nothing is left to withdraw.
		if w, err := s.earlierWithdrawal(ctx, r.ID); !errors.Is(err, ErrNotFound) {
			return w, err
		}
		return Withdrawn{}, ErrNothingToWithdraw
	}
	if err != nil {
		return Withdrawn{}, err
	}
	return Withdrawn{Code: out.WithdrawalCode, Refund: out.Refund, Currency: out.Settlement.Currency,
		InTime: out.Settlement.Withdrawal.InTime, Rule: out.Settlement.Rule}, nil
}

// checkWithdrawRequest trims and checks the form's fields: the code in
// capitals, the contact as stored (E.164 phone or lower-case e-mail).
func checkWithdrawRequest(req WithdrawRequest) (string, string, error) {
	var verr ValidationError
	code := strings.ToUpper(strings.Join(strings.Fields(req.Code), ""))
	switch {
	case code == "":
		verr.add("code", "Escribí el código de tu reserva (empieza con RES).")
	case utf8.RuneCountInString(code) > maxWithdrawalCode || !alnum(code):
		verr.add("code", "El código de reserva tiene solo letras y números, como RES251008CC8EA0.")
	}
	contact := strings.TrimSpace(req.Contact)
	switch {
	case contact == "":
		verr.add("contact", "Escribí el teléfono o el e-mail con el que reservaste.")
	case len(contact) > maxWithdrawalContact:
		verr.add("contact", "Ese teléfono o e-mail es demasiado largo.")
	case strings.Contains(contact, "@"):
		email, ok := NormalizeEmail(contact)
		if !ok {
			verr.add("contact", "Ese e-mail no parece válido. Revisalo.")
		}
		contact = email
	default:
		phone, err := NormalizePhone(contact)
		if err != nil {
			verr.add("contact", "Ese teléfono no parece válido. Escribilo con código de área, por ejemplo 11 5555-1234.")
		}
		contact = phone
	}
	return code, contact, verr.orNil()
}

func alnum(s string) bool {
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// contactMatches compares the contact (already normalised) with the
// booking's: the phone in E.164, the e-mail without regard to case.
func contactMatches(r Reservation, contact string) bool {
	if strings.Contains(contact, "@") {
		return r.GuestEmail != "" && strings.EqualFold(strings.TrimSpace(r.GuestEmail), contact)
	}
	stored, err := NormalizePhone(r.GuestPhone)
	return err == nil && stored == contact
}

// earlierWithdrawal is the answer given to the stay's first withdrawal, or
// ErrNotFound when it has none.
func (s *Service) earlierWithdrawal(ctx context.Context, reservationID int64) (Withdrawn, error) {
	q := db.Q(s.DB)
	w, err := q.GetWithdrawal(ctx, reservationID)
	if errors.Is(err, db.ErrNotFound) {
		return Withdrawn{}, ErrNotFound
	}
	if err != nil {
		return Withdrawn{}, fmt.Errorf("booking: withdrawal of reservation %d: %w", reservationID, err)
	}
	c, err := q.GetCancellation(ctx, reservationID)
	if err != nil {
		return Withdrawn{}, fmt.Errorf("booking: cancellation of reservation %d: %w", reservationID, err)
	}
	return Withdrawn{Code: w.Code, Refund: c.Refund, Currency: c.Currency, InTime: w.InTime, Rule: c.Rule, Again: true}, nil
}
