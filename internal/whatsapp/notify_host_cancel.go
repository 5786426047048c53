package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/whatsapp/cloudapi"
)

// EventHostCancelled is the notice of a stay the host cancelled: an
// apology and what the guest gets back, written when it happened. Outside
// the 24-hour window it goes as the cancellation template
// (st.Templates[EventCancelled]); it shares that notice's key, so the
// guest hears of the cancellation once.
const EventHostCancelled = "host_cancelled"

// notifyHostCancelled queues the notice of a cancellation by the host, with
// what goes back from the audit entry's detail (booking.Cancel's decision).
func (s *Service) notifyHostCancelled(ctx context.Context, st Settings, r dbq.GetReservationForNoticeRow,
	detail map[string]any) error {
	return s.noticeToGuestText(ctx, st, r, EventHostCancelled, EventCancelled+":"+strconv.FormatInt(r.ID, 10),
		HostCancelRefundText(detail))
}

// HostCancelRefundText says what the guest gets back when the host
// cancels: the refund of what was paid and, under seña penitencial, the
// seña once more (CCyC art. 1059), and how it arrives.
func HostCancelRefundText(detail map[string]any) string {
	cur, _ := detail["currency"].(string)
	amount := func(k string) money.Money {
		v, _ := detail[k].(string)
		m, _ := money.Parse(v)
		return m
	}
	in := func(m money.Money) string { return format.AmountBrief(money.In(m, cur)) }
	refund, penalty := amount("refund"), amount("penalty")
	how := " Lo que pagaste con Mercado Pago vuelve al mismo medio de pago; lo demás te lo transfiere el alojamiento."
	switch {
	case refund <= 0 && penalty <= 0:
		return "No habías hecho pagos, así que no hay nada que devolver."
	case penalty > 0:
		return fmt.Sprintf("Te devolvemos %s de lo que pagaste y, como la seña es penitencial (art. 1059 del Código "+
			"Civil y Comercial), además la seña una vez más, %s: en total *%s*.%s", in(refund), in(penalty),
			in(refund+penalty), how)
	}
	return fmt.Sprintf("Te devolvemos *%s* de lo que pagaste.%s", in(refund), how)
}

// composeHostCancel writes the host's cancellation notice when it is sent.
func composeHostCancel(st Settings, r dbq.GetReservationForNoticeRow, n Notice, name, stay, page string) (*cloudapi.Outgoing, *cloudapi.Outgoing, error) {
	if r.Status != string(booking.StatusCancelled) {
		return nil, nil, errors.New("la reserva no está cancelada")
	}
	body := fmt.Sprintf("%s, lamentamos avisarte que el alojamiento tuvo que cancelar tu reserva %s (%s, %s). %s "+
		"Disculpá las molestias.\nTu reserva: %s", name, r.Code, r.PropertyName, stay, n.Text, page)
	tpl := &cloudapi.Outgoing{Kind: "template", Template: st.Templates[EventCancelled], Language: st.Language,
		Params: []string{name, r.Code, r.PropertyName, stay}}
	return &cloudapi.Outgoing{Kind: "text", Body: body}, tpl, nil
}
