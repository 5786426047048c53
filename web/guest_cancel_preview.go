package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/guest"
	"alojamientos/views/layout"
)

// guestCancelPreview shows the guest, before anything changes, what
// cancelling now gives back under the terms frozen on the booking
// (booking.PreviewCancel) and how the money returns, with the form that
// confirms it.
func (s *Server) guestCancelPreview(c echo.Context) error {
	r, err := s.guestReservation(c)
	if err != nil {
		return err
	}
	vm, err := s.cancelPage(c, r)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if vm.Closed != "" {
		status = http.StatusConflict
	}
	return s.render(c, status, guest.CancelPage(vm))
}

// guestCancellable says whether the guest may still cancel r here: a live
// hold or a confirmed stay. A hold past its time counts as over, as the
// reservation page shows it.
func (s *Server) guestCancellable(r booking.Reservation) bool {
	return r.Status == booking.StatusConfirmed || booking.HoldLive(r.Status, r.HoldExpiresAt, s.clock.Now())
}

// cancelClosed says why a booking can no longer be cancelled by its guest.
func cancelClosed(st booking.Status) string {
	switch st {
	case booking.StatusCancelled:
		return "Esta reserva ya está cancelada."
	case booking.StatusExpired, booking.StatusPreReserved:
		return "Esta reserva venció: las noches ya se liberaron y no hay nada que cancelar."
	}
	return "La estadía ya empezó o terminó: para cualquier cambio escribile al alojamiento."
}

// cancelPage builds the preview of cancelling r now.
func (s *Server) cancelPage(c echo.Context, r booking.Reservation) (guest.CancelPageView, error) {
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	token := c.QueryParam("t")
	vm := guest.CancelPageView{
		Meta: layout.GuestMeta{Title: "Cancelar tu reserva en " + r.PropertyName, CSRF: csrfToken(c)},
		Code: r.Code, PropertyName: r.PropertyName, Stay: format.Stay(r.CheckIn, r.CheckOut),
		BackURL: booking.GuestPath(r.Code, token),
	}
	if !s.guestCancellable(r) {
		vm.Closed = cancelClosed(r.Status)
		return vm, nil
	}
	ctx := c.Request().Context()
	set, err := s.booking.PreviewCancel(ctx, r, booking.PartyGuest)
	if err != nil {
		return vm, err
	}
	if set.DaysBefore < 0 {
		vm.Closed = cancelClosed(booking.StatusCheckedIn) // booking.Cancel refuses it too
		return vm, nil
	}
	parts, err := s.booking.PreviewRefunds(ctx, r, set.Refund)
	if err != nil {
		return vm, err
	}
	amount := func(m money.Money) string { return format.Amount(money.In(m, set.Currency)) }
	vm.PostURL = booking.GuestPath(r.Code, token, "cancelar")
	vm.Paid, vm.Refund, vm.Kept, vm.Rule = amount(set.Paid), amount(set.Refund), amount(set.Kept), set.Rule
	vm.Expected = set.Refund.String()
	vm.PolicyName, vm.PolicyText = policyTerms(r.Policy)
	for _, p := range parts {
		vm.Parts = append(vm.Parts, guest.RefundLine{Amount: format.Amount(money.In(p.Amount, p.Currency)),
			How: refundHow(p.Method, "") + " (tarda unos días hábiles)"})
	}
	return vm, nil
}

func policyTerms(p *booking.Policy) (name, text string) {
	if p == nil {
		return "", ""
	}
	return p.Name(), p.Text()
}

// refundHow says to the guest how a refund reaches them.
func refundHow(method, reason string) string {
	switch {
	case reason == "penalty":
		return "la seña una vez más, por transferencia del alojamiento"
	case method == booking.MethodMercadoPago:
		return "Mercado Pago, a la tarjeta o cuenta con que pagaste"
	case method == "cash":
		return "en efectivo, del alojamiento"
	}
	return "por transferencia del alojamiento"
}

// refundStatus says where a refund is, in the guest's words.
func refundStatus(status string) string {
	switch status {
	case "pending":
		return "en proceso en Mercado Pago"
	case "owed":
		return "te lo transfiere el alojamiento"
	case "done":
		return "devuelto"
	case "failed":
		return "Mercado Pago no pudo devolverlo: te lo devuelve el alojamiento"
	}
	return status
}

// guestCancelView is the reservation page's cancellation part: the way to
// cancel while the guest may, or what a cancellation decided and where
// each refund is.
func (s *Server) guestCancelView(ctx context.Context, r booking.Reservation, token string) (*guest.CancelView, error) {
	if s.guestCancellable(r) {
		name, text := policyTerms(r.Policy)
		return &guest.CancelView{URL: booking.GuestPath(r.Code, token, "cancelar"), PolicyName: name, PolicyText: text}, nil
	}
	if r.Status != booking.StatusCancelled && r.Status != booking.StatusNoShow {
		return nil, nil
	}
	q := db.Q(s.pool)
	dec, err := q.GetCancellation(ctx, r.ID)
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil // cancelled before decisions were recorded
	}
	if err != nil {
		return nil, fmt.Errorf("web: cancellation of %s: %w", r.Code, err)
	}
	rows, err := q.ListReservationRefunds(ctx, dbq.ListReservationRefundsParams{ReservationID: r.ID, AccountID: dec.AccountID})
	if err != nil {
		return nil, fmt.Errorf("web: refunds of %s: %w", r.Code, err)
	}
	amount := func(m money.Money) string { return format.Amount(money.In(m, dec.Currency)) }
	done := &guest.CancelDone{Paid: amount(dec.Paid), Refund: amount(dec.Refund + dec.Penalty),
		Kept: amount(dec.Paid - dec.Refund), Rule: dec.Rule}
	for _, x := range rows {
		done.Refunds = append(done.Refunds, guest.RefundLine{Amount: format.Amount(money.In(x.Amount, x.Currency)),
			How: refundHow(x.Method, x.Reason), Status: refundStatus(x.Status), Key: x.Status})
	}
	return &guest.CancelView{Done: done}, nil
}
