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
	"alojamientos/internal/money"
)

// cancelRequestJSON is the body of POST /api/v1/reservations/{code}/cancel:
// {"confirm": false} previews; {"confirm": true, "expected_refund": "…"}
// cancels, if the refund is still the one previewed.
type cancelRequestJSON struct {
	Confirm        *bool  `json:"confirm"`
	ExpectedRefund string `json:"expected_refund"`
}

// settlementJSON is booking.Settlement as the API tells it.
type settlementJSON struct {
	Paid       money.Money `json:"paid"`
	Refund     money.Money `json:"refund"`
	Kept       money.Money `json:"kept"`
	Penalty    money.Money `json:"penalty"`
	Currency   string      `json:"currency"`
	Rule       string      `json:"rule"`
	Percent    *int        `json:"percent,omitempty"`
	DaysBefore *int        `json:"days_before,omitempty"`
}

type cancelAnswerJSON struct {
	Code       string         `json:"code"`
	Status     string         `json:"status"`
	Cancelled  bool           `json:"cancelled"`
	Settlement settlementJSON `json:"settlement"`
	Refunds    []refundJSON   `json:"refunds"`
}

// apiReservationCancel previews or makes a guest's cancellation through the
// API, with the guest token, as the guest page does (booking.PreviewCancel,
// booking.Cancel with the refund the client previewed).
func (s *Server) apiReservationCancel(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	var in cancelRequestJSON
	fields, err := decodeObject(body, &in)
	if err != nil {
		return err
	}
	if in.Confirm == nil {
		fields["confirm"] = "Mandá confirm: false para ver la devolución o true para cancelar."
	}
	expected, perr := money.Parse(in.ExpectedRefund)
	if in.Confirm != nil && *in.Confirm && (perr != nil || expected < 0) {
		fields["expected_refund"] = "Mandá la devolución de la vista previa, como decimal (\"4500.00\")."
	}
	if len(fields) > 0 {
		return validationError(fields)
	}
	r, err := s.guestReservation(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	ctx := c.Request().Context()
	if !s.guestCancellable(r) {
		if r.Status == booking.StatusCancelled && !*in.Confirm {
			return s.apiCancelDecided(c, r)
		}
		return &apiError{Status: http.StatusConflict, Code: "invalid_state", Message: cancelClosed(r.Status)}
	}
	if !*in.Confirm {
		out, err := s.apiCancelPreview(ctx, r)
		if err != nil {
			return err
		}
		return writeJSON(c, http.StatusOK, out)
	}
	done, err := s.booking.Cancel(ctx, booking.CancelRequest{ReservationID: r.ID, By: booking.PartyGuest,
		Actor: "guest", ExpectRefund: &expected})
	var terr *booking.TransitionError
	switch {
	case errors.Is(err, booking.ErrRefundChanged):
		now, err := s.apiCancelPreview(ctx, r)
		if err != nil {
			return err
		}
		return &apiError{Status: http.StatusConflict, Code: "refund_changed", Extra: map[string]any{"settlement": now.Settlement},
			Message: "La devolución cambió desde la vista previa (entró un pago o pasó un día): revisala y confirmá de nuevo."}
	case errors.As(err, &terr):
		return &apiError{Status: http.StatusConflict, Code: "invalid_state", Message: cancelClosed(terr.From)}
	case err != nil:
		return err
	}
	out := cancelAnswerJSON{Code: r.Code, Status: string(done.Reservation.Status), Cancelled: true,
		Settlement: settlementOf(done.Settlement), Refunds: []refundJSON{}}
	out.Settlement.Refund, out.Settlement.Kept = done.Refund, done.Settlement.Paid-done.Refund
	for _, p := range done.Refunds {
		st := "owed"
		if p.Method == booking.MethodMercadoPago {
			st = "pending"
		}
		out.Refunds = append(out.Refunds, refundJSON{Method: p.Method, Amount: p.Amount, Currency: p.Currency, Status: st})
	}
	return writeJSON(c, http.StatusOK, out)
}

func settlementOf(set booking.Settlement) settlementJSON {
	pct, days := set.Percent, set.DaysBefore
	return settlementJSON{Paid: set.Paid, Refund: set.Refund, Kept: set.Kept, Penalty: set.Penalty,
		Currency: set.Currency, Rule: set.Rule, Percent: &pct, DaysBefore: &days}
}

// apiCancelPreview is what cancelling r now would give, and how it would go back.
func (s *Server) apiCancelPreview(ctx context.Context, r booking.Reservation) (cancelAnswerJSON, error) {
	set, err := s.booking.PreviewCancel(ctx, r, booking.PartyGuest)
	if err != nil {
		return cancelAnswerJSON{}, err
	}
	parts, err := s.booking.PreviewRefunds(ctx, r, set.Refund)
	if err != nil {
		return cancelAnswerJSON{}, err
	}
	out := cancelAnswerJSON{Code: r.Code, Status: string(r.Status), Settlement: settlementOf(set), Refunds: []refundJSON{}}
	for _, p := range parts {
		out.Refunds = append(out.Refunds, refundJSON{Method: p.Method, Amount: p.Amount, Currency: p.Currency})
	}
	return out, nil
}

// apiCancelDecided answers, for a cancelled stay, what its cancellation
// decided and where each refund is now.
func (s *Server) apiCancelDecided(c echo.Context, r booking.Reservation) error {
	ctx := c.Request().Context()
	q := db.Q(s.pool)
	dec, err := q.GetCancellation(ctx, r.ID)
	if errors.Is(err, db.ErrNotFound) {
		return &apiError{Status: http.StatusConflict, Code: "invalid_state", Message: cancelClosed(r.Status)}
	}
	if err != nil {
		return fmt.Errorf("web: cancellation of %s: %w", r.Code, err)
	}
	rows, err := q.ListReservationRefunds(ctx, dbq.ListReservationRefundsParams{ReservationID: r.ID, AccountID: dec.AccountID})
	if err != nil {
		return fmt.Errorf("web: refunds of %s: %w", r.Code, err)
	}
	out := cancelAnswerJSON{Code: r.Code, Status: string(r.Status), Cancelled: true, Refunds: []refundJSON{},
		Settlement: settlementJSON{Paid: dec.Paid, Refund: dec.Refund, Kept: dec.Paid - dec.Refund, Penalty: dec.Penalty,
			Currency: dec.Currency, Rule: dec.Rule}}
	for _, x := range rows {
		out.Refunds = append(out.Refunds, refundJSON{Method: x.Method, Amount: x.Amount, Currency: x.Currency, Status: x.Status})
	}
	return writeJSON(c, http.StatusOK, out)
}
