package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/views/calendar"
)

// calTakenMsg is what the form says when the constraint refused the nights.
const calTakenMsg = "Esas noches ya están ocupadas. Elegí otras fechas."

var calReservationFields = []string{"property_id", "check_in", "check_out", "guests", "guest_name", "guest_phone",
	"guest_email", "channel", "note", "confirm_note"}

// reservationCreate takes a reservation by phone or in person through the
// same booking core as the API (a hold), and confirms it at once when the
// owner says the deposit was paid in cash or by transfer.
func (s *Server) reservationCreate(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	vm := calReadForm(c)
	if _, err := s.calFormFill(c, &vm); err != nil {
		return err
	}
	vm.Back = calBack(vm.Back, calendarPath)
	fields := map[string]string{}
	if vm.Channel != "phone" && vm.Channel != "walk_in" {
		fields["channel"] = "Elegí si la reserva es por teléfono o en persona."
	}
	if _, msg := booking.CheckNote(booking.ActionConfirm, vm.ConfirmNote); msg != "" {
		fields["confirm_note"] = msg
	}
	propertyID, _ := strconv.ParseInt(vm.PropertyID, 10, 64)
	guests, _ := strconv.Atoi(vm.Guests)
	actor := "user:" + strconv.FormatInt(u.ID, 10)
	req := booking.HoldRequest{
		PropertyID: propertyID, CheckIn: vm.CheckIn, CheckOut: vm.CheckOut, Guests: guests, GuestName: vm.GuestName,
		GuestPhone: vm.GuestPhone, GuestEmail: vm.GuestEmail, Note: vm.Note, Channel: vm.Channel, Actor: actor,
	}
	var hold booking.Hold
	var err error
	if len(fields) == 0 {
		hold, err = s.booking.PlaceHold(ctx, req)
	} else {
		// Check everything else too, so every problem shows at once.
		_, _, err = s.booking.ValidateHold(ctx, &req)
		if err == nil {
			err = &booking.ValidationError{}
		}
	}
	var verr *booking.ValidationError
	switch {
	case errors.As(err, &verr):
		for k, v := range verr.Fields {
			fields[k] = v
		}
		calShowErrors(&vm, fields, calReservationFields, nil)
		return s.render(c, http.StatusUnprocessableEntity, calendar.NewPage(s.adminPage(c, "Bloquear o reservar", "calendario"), vm))
	case errors.Is(err, booking.ErrDateOverlap):
		vm.Error = calTakenMsg
		return s.render(c, http.StatusConflict, calendar.NewPage(s.adminPage(c, "Bloquear o reservar", "calendario"), vm))
	case err != nil:
		return err
	}

	r := hold.Reservation
	msg := "Reserva " + r.Code + " creada para " + r.GuestName + ": queda como pre-reserva hasta que se confirme."
	if vm.Confirm {
		if _, err := s.booking.Transition(ctx, r.ID, booking.ActionConfirm, actor, vm.ConfirmNote); err != nil {
			// The hold stands; the owner can confirm it from its page.
			s.logger(c).Error("confirm phone reservation", "code", r.Code, "error", err)
			msg = "Reserva " + r.Code + " creada, pero no pudimos confirmarla: confirmala desde esta página."
		} else {
			msg = "Reserva " + r.Code + " creada y confirmada para " + r.GuestName + "."
		}
	}
	s.logger(c).Info("phone reservation", "code", r.Code, "channel", r.Channel, "confirmed", vm.Confirm)
	setFlash(c, msg)
	return c.Redirect(http.StatusSeeOther, "/admin/reservations/"+r.Code)
}
