package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	resviews "alojamientos/views/reservations"
)

// reservationCancelPreview redraws the cancel form's refund part for the
// party the owner picked (htmx, on the choice's change). Asked without
// htmx it sends to the reservation's page.
func (s *Server) reservationCancelPreview(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	c.Response().Header().Add("Vary", "HX-Request")
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code)+"#cancelar")
	}
	p, err := s.cancelPreview(c, row, cancelParty(c.QueryParam("by")))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, resviews.CancelPreviewPart(p))
}

// cancelParty is who cancels as the form says: the host when it says so,
// else the guest (the terms), which is also what a form without the
// choice (a hold cancelled before it existed) meant.
func cancelParty(v string) booking.Party {
	if v == string(booking.PartyHost) {
		return booking.PartyHost
	}
	return booking.PartyGuest
}

// cancelForm is the cancel form as the page first shows it: the guest
// asked, with what the terms give.
func (s *Server) cancelForm(c echo.Context, row dbq.AdminGetReservationRow) (resviews.CancelForm, error) {
	p, err := s.cancelPreview(c, row, booking.PartyGuest)
	return resviews.CancelForm{By: string(booking.PartyGuest), Preview: p}, err
}

// cancelPreview is what a cancellation by party would give now, from
// booking.PreviewCancel (the one computation), with the refund field
// prefilled with it. Only owners may change the amount.
func (s *Server) cancelPreview(c echo.Context, row dbq.AdminGetReservationRow, by booking.Party) (resviews.CancelPreview, error) {
	ctx := c.Request().Context()
	r, err := s.booking.Get(ctx, row.Reservation.Code)
	if err != nil {
		return resviews.CancelPreview{}, fmt.Errorf("web: cancel preview %s: %w", row.Reservation.Code, err)
	}
	set, err := s.booking.PreviewCancel(ctx, r, by)
	if err != nil {
		return resviews.CancelPreview{}, err
	}
	in := func(m money.Money) string { return format.Amount(money.In(m, r.Currency)) }
	p := resviews.CancelPreview{URL: reservationURL(r.Code) + "/cancel/preview", By: string(by), HasPaid: set.Paid > 0,
		Paid: in(set.Paid), Computed: in(set.Refund), Owed: in(set.Owed()), Rule: set.Rule,
		Refund: set.Refund.Display(), CanEdit: currentUser(c).IsOwner(), Currency: format.CurrencyName(r.Currency)}
	if set.Penalty > 0 {
		p.Penalty = in(set.Penalty)
	}
	return p, nil
}
