package whatsapp

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/whatsapp/cloudapi"
)

// notifyWithdrawal turns a 'withdrawn' audit entry (a guest used the "Botón
// de arrepentimiento") into its two messages: the guest gets the withdrawal
// code and what goes back, the owner hears that the stay was withdrawn. The
// code is written into the message when the event happens, so a guest who
// never wrote to us gets it too, in the arrepentimiento_registrado template.
func (s *Service) notifyWithdrawal(ctx context.Context, st Settings, r dbq.GetReservationForNoticeRow,
	detail map[string]any) error {
	code, _ := detail["withdrawal_code"].(string)
	if code == "" {
		return nil
	}
	back := withdrawalRefund(detail, r.Currency)
	name := format.FirstName(r.GuestName)
	if _, bad := booking.CheckGuestName(r.GuestName); bad != "" {
		name = "huésped" // only a name reaches a message
	}
	body := fmt.Sprintf("%s, registramos tu arrepentimiento: la reserva %s (%s, %s) quedó cancelada.\n"+
		"Tu código de arrepentimiento es *%s*. Guardalo: es tu comprobante.\nSe te devuelve: %s.",
		name, r.Code, r.PropertyName, format.Stay(r.CheckIn, r.CheckOut), code, back)
	key := EventWithdrawn + ":" + strconv.FormatInt(r.ID, 10)
	if err := s.messageToGuest(ctx, st, r, key, &cloudapi.Outgoing{Kind: "text", Body: body},
		&cloudapi.Outgoing{Kind: "template", Template: st.Templates[EventWithdrawn], Language: st.Language,
			Params: []string{name, r.Code, code, back}}); err != nil {
		return err
	}
	resID := r.ID
	return s.AlertOwner(ctx, st, key, &resID, fmt.Sprintf(
		"Arrepentimiento: %s canceló la reserva %s (%s, %s) con el Botón de arrepentimiento. Código %s. "+
			"A devolver: %s. Revisalo en el panel: %s/admin/reservations/%s",
		r.GuestName, r.Code, r.PropertyName, format.Stay(r.CheckIn, r.CheckOut), code, back, s.BaseURL, r.Code))
}

// withdrawalRefund says what goes back, from the audit detail.
func withdrawalRefund(detail map[string]any, currency string) string {
	v, _ := detail["refund"].(string)
	m, err := money.Parse(v)
	if err != nil || m <= 0 {
		return "nada (no hay dinero para devolver)"
	}
	if c, _ := detail["currency"].(string); c != "" {
		currency = c
	}
	return format.AmountBrief(money.In(m, currency))
}

// messageToGuest queues a message written now to the reservation's phone,
// with the template that replaces it outside the 24-hour window.
func (s *Service) messageToGuest(ctx context.Context, st Settings, r dbq.GetReservationForNoticeRow, key string,
	msg, fallback *cloudapi.Outgoing) error {
	conv, err := db.Q(s.DB).EnsureConversation(ctx, dbq.EnsureConversationParams{AccountID: st.AccountID,
		WaID: strings.TrimPrefix(r.GuestPhone, "+"), Now: s.Clock.Now().UTC()})
	if err != nil {
		return fmt.Errorf("whatsapp: conversation for %s: %w", r.Code, err)
	}
	id := r.ID
	_, err = s.enqueue(ctx, s.DB, st.AccountID, conv.ID, key+":guest", "system", payload{Message: msg, Fallback: fallback}, &id)
	return err
}
