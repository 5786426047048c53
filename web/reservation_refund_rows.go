package web

import (
	"fmt"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	resviews "alojamientos/views/reservations"
)

// refundRows lists the reservation's refunds for its page, and the newest
// refund id (the manual refund form sends it back, so a double click is
// one refund). An owed or failed refund carries the owner's one-click
// "Marcar como devuelto".
func (s *Server) refundRows(c echo.Context, r dbq.Reservation, loc *time.Location) ([]resviews.RefundRow, string, error) {
	rows, err := db.Q(s.pool).ListReservationRefunds(c.Request().Context(), dbq.ListReservationRefundsParams{
		ReservationID: r.ID, AccountID: currentUser(c).AccountID})
	if err != nil {
		return nil, "", fmt.Errorf("web: reservation %s: refunds: %w", r.Code, err)
	}
	var out []resviews.RefundRow
	var last int64
	for _, f := range rows {
		last = max(last, f.ID)
		row := resviews.RefundRow{ID: strconv.FormatInt(f.ID, 10), When: format.DateTime(f.CreatedAt, loc),
			Reason: resviews.RefundReasonLabel(f.Reason), Method: resviews.MethodLabel(f.Method),
			Status: resviews.RefundStatusLabel(f.Status, f.Method), StatusKey: f.Status,
			Amount: format.Amount(money.In(f.Amount, f.Currency)), Note: f.Note, By: f.SettledByName}
		if f.Method == "mercadopago" {
			row.Method = "Mercado Pago"
			if f.Status == "done" && f.SettledBy == nil {
				row.By = "Mercado Pago"
			}
		}
		if f.Status == "done" && f.SettledAt != nil {
			row.By += ", " + format.DateTime(*f.SettledAt, loc)
		}
		if f.Status == "failed" {
			row.Error = format.Clip(f.Error, 120)
		}
		if (f.Status == "owed" || f.Status == "failed") && currentUser(c).IsOwner() {
			row.SettleURL = reservationURL(r.Code) + "/devoluciones/" + row.ID + "/saldar"
		}
		out = append(out, row)
	}
	return out, strconv.FormatInt(last, 10), nil
}
