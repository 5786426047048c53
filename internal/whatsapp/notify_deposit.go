package whatsapp

import (
	"context"
	"fmt"

	"alojamientos/db/dbq"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/whatsapp/cloudapi"
)

// EventDepositReturned: the owner returned the damage deposit (booking.ReturnDeposit).
const EventDepositReturned = "deposit_returned"

// notifyDeposit tells the guest what came back of their damage deposit and,
// when something was kept, the owner's note, as written when it happened
// (the audit entry's detail). One message per reservation: a deposit is
// returned once.
func (s *Service) notifyDeposit(ctx context.Context, st Settings, r dbq.GetReservationForNoticeRow, detail map[string]any) error {
	return s.noticeToGuestText(ctx, st, r, EventDepositReturned, fmt.Sprintf("%s:%d", EventDepositReturned, r.ID),
		depositReturnText(detail))
}

// depositReturnText is "Te devolvimos $ 42.000,00 del depósito en garantía.
// Se descontaron $ 8.000,00: se descontó una copa rota."
func depositReturnText(detail map[string]any) string {
	str := func(k string) string { v, _ := detail[k].(string); return v }
	cur := str("currency")
	amount := func(k string) (money.Money, string) {
		m, _ := money.Parse(str(k))
		return m, format.Amount(money.In(m, cur))
	}
	_, returned := amount("returned")
	text := "Te devolvimos " + returned + " del depósito en garantía."
	if d, deducted := amount("deducted"); d > 0 {
		text += " Se descontaron " + deducted + ": " + str("note")
	}
	return text
}

// composeDeposit writes the deposit notice; outside the 24-hour window its
// template carries the name, the code and the same text.
func composeDeposit(r dbq.GetReservationForNoticeRow, name, page, text string,
	tpl func(...string) *cloudapi.Outgoing) (*cloudapi.Outgoing, *cloudapi.Outgoing, error) {
	body := fmt.Sprintf("%s, sobre tu reserva %s (%s): %s\nEl detalle está en tu reserva: %s", name, r.Code,
		r.PropertyName, text, page)
	return &cloudapi.Outgoing{Kind: "text", Body: body}, tpl(name, r.Code, text), nil
}
