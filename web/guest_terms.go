package web

import (
	"context"
	"errors"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/guest"
)

// acceptTermsMessage refuses a web hold whose guest did not tick the box.
const acceptTermsMessage = "Para reservar, leé las condiciones de cancelación y marcá «Leí y acepto»."

// termsOf is a policy as the guest reads it before booking.
func termsOf(p booking.Policy) guest.TermsView {
	return guest.TermsView{Name: p.Name(), Text: p.Text(), Version: p.Version}
}

// acceptedTerms reports whether the booking form's box was ticked.
func acceptedTerms(c echo.Context) bool { return c.FormValue("accept_terms") == "true" }

// requireTerms adds the accept_terms field error to what ValidateHold said
// when the box is not ticked: the web booking form holds nothing without
// the guest's acceptance. (The public API does not ask for it: its clients
// show the terms, which every answer carries, themselves.)
func requireTerms(c echo.Context, err error) error {
	if acceptedTerms(c) {
		return err
	}
	verr := &booking.ValidationError{Fields: map[string]string{"accept_terms": acceptTermsMessage}}
	var other *booking.ValidationError
	switch {
	case errors.As(err, &other):
		for k, v := range other.Fields {
			verr.Fields[k] = v
		}
	case err != nil:
		return err
	}
	return verr
}

// reservationTerms is the guest page's "Condiciones de cancelación": the
// policy frozen on the booking and, while the booking is live, what
// cancelling today would give back, from the one computation
// (Service.PreviewCancel). nil for a stay without frozen terms.
func (s *Server) reservationTerms(ctx context.Context, r booking.Reservation, live bool) (*guest.TermsView, error) {
	if r.Policy == nil {
		return nil, nil
	}
	t := termsOf(*r.Policy)
	if !live {
		return &t, nil
	}
	st, err := s.booking.PreviewCancel(ctx, r, booking.PartyGuest)
	if err != nil {
		return nil, err
	}
	amount := func(m money.Money) string { return format.Amount(money.In(m, st.Currency)) }
	switch {
	case st.Paid == 0:
		t.CancelNow = "Todavía no pagaste nada: si cancelás hoy, no hay nada que devolver."
	case st.Owed() == 0:
		t.CancelNow = "Si cancelás hoy, según estas condiciones no te devolvemos nada de lo pagado (" + amount(st.Paid) + ")."
		t.Rule = st.Rule
	default:
		t.CancelNow = "Si cancelás hoy te devolvemos " + amount(st.Owed()) + " de los " + amount(st.Paid) + " pagados."
		t.Rule = st.Rule
	}
	return &t, nil
}
