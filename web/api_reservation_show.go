package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

type reservationJSON struct {
	Code          string      `json:"code"`
	Status        string      `json:"status"`
	PropertyID    int64       `json:"property_id"`
	PropertyName  string      `json:"property_name"`
	CheckIn       string      `json:"check_in"`
	CheckOut      string      `json:"check_out"`
	Nights        int         `json:"nights"`
	Guests        int         `json:"guests"`
	GuestName     string      `json:"guest_name"`
	ExpiresAt     *string     `json:"expires_at"`
	TotalPrice    money.Money `json:"total_price"`
	DepositAmount money.Money `json:"deposit_amount"`
	Paid          money.Money `json:"paid"`
	Currency      string      `json:"currency"`
	GuestURL      string      `json:"guest_url"`
}

// guestReservation loads a reservation by code for its guest. A wrong or
// missing token is the same 404 as an unknown code, so codes can't be probed.
func (s *Server) guestReservation(c echo.Context) (booking.Reservation, error) {
	r, err := s.booking.Get(c.Request().Context(), c.Param("code"))
	if errors.Is(err, booking.ErrNotFound) {
		return r, &apiError{Status: http.StatusNotFound, Code: "not_found"}
	}
	if err != nil {
		return r, err
	}
	if subtle.ConstantTimeCompare([]byte(c.QueryParam("t")), []byte(r.GuestToken)) != 1 {
		return booking.Reservation{}, &apiError{Status: http.StatusNotFound, Code: "not_found"}
	}
	return r, nil
}

func (s *Server) apiReservationShow(c echo.Context) error {
	r, err := s.guestReservation(c)
	if err != nil {
		return err
	}
	out := reservationJSON{
		Code: r.Code, Status: string(r.Status), PropertyID: r.PropertyID, PropertyName: r.PropertyName,
		CheckIn: booking.FormatDate(r.CheckIn), CheckOut: booking.FormatDate(r.CheckOut), Nights: r.Nights(),
		Guests: r.Guests, GuestName: r.GuestName, TotalPrice: r.Total, DepositAmount: r.Deposit, Paid: r.Paid,
		Currency: r.Currency, GuestURL: s.guestURL(r),
	}
	if r.Status == booking.StatusPreReserved && r.HoldExpiresAt != nil {
		e := r.HoldExpiresAt.UTC().Format(time.RFC3339)
		out.ExpiresAt = &e
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, http.StatusOK, out)
}
