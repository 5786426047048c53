package web

import (
	"context"
	"fmt"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/home"
)

// refundsRecent is how long a done refund stays on the home page.
const refundsRecent = 3 * 24 * time.Hour

// homeRefunds lists the refunds the owner still has to see through (owed
// by transfer, refused by Mercado Pago, or Mercado Pago still at it), oldest
// first, and those done in the last days, newest first.
func (s *Server) homeRefunds(ctx context.Context, accountID int64, loc *time.Location, now time.Time) (open, done []home.Refund, err error) {
	q := db.Q(s.pool)
	rows, err := q.ListOpenRefunds(ctx, accountID)
	if err != nil {
		return nil, nil, fmt.Errorf("web: home refunds: %w", err)
	}
	for _, r := range rows {
		open = append(open, homeRefund(refundRow{r.Amount, r.Currency, r.Method, r.Reason, r.Status}, r.Code, r.GuestName,
			r.PropertyName, format.DateTime(r.CreatedAt, loc)))
	}
	recent, err := q.ListRecentRefunds(ctx, dbq.ListRecentRefundsParams{AccountID: accountID, Since: now.Add(-refundsRecent)})
	if err != nil {
		return nil, nil, fmt.Errorf("web: home recent refunds: %w", err)
	}
	for _, r := range recent {
		when := ""
		if r.SettledAt != nil {
			when = format.DateTime(*r.SettledAt, loc)
		}
		done = append(done, homeRefund(refundRow{r.Amount, r.Currency, r.Method, r.Reason, r.Status}, r.Code, r.GuestName,
			r.PropertyName, when))
	}
	return open, done, nil
}

// refundRow is what the home page shows of a refund row (both queries give it).
type refundRow struct {
	Amount                           money.Money
	Currency, Method, Reason, Status string
}

func homeRefund(r refundRow, code, guest, property, when string) home.Refund {
	return home.Refund{Guest: guest, Property: property, Code: code, URL: reservationURL(code) + "#devoluciones",
		Amount: format.Amount(money.In(r.Amount, r.Currency)), Method: refundMethodLabel[r.Method],
		Reason: refundReasonLabel[r.Reason], State: refundStateLabel(r), Key: r.Status, When: when}
}

var refundMethodLabel = map[string]string{"mercadopago": "Mercado Pago", "transfer": "Transferencia", "cash": "Efectivo"}

var refundReasonLabel = map[string]string{
	"guest_cancel": "Cancelación del huésped", "host_cancel": "Cancelación tuya", "withdrawal": "Arrepentimiento",
	"no_show": "No se presentó", "penalty": "Seña doblada (seña penitencial)", "deposit_return": "Depósito en garantía",
	"manual": "Devolución",
}

// refundStateLabel says to the owner what a refund waits for.
func refundStateLabel(r refundRow) string {
	switch r.Status {
	case "pending":
		return "en proceso en Mercado Pago"
	case "owed":
		return "tenés que devolverlo vos y marcarlo como hecho"
	case "failed":
		return "Mercado Pago no lo pudo devolver: devolvelo a mano y marcalo como hecho"
	}
	return "devuelto"
}
