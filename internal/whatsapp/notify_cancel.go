package whatsapp

import (
	"context"
	"errors"
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

// EventRefundDone tells the guest that money went back to them: Mercado
// Pago made a refund, or the owner recorded a transfer.
const EventRefundDone = "refund_done"

// notifyCancel queues the guest's notice of a cancellation (its text, with
// the refund, is written when sent) or of one refund made; a guest who
// cancelled on their own (guest page, API, WhatsApp) is news for the owner too.
func (s *Service) notifyCancel(ctx context.Context, st Settings, r dbq.GetReservationForNoticeRow, action, actor string,
	detail map[string]any) error {
	switch by, _ := detail["by"].(string); {
	case action == "refund_done":
		return s.notifyRefundDone(ctx, st, r, detail)
	case by == string(booking.PartyHost):
		return s.notifyHostCancelled(ctx, st, r, detail)
	case by == string(booking.PartyWithdrawal):
		return nil // the 'withdrawn' entry's notice tells the guest, with the code
	}
	id := strconv.FormatInt(r.ID, 10)
	if err := s.noticeToGuest(ctx, st, r, EventCancelled, EventCancelled+":"+id); err != nil {
		return err
	}
	if by, _ := detail["by"].(string); by != string(booking.PartyGuest) || (actor != "guest" && actor != "whatsapp") {
		return nil
	}
	refund, _ := detail["refund"].(string)
	m, err := money.Parse(refund)
	if err != nil {
		return nil
	}
	where := map[string]string{"guest": "desde su página", "whatsapp": "por WhatsApp"}[actor]
	return s.AlertOwner(ctx, st, "guest-cancelled:"+id, &r.ID, fmt.Sprintf(
		"%s canceló %s la reserva %s (%s, %s). Devolución según las condiciones: %s; lo de Mercado Pago se devuelve solo, "+
			"lo que sea por transferencia lo ves en Inicio › Devoluciones: %s/admin/",
		r.GuestName, where, r.Code, r.PropertyName, format.Stay(r.CheckIn, r.CheckOut),
		format.AmountBrief(money.In(m, r.Currency)), s.BaseURL))
}

// notifyRefundDone queues the guest's notice of one refund made; the key
// names the refund row, so each refund is told once.
func (s *Service) notifyRefundDone(ctx context.Context, st Settings, r dbq.GetReservationForNoticeRow, detail map[string]any) error {
	id, _ := detail["refund_id"].(string)
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return nil
	}
	return s.noticeToGuestText(ctx, st, r, EventRefundDone, EventRefundDone+":"+id, id)
}

// composeCancelled writes the notice of a cancelled stay with what goes
// back, how, and the rule that decided it (the cancellation's record).
func (s *Service) composeCancelled(ctx context.Context, r dbq.GetReservationForNoticeRow, name, stay, page string,
	tpl func(...string) *cloudapi.Outgoing) (*cloudapi.Outgoing, *cloudapi.Outgoing, error) {
	if r.Status != string(booking.StatusCancelled) {
		return nil, nil, errors.New("la reserva no está cancelada")
	}
	refund, err := s.cancelRefundText(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	body := fmt.Sprintf("%s, tu reserva %s (%s, %s) quedó cancelada.%s\nTu reserva: %s", name, r.Code, r.PropertyName,
		stay, refund, page)
	return &cloudapi.Outgoing{Kind: "text", Body: body}, tpl(name, r.Code, r.PropertyName, stay), nil
}

// cancelRefundText says what a cancellation gives back and how, from its
// record and its refund rows; "" for a stay cancelled without one.
func (s *Service) cancelRefundText(ctx context.Context, r dbq.GetReservationForNoticeRow) (string, error) {
	q := db.Q(s.DB)
	dec, err := q.GetCancellation(ctx, r.ID)
	if errors.Is(err, db.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("cancelación de %s: %w", r.Code, err)
	}
	rows, err := q.ListReservationRefunds(ctx, dbq.ListReservationRefundsParams{ReservationID: r.ID, AccountID: r.AccountID})
	if err != nil {
		return "", fmt.Errorf("devoluciones de %s: %w", r.Code, err)
	}
	amount := func(m money.Money, cur string) string { return format.AmountBrief(money.In(m, cur)) }
	owed := dec.Refund + dec.Penalty
	if owed == 0 {
		if dec.Paid == 0 {
			return "", nil
		}
		return "\nSegún las condiciones, no se devuelve lo pagado (" + amount(dec.Paid, dec.Currency) + "). " + dec.Rule, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nTe devolvemos *%s*:", amount(owed, dec.Currency))
	for _, x := range rows {
		fmt.Fprintf(&b, "\n• %s %s", amount(x.Amount, x.Currency), refundWay(x.Method, x.Reason))
	}
	if kept := dec.Paid - dec.Refund; kept > 0 {
		fmt.Fprintf(&b, "\nQueda para el alojamiento: %s.", amount(kept, dec.Currency))
	}
	if dec.Rule != "" {
		b.WriteString("\n" + dec.Rule)
	}
	return b.String(), nil
}

// refundWay says how a refund reaches the guest.
func refundWay(method, reason string) string {
	switch {
	case reason == "penalty":
		return "más por la seña penitencial, por transferencia del alojamiento"
	case method == booking.MethodMercadoPago:
		return "por Mercado Pago, a la tarjeta o cuenta con que pagaste (tarda unos días hábiles)"
	case method == "cash":
		return "en efectivo, del alojamiento"
	}
	return "por transferencia del alojamiento"
}

// composeRefundDone writes the notice of one refund made (n.Text is the
// refund's id): Mercado Pago's, or the owner's transfer or cash.
func (s *Service) composeRefundDone(ctx context.Context, n Notice, r dbq.GetReservationForNoticeRow, name, page string,
	tpl func(...string) *cloudapi.Outgoing) (*cloudapi.Outgoing, *cloudapi.Outgoing, error) {
	id, err := strconv.ParseInt(n.Text, 10, 64)
	if err != nil {
		return nil, nil, fmt.Errorf("devolución %q: %w", n.Text, err)
	}
	row, err := db.Q(s.DB).GetRefund(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("devolución %d: %w", id, err)
	}
	if row.Refund.Status != "done" || row.Refund.ReservationID != r.ID {
		return nil, nil, errors.New("la devolución no está hecha")
	}
	amount := format.AmountBrief(money.In(row.Refund.Amount, row.Refund.Currency))
	var body string
	switch row.Refund.Method {
	case booking.MethodMercadoPago:
		body = fmt.Sprintf("%s, Mercado Pago ya te devolvió *%s* de tu reserva %s, a la tarjeta o cuenta con que pagaste. "+
			"Según tu banco, puede tardar unos días en verse.", name, amount, r.Code)
	case "cash":
		body = fmt.Sprintf("%s, el alojamiento registró que te devolvió *%s* en efectivo por tu reserva %s.", name, amount, r.Code)
	default:
		body = fmt.Sprintf("%s, el alojamiento te transfirió *%s* de devolución por tu reserva %s.", name, amount, r.Code)
	}
	body += "\nTu reserva: " + page
	return &cloudapi.Outgoing{Kind: "text", Body: body}, tpl(name, r.Code, amount), nil
}
