package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	resviews "alojamientos/views/reservations"
)

// reservationCancel ends a hold or a confirmed stay through booking.Cancel:
// the nights are freed at once and, for who the owner says cancels (the
// guest: the frozen terms; the host: everything back, and the seña once
// more under seña penitencial), the refunds are written: Mercado Pago's as
// jobs, the rest owed by transfer. The reason is required; the owner may
// give back more than the terms, and less only saying why.
func (s *Server) reservationCancel(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	if refused, err := s.refuseIfNotAllowed(c, row, booking.ActionCancel); refused {
		return err
	}
	u := currentUser(c)
	by := cancelParty(c.FormValue("by"))
	preview, err := s.cancelPreview(c, row, by)
	if err != nil {
		return err
	}
	reason, msg := booking.CheckNote(booking.ActionCancel, c.FormValue("reason"))
	refundText := strings.TrimSpace(c.FormValue("refund"))
	var refund *money.Money
	if u.IsOwner() && refundText != "" {
		m, perr := money.ParseInput(refundText)
		switch {
		case c.FormValue("refund_for") != string(by):
			// The amount was computed for the other party (the choice changed
			// without the form redrawing it): never take it as the decision.
			preview.RefundError, refundText = "Cambió quién cancela: revisá el monto a devolver, ya recalculado, y confirmá.", ""
		case perr != nil:
			preview.RefundError = "Monto inválido: escribilo como 12.345,67."
		case msg != "" && m < moneyOf(preview.Refund):
			msg = "Para devolver menos de lo que dan las condiciones, escribí por qué."
		}
		refund = &m
	}
	if msg == "" && preview.RefundError == "" {
		out, err := s.booking.Cancel(c.Request().Context(), booking.CancelRequest{ReservationID: row.Reservation.ID,
			AccountID: u.AccountID, By: by, Actor: reservationActor(c), UserID: &u.ID, Refund: refund, Note: reason})
		var verr *booking.ValidationError
		var terr *booking.TransitionError
		switch {
		case err == nil:
			setFlash(c, transitionDone[booking.ActionCancel]+refundsDone(out))
			return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
		case errors.As(err, &terr):
			setFlash(c, resviews.RefusedAction(string(booking.ActionCancel), string(terr.From)))
			return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code))
		case errors.As(err, &verr):
			msg, preview.RefundError = verr.Fields["reason"], verr.Fields["refund"]
		default:
			return err
		}
	}
	return s.cancelRefused(c, row, resviews.CancelForm{By: string(by), Reason: reason, Error: msg}, preview, refundText)
}

// cancelRefused draws the page again with the cancel form as it was sent
// and its errors beside their fields (422): nothing changed.
func (s *Server) cancelRefused(c echo.Context, row dbq.AdminGetReservationRow, form resviews.CancelForm,
	preview resviews.CancelPreview, refundText string) error {
	vm, err := s.reservationDetail(c, row)
	if err != nil {
		return err
	}
	if preview.CanEdit && refundText != "" {
		preview.Refund = refundText
	}
	form.Preview = preview
	vm.Cancel = form
	return s.renderReservation(c, http.StatusUnprocessableEntity, vm)
}

// moneyOf reads back an amount the page wrote ("6.000,00").
func moneyOf(display string) money.Money {
	m, _ := money.ParseInput(display)
	return m
}

// refundsDone tells the owner, after a cancellation, what goes back and how:
// Mercado Pago's refunds are on their way, the rest is the owner's to give.
func refundsDone(out booking.Cancelled) string {
	var mp, owed []string
	for _, p := range out.Refunds {
		a := format.Amount(money.In(p.Amount, p.Currency))
		if p.Method == booking.MethodMercadoPago {
			mp = append(mp, a)
		} else {
			owed = append(owed, a)
		}
	}
	s := ""
	if len(mp) > 0 {
		s += " Mercado Pago devuelve " + strings.Join(mp, " y ") + " en unos minutos."
	}
	if len(owed) > 0 {
		s += " Quedan para devolver por transferencia " + strings.Join(owed, " y ") +
			": cuando las hagas, marcalas como devueltas en Devoluciones."
	}
	return s
}
