package web

import (
	"fmt"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/receipts"
	"alojamientos/views/guest"
)

// receiptLabels are a receipt's statuses as the guest reads them.
var receiptLabels = map[string]string{
	receipts.StatusReview:    "En revisión",
	receipts.StatusConfirmed: "Confirmado",
	receipts.StatusRejected:  "Rechazado",
}

// guestReceipts lists the receipts the guest sent, with their status and a
// rejection's reason (never the files), and opens the receipt form while a
// transfer is expected and the reservation takes more receipts.
func (s *Server) guestReceipts(c echo.Context, r booking.Reservation, loc *time.Location, vm *guest.ReservationView) error {
	if s.receipts == nil {
		return nil
	}
	list, err := s.receipts.List(c.Request().Context(), r.AccountID, r.ID)
	if err != nil {
		return fmt.Errorf("web: guest receipts of %s: %w", r.Code, err)
	}
	for _, rc := range list {
		vm.Pay.Receipts = append(vm.Pay.Receipts, guest.ReceiptRow{When: format.DateAt(rc.CreatedAt, loc),
			Status: rc.Status, Label: receiptLabels[rc.Status], Reason: rc.RejectReason})
	}
	if vm.Pay.Transfer != nil && len(list) < receipts.MaxPerReservation {
		vm.Pay.UploadURL = booking.GuestPath(r.Code, c.QueryParam("t"), "comprobantes")
	}
	if !isHTMX(c) && len(list) > 0 && popFlash(c) == receiptReceived {
		vm.Pay.Uploaded = true
	}
	return nil
}
