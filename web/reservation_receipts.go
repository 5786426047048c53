package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/receipts"
	resviews "alojamientos/views/reservations"
)

// receiptStatusLabels are a receipt's statuses as the owner reads them.
var receiptStatusLabels = map[string]string{
	receipts.StatusReview:    "Para revisar",
	receipts.StatusConfirmed: "Confirmado",
	receipts.StatusRejected:  "Rechazado",
}

var receiptSourceLabels = map[string]string{
	receipts.SourceGuestPage: "Página de la reserva",
	receipts.SourceWhatsApp:  "WhatsApp",
}

// receiptExtensions name a receipt's file by its sniffed type.
var receiptExtensions = map[string]string{
	receipts.TypePDF: "pdf", receipts.TypeJPEG: "jpg", receipts.TypePNG: "png", receipts.TypeWebP: "webp",
}

func receiptURL(code string, id int64) string {
	return reservationURL(code) + "/comprobantes/" + strconv.FormatInt(id, 10)
}

// expectedTransfer is what a reservation still expects: the rest of a
// hold's seña, else the rest of the total, in its currency.
func expectedTransfer(r dbq.Reservation) (money.Money, string) {
	due, seña := booking.DueNow(booking.Status(r.Status), r.Deposit, r.Paid, r.Total)
	if seña {
		return due, "la seña"
	}
	return due, "el saldo"
}

// receiptsSection lists the reservation's receipts for the owner: each one
// viewable, and the ones waiting for review with the confirm form (amount
// pre-filled with what the reservation expects) and the reject form.
func (s *Server) receiptsSection(c echo.Context, r dbq.Reservation) (resviews.ReceiptsView, error) {
	var v resviews.ReceiptsView
	if s.receipts == nil {
		return v, nil
	}
	u := currentUser(c)
	list, err := s.receipts.List(c.Request().Context(), u.AccountID, r.ID)
	if err != nil {
		return v, fmt.Errorf("web: reservation %s: receipts: %w", r.Code, err)
	}
	loc := s.booking.Locations.Get(u.Timezone)
	expected, what := expectedTransfer(r)
	v.What, v.Expected, v.Currency = what, format.Amount(money.In(expected, r.Currency)), strings.TrimSpace(format.CurrencySymbol(r.Currency))
	p, err := s.booking.LoadProperty(c.Request().Context(), r.PropertyID)
	if err != nil {
		return v, fmt.Errorf("web: reservation %s: property: %w", r.Code, err)
	}
	if asked := p.Pay.Account.TransferAmount(expected, r.Currency, booking.ReservationRate(r)); asked.Currency != r.Currency {
		v.ExpectedARS = format.Amount(asked)
	}
	for i, rc := range list {
		row := resviews.ReceiptRow{N: i + 1, When: format.DateTime(rc.CreatedAt, loc), Source: receiptSourceLabels[rc.Source],
			Status: rc.Status, StatusLabel: receiptStatusLabels[rc.Status], Reason: rc.RejectReason,
			ViewURL: receiptURL(r.Code, rc.ID), Image: rc.ContentType != receipts.TypePDF}
		if rc.Status == receipts.StatusReview {
			row.ConfirmURL, row.RejectURL = row.ViewURL+"/confirmar", row.ViewURL+"/rechazar"
			row.Amount = expected.Display()
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

// adminReceipt loads the reservation of the URL (the user's account) and
// its receipt :rid, with the receipt's number on the reservation; a receipt
// of another reservation or account is the same 404 as an unknown one.
func (s *Server) adminReceipt(c echo.Context) (dbq.AdminGetReservationRow, receipts.Receipt, int, error) {
	row, err := s.adminReservation(c)
	if err != nil {
		return row, receipts.Receipt{}, 0, err
	}
	id, err := strconv.ParseInt(c.Param("rid"), 10, 64)
	if err != nil || s.receipts == nil {
		return row, receipts.Receipt{}, 0, errNotFound
	}
	list, err := s.receipts.List(c.Request().Context(), currentUser(c).AccountID, row.Reservation.ID)
	if err != nil {
		return row, receipts.Receipt{}, 0, fmt.Errorf("web: receipts of %s: %w", row.Reservation.Code, err)
	}
	for i, rc := range list {
		if rc.ID == id {
			return row, rc, i + 1, nil
		}
	}
	return row, receipts.Receipt{}, 0, errNotFound
}

// transferAudit tells a receipt's and a payment method's audit entries.
func transferAudit(action, source, reason, method string) string {
	switch action {
	case "receipt_uploaded":
		if source == receipts.SourceWhatsApp {
			return "El huésped mandó un comprobante de transferencia por WhatsApp."
		}
		return "El huésped subió un comprobante de transferencia."
	case "receipt_rejected":
		return "Rechazó un comprobante de transferencia: " + reason
	}
	return "El huésped eligió pagar con " + strings.ToLower(methodLabels[method]) + "."
}
