package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/views/guest"
)

// guestHold takes the nights from the booking box's form through the same
// booking core as the API, then sends the guest to their reservation page.
func (s *Server) guestHold(c echo.Context) error {
	row, p, err := s.publicProperty(c)
	if err != nil {
		return err
	}
	form := guest.HoldForm{Name: c.FormValue("guest_name"), Phone: c.FormValue("guest_phone"),
		Email: c.FormValue("guest_email"), Note: c.FormValue("note"), Method: c.FormValue("payment_method"),
		AcceptTerms: acceptedTerms(c)}
	st := readWidgetState(c.FormValue, p, s.booking.Today(p))
	req := booking.HoldRequest{
		PropertyID: p.ID, CheckIn: c.FormValue("check_in"), CheckOut: c.FormValue("check_out"), Guests: st.guests,
		GuestName: form.Name, GuestPhone: form.Phone, GuestEmail: form.Email, Note: form.Note, Channel: "web",
		Actor: "guest", ClientNet: clientNet(c), PaymentMethod: form.Method, AcceptedTerms: form.AcceptTerms,
	}
	ctx := c.Request().Context()
	status, notice := http.StatusOK, ""
	pp, q, err := s.booking.ValidateHold(ctx, &req)
	err = requireTerms(c, err)
	if st.badGuests {
		// Never a silent default: the guest says how many they are.
		verr := &booking.ValidationError{Fields: map[string]string{"guests": guestsMessage(p)}}
		var other *booking.ValidationError
		if errors.As(err, &other) {
			for k, v := range other.Fields {
				if k != "guests" {
					verr.Fields[k] = v
				}
			}
		}
		err = verr
	}
	if err == nil {
		var h booking.Hold
		// A twin request in flight: wait (a second at most) for its outcome, so
		// the guest learns the truth — the nights taken, or free again if the
		// other attempt failed — instead of "busy".
		h, err = s.takeNights(c, pp, q, req, time.Second)
		if err == nil {
			target := booking.GuestPath(h.Reservation.Code, h.Reservation.GuestToken)
			if isHTMX(c) {
				c.Response().Header().Set("HX-Redirect", target)
				return c.NoContent(http.StatusOK)
			}
			return c.Redirect(http.StatusSeeOther, target)
		}
	}
	var verr *booking.ValidationError
	switch {
	case holdLimitError(c, err) != nil:
		status, notice = http.StatusTooManyRequests, holdLimitMessage
	case errors.As(err, &verr):
		status, form.Errors = http.StatusUnprocessableEntity, verr.Fields
	case errors.Is(err, booking.ErrDateOverlap), errors.Is(err, booking.ErrBusy):
		// Someone else got these nights first: show the calendar as it is now
		// and let the guest pick again, keeping what they typed.
		status = http.StatusConflict
		notice = "Esas noches se acaban de ocupar. Elegí otras fechas en el calendario."
		st.checkIn, st.checkOut = time.Time{}, time.Time{}
	default:
		return err
	}
	w, err := s.buildWidget(ctx, c, p, st, form, notice)
	if err != nil {
		return err
	}
	if isHTMX(c) {
		// The notice opens the box, far above the button just pressed (on a
		// phone, a screen or more), and the cancellation terms stand between
		// the guest's fields and the button: bring the notice, or the first
		// field in error (scroll-margin keeps its label in view), into view.
		if notice != "" {
			c.Response().Header().Set("HX-Reswap", "outerHTML show:#aviso:top")
		} else if len(form.Errors) > 0 {
			c.Response().Header().Set("HX-Reswap", "outerHTML show:[aria-invalid=true]:top")
		}
		// htmx swaps only 2xx answers by default, so the refusal travels as 200 to it.
		return s.render(c, http.StatusOK, guest.Widget(w))
	}
	return s.render(c, status, guest.Property(s.propertyView(c, row, w)))
}
