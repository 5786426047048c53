package whatsapp

import (
	"context"
	"fmt"
	"strconv"

	"alojamientos/db/dbq"
	"alojamientos/internal/format"
)

// notifyReceipt turns a bank-transfer receipt's audit entry into its
// message: the owner hears that a receipt waits for review
// (receipt_uploaded), the guest hears why the owner rejected one
// (receipt_rejected, the reason quoted). One message per receipt.
func (s *Service) notifyReceipt(ctx context.Context, st Settings, r dbq.GetReservationForNoticeRow, action string,
	detail map[string]any, auditID int64) error {
	key := detailID(detail, "receipt_id", auditID)
	if action == "receipt_rejected" {
		reason, _ := detail["reason"].(string)
		return s.noticeToGuestText(ctx, st, r, EventReceiptRejected, EventReceiptRejected+":"+key, reason)
	}
	resID := r.ID
	return s.AlertOwner(ctx, st, "receipt:"+key, &resID, fmt.Sprintf(
		"Comprobante de transferencia para revisar: reserva %s de %s (%s, %s). Revisalo en el panel: %s/admin/",
		r.Code, r.GuestName, r.PropertyName, format.Stay(r.CheckIn, r.CheckOut), s.BaseURL))
}

// detailID is the id an audit detail names under key (a JSON number), or
// the audit entry's own id when it names none.
func detailID(detail map[string]any, key string, auditID int64) string {
	if v, ok := detail[key].(float64); ok && v > 0 {
		return strconv.FormatInt(int64(v), 10)
	}
	return "audit" + strconv.FormatInt(auditID, 10)
}
