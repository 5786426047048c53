package assistant

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/whatsapp/cloudapi"
	"alojamientos/internal/whatsapp/understand"
)

// The steps of a guest's cancellation over WhatsApp: which booking (when
// the phone has several), then the refund the terms give and "SÍ" to confirm.
const (
	stepCancelWhich   = "cancel_which"
	stepConfirmCancel = "confirm_cancel"
)

// cancelStart answers "quiero cancelar": the refund of the booking named by
// code, or of the phone's only live booking; with several, which one. A
// stay already started goes to the owner as a request, as before.
func (t *turn) cancelStart(ctx context.Context, code, text string) error {
	if code != "" {
		return t.cancelPreview(ctx, code, text)
	}
	rs, err := db.Q(t.a.DB).ReservationsByPhone(ctx, dbq.ReservationsByPhoneParams{AccountID: t.accountID,
		Phone: "+" + t.conv.WaID})
	if err != nil {
		return err
	}
	var live []dbq.ReservationsByPhoneRow
	for _, r := range rs {
		if t.cancellable(booking.Status(r.Status), r.HoldExpiresAt != nil && r.HoldExpiresAt.After(t.a.Clock.Now())) {
			live = append(live, r)
		}
	}
	switch {
	case len(live) == 1:
		return t.cancelPreview(ctx, live[0].Code, text)
	case len(live) == 0 && len(rs) > 0:
		return t.cancelRequest(ctx, "", text) // a stay under way: the owner decides
	case len(live) == 0:
		t.say("No veo reservas para cancelar a este número. Si tenés el código (empieza con RES), mandámelo junto con «cancelar».")
		return t.keep()
	}
	t.state = State{Step: stepCancelWhich}
	lines := []string{"Tenés varias reservas. ¿Cuál querés cancelar? Mandame el código:"}
	var choices []cloudapi.Choice
	for _, r := range live {
		t.state.CancelCodes = append(t.state.CancelCodes, r.Code)
		lines = append(lines, fmt.Sprintf("• %s: %s, %s", r.Code, r.PropertyName, format.Stay(r.CheckIn, r.CheckOut)))
		if len(choices) < 3 {
			choices = append(choices, cloudapi.Choice{ID: "cancelcode:" + r.Code, Title: r.Code})
		}
	}
	if len(live) <= 3 {
		t.buttons(strings.Join(lines, "\n"), choices...)
	} else {
		t.say(strings.Join(lines, "\n"))
	}
	return t.keep()
}

func (t *turn) cancellable(st booking.Status, holdLive bool) bool {
	return st == booking.StatusConfirmed || (st == booking.StatusPreReserved && holdLive)
}

// cancelPreview states what cancelling the booking code now gives back
// (booking.PreviewCancel, the guest page's computation) and asks for "SÍ".
func (t *turn) cancelPreview(ctx context.Context, code, text string) error {
	row, err := db.Q(t.a.DB).GetReservationInAccount(ctx, dbq.GetReservationInAccountParams{AccountID: t.accountID, Code: code})
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return err
	}
	// A code is not a secret: only the booking's own phone may cancel it.
	if errors.Is(err, db.ErrNotFound) || row.GuestPhone != "+"+t.conv.WaID {
		t.state = State{}
		t.say("No encuentro la reserva " + code + ". Revisá el código (empieza con RES) o escribí «persona».")
		return t.keep()
	}
	r, err := t.a.Booking.Get(ctx, code)
	if err != nil {
		return err
	}
	if !t.cancellable(r.Status, booking.HoldLive(r.Status, r.HoldExpiresAt, t.a.Clock.Now())) {
		t.state = State{}
		if r.Status == booking.StatusCheckedIn {
			return t.cancelRequest(ctx, code, text)
		}
		t.say("La reserva " + code + " ya no está activa (" + statusWord(r.Status) + "): no hay nada que cancelar.")
		return t.keep()
	}
	set, err := t.a.Booking.PreviewCancel(ctx, r, booking.PartyGuest)
	if err != nil {
		return err
	}
	parts, err := t.a.Booking.PreviewRefunds(ctx, r, set.Refund)
	if err != nil {
		return err
	}
	t.state = State{Step: stepConfirmCancel, CancelCode: r.Code, CancelRefund: set.Refund.String()}
	t.buttons(cancelText(r, set, parts)+"\n\nRespondé *SÍ* para cancelar; cualquier otra cosa la deja como está.",
		cloudapi.Choice{ID: "cancel:yes", Title: "Sí, cancelar"}, cloudapi.Choice{ID: "cancel:no", Title: "No, mantenerla"})
	return t.keep()
}

