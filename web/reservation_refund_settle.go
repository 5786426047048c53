package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
)

// reservationRefundSettle is the owner's one click once they gave back an
// owed refund by transfer or cash: booking.SettleRefund marks it done,
// takes it off what the stay holds and tells the guest. Clicking twice
// changes nothing the second time and says so. A refund of another
// reservation or account is not found.
func (s *Server) reservationRefundSettle(c echo.Context) error {
	row, err := s.adminReservation(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("rid"), 10, 64)
	if err != nil {
		return errNotFound
	}
	u := currentUser(c)
	ctx := c.Request().Context()
	refunds, err := db.Q(s.pool).ListReservationRefunds(ctx, dbq.ListReservationRefundsParams{
		ReservationID: row.Reservation.ID, AccountID: u.AccountID})
	if err != nil {
		return err
	}
	var cur *dbq.ListReservationRefundsRow
	for i := range refunds {
		if refunds[i].ID == id {
			cur = &refunds[i]
		}
	}
	if cur == nil {
		return errNotFound
	}
	done, err := s.booking.SettleRefund(ctx, u.AccountID, id, u.ID)
	switch {
	case err == nil:
		setFlash(c, "Listo: la devolución de "+format.Amount(money.In(done.Amount, done.Currency))+
			" quedó registrada como devuelta y le avisamos al huésped.")
	case errors.Is(err, booking.ErrRefundSettled) && cur.Status == "pending":
		setFlash(c, "Esa devolución la está haciendo Mercado Pago: no hace falta marcarla. No se cambió nada.")
	case errors.Is(err, booking.ErrRefundSettled):
		setFlash(c, "Esa devolución ya estaba registrada como devuelta. No se cambió nada.")
	default:
		return err
	}
	return c.Redirect(http.StatusSeeOther, reservationURL(row.Reservation.Code)+"#devoluciones")
}
