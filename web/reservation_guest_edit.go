package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

// reservationGuestEdit saves the guest's name, phone, email, note and number
// of guests. A refused value comes back beside its field with what was typed.
func (s *Server) reservationGuestEdit(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	form := struct{ name, phone, email, note, guests string }{
		c.FormValue("guest_name"), c.FormValue("guest_phone"), c.FormValue("guest_email"), c.FormValue("note"),
		strings.TrimSpace(c.FormValue("guests")),
	}
	guests, convErr := strconv.Atoi(form.guests)
	if convErr != nil {
		guests = -1 // reported below together with the other fields
	}
	_, err = s.booking.UpdateGuest(c.Request().Context(), booking.GuestUpdate{
		ReservationID: row.Reservation.ID, AccountID: currentUser(c).AccountID, Name: form.name, Phone: form.phone,
		Email: form.email, Note: form.note, Guests: guests, Actor: reservationActor(c),
	})
	var verr *booking.ValidationError
	switch {
	case err == nil:
		setFlash(c, "Datos del huésped guardados.")
		return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
	case errors.As(err, &verr):
	case errors.Is(err, booking.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Code: "not_found"}
	default:
		return err
	}
	vm, err := s.reservationDetail(c, row)
	if err != nil {
		return err
	}
	vm.Guest.Name, vm.Guest.Phone, vm.Guest.Email, vm.Guest.Note, vm.Guest.Guests =
		form.name, form.phone, form.email, form.note, form.guests
	vm.Guest.Errors = verr.Fields
	if convErr != nil {
		vm.Guest.Errors["guests"] = "Escribí la cantidad de huéspedes con números."
	}
	return s.renderReservation(c, http.StatusUnprocessableEntity, vm)
}