// cancelText says what cancelling gives back and how, as the guest page does.
func cancelText(r booking.Reservation, set booking.Settlement, parts []booking.RefundPart) string {
	amount := func(m money.Money, cur string) string { return format.AmountBrief(money.In(m, cur)) }
	var b strings.Builder
	fmt.Fprintf(&b, "Tu reserva %s (%s, %s):\n", r.Code, r.PropertyName, format.Stay(r.CheckIn, r.CheckOut))
	if r.Policy != nil {
		fmt.Fprintf(&b, "Condiciones de cancelación (%s): %s\n", r.Policy.Name(), r.Policy.Text())
	}
	fmt.Fprintf(&b, "Pagaste %s. Si cancelás ahora te devolvemos *%s*", amount(set.Paid, set.Currency), amount(set.Refund, set.Currency))
	var how []string
	for _, p := range parts {
		way := "por transferencia del alojamiento"
		if p.Method == booking.MethodMercadoPago {
			way = "por Mercado Pago, a la tarjeta o cuenta con que pagaste (tarda unos días hábiles)"
		}
		how = append(how, amount(p.Amount, p.Currency)+" "+way)
	}
	if len(how) > 0 {
		b.WriteString(": " + strings.Join(how, "; "))
	}
	b.WriteString(".")
	if set.Kept > 0 {
		fmt.Fprintf(&b, " Queda para el alojamiento %s.", amount(set.Kept, set.Currency))
	}
	return b.String() + "\n" + set.Rule
}

// cancelReply answers the message after a cancellation question: the code
// asked for, or "sí". Anything else keeps the booking; done is false when
// that message is about something else, which is then answered too.
func (t *turn) cancelReply(ctx context.Context, reply string, u understand.Understanding) (done bool, err error) {
	st := t.state
	switch st.Step {
	case stepCancelWhich:
		for i, c := range st.CancelCodes {
			if reply == "cancelcode:"+c || u.Code == c || (u.Code == "" && u.Choice == i+1) {
				return true, t.cancelPreview(ctx, c, "")
			}
		}
	case stepConfirmCancel:
		if reply == "cancel:yes" || (reply == "" && u.Intent == understand.IntentYes) {
			return true, t.cancelConfirm(ctx, st)
		}
	default:
		return false, nil
	}
	t.state = State{}
	if st.CancelCode != "" {
		t.say("Perfecto, no cancelé nada: tu reserva " + st.CancelCode + " sigue en pie.")
	} else {
		t.say("Perfecto, no cancelé nada: tus reservas siguen en pie.")
	}
	if reply == "cancel:no" || strings.HasPrefix(reply, "cancelcode:") || u.Intent == understand.IntentNo ||
		u.Intent == understand.IntentNone {
		return true, t.keep()
	}
	return false, nil
}

// cancelConfirm cancels the booking the guest said "sí" to, with the refund
// they were told; the cancellation's notice (with the refund and how it
// comes back) is the answer. A refund that changed is told again.
func (t *turn) cancelConfirm(ctx context.Context, st State) error {
	t.state = State{}
	r, err := t.a.Booking.Get(ctx, st.CancelCode)
	if err != nil {
		return err
	}
	expected, err := money.Parse(st.CancelRefund)
	if err != nil || r.AccountID != t.accountID || r.GuestPhone != "+"+t.conv.WaID {
		t.say("No pude cancelar la reserva " + st.CancelCode + ". Escribí «cancelar» para empezar de nuevo.")
		return t.keep()
	}
	_, err = t.a.Booking.Cancel(ctx, booking.CancelRequest{ReservationID: r.ID, AccountID: t.accountID,
		By: booking.PartyGuest, Actor: "whatsapp", ExpectRefund: &expected})
	var terr *booking.TransitionError
	switch {
	case errors.Is(err, booking.ErrRefundChanged):
		t.say("Ojo: la devolución cambió desde que te la dije (entró un pago o pasó un día).")
		return t.cancelPreview(ctx, r.Code, "")
	case errors.As(err, &terr):
		t.say("La reserva " + r.Code + " ya no está activa (" + statusWord(terr.From) + "): no hay nada que cancelar.")
		return t.keep()
	case err != nil:
		return err
	}
	t.cancelled = append(t.cancelled, r.ID)
	return t.keep()
}

func statusWord(st booking.Status) string {
	switch st {
	case booking.StatusCancelled, booking.StatusNoShow:
		return "está cancelada"
	case booking.StatusExpired:
		return "venció"
	case booking.StatusCompleted:
		return "la estadía terminó"
	case booking.StatusCheckedIn:
		return "la estadía está en curso"
	}
	return string(st)
}
