package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/money"
	"alojamientos/internal/whatsapp/cloudapi"
)

// Notify turns one audit entry (its job is inserted by a trigger in the same
// transaction) into the messages it calls for: the guest's and the owner's.
// Every message's key names the event and the recipient, so running this
// twice, or the assistant having queued the same notice, sends it once.
//
// Long: it is the table from audit action to message, one case per action;
// the messages themselves are built in the notify_*.go files.
func (s *Service) Notify(ctx context.Context, auditID int64) error {
	q := db.Q(s.DB)
	ev, err := q.GetAuditEvent(ctx, auditID)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("whatsapp: audit %d: %w", auditID, err)
	}
	st, err := s.LoadSettings(ctx, ev.AccountID)
	if errors.Is(err, ErrNotConfigured) || (err == nil && !st.Enabled) {
		return nil
	}
	if err != nil {
		return err
	}
	var detail map[string]any
	_ = json.Unmarshal(ev.Detail, &detail)
	if ev.ReservationID == nil {
		return nil
	}
	r, err := q.GetReservationForNotice(ctx, *ev.ReservationID)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	resID := r.ID
	guest := func(event string) error {
		return s.noticeToGuest(ctx, st, r, event, event+":"+strconv.FormatInt(resID, 10))
	}
	stay := r.PropertyName + ", " + format.Stay(r.CheckIn, r.CheckOut)
	switch ev.Action {
	case "hold_created":
		if err := guest(EventHoldCreated); err != nil {
			return err
		}
		// In a burst the owner hears of the first few holds at once and of
		// the rest in one digest when the window closes (Remind).
		rank, err := q.HoldAlertRank(ctx, resID)
		if err != nil {
			return fmt.Errorf("whatsapp: alert rank of %s: %w", r.Code, err)
		}
		if rank > HoldAlertBurst {
			return nil
		}
		return s.AlertOwner(ctx, st, "hold:"+strconv.FormatInt(resID, 10), &resID, fmt.Sprintf(
			"Nueva reserva pendiente de seña: %s · %s · %s (%s) · %d personas · por %s.",
			r.Code, stay, r.GuestName, r.GuestPhone, r.Guests, channelName(r.Channel)))
	case "confirm":
		if err := guest(EventPaymentReceived); err != nil {
			return err
		}
		if ev.Actor == "mercadopago" {
			return s.AlertOwner(ctx, st, "confirmed:"+strconv.FormatInt(resID, 10), &resID, fmt.Sprintf(
				"Pago recibido: %s de %s. Reserva %s confirmada (%s).", format.AmountBrief(money.In(r.Paid, r.Currency)), r.GuestName, r.Code, stay))
		}
		return nil
	case "cancel", "refund_done":
		return s.notifyCancel(ctx, st, r, ev.Action, ev.Actor, detail)
	case "hold_expired":
		return guest(EventHoldExpired)
	case "balance_reminder":
		return guest(EventBalanceReminder)
	case "payment_mercadopago":
		return nil // the confirmation (or the alert) says what matters
	case "payment_alert":
		return s.AlertOwner(ctx, st, "alert:"+strconv.FormatInt(auditID, 10), &resID, fmt.Sprintf(
			"Atención, problema con un pago de la reserva %s (%s): %s.", r.Code, stay, alertText(detail)))
	case "withdrawn":
		return s.notifyWithdrawal(ctx, st, r, detail)
	case "receipt_uploaded", "receipt_rejected":
		return s.notifyReceipt(ctx, st, r, ev.Action, detail, auditID)
	case "deposit_returned":
		return s.notifyDeposit(ctx, st, r, detail)
	case "ical_collision":
		return s.AlertOwner(ctx, st, "collision:"+strconv.FormatInt(auditID, 10), &resID, fmt.Sprintf(
			"Conflicto de calendario: un canal ocupó noches de la reserva %s (%s). Revisalo en el panel: %s/admin/",
			r.Code, stay, s.BaseURL))
	}
	return nil
}

func alertText(detail map[string]any) string {
	for _, k := range []string{"message", "detail", "kind"} {
		if v, ok := detail[k].(string); ok && v != "" {
			return v
		}
	}
	return "revisalo en el panel"
}

func channelName(c string) string {
	switch c {
	case "web", "direct":
		return "la web"
	case "whatsapp":
		return "WhatsApp"
	case "phone":
		return "teléfono"
	case "walk_in":
		return "mostrador"
	case "booking":
		return "Booking.com"
	}
	return strings.ToUpper(c[:1]) + c[1:]
}

// noticeToGuest queues a notice to the reservation's phone, composed when sent.
func (s *Service) noticeToGuest(ctx context.Context, st Settings, r dbq.GetReservationForNoticeRow, event, key string) error {
	return s.noticeToGuestText(ctx, st, r, event, key, "")
}

// noticeToGuestText is noticeToGuest with a text fixed when the event
// happened (a rejected receipt's reason), which the notice quotes.
func (s *Service) noticeToGuestText(ctx context.Context, st Settings, r dbq.GetReservationForNoticeRow, event, key, text string) error {
	waID := strings.TrimPrefix(r.GuestPhone, "+")
	conv, err := db.Q(s.DB).EnsureConversation(ctx, dbq.EnsureConversationParams{AccountID: st.AccountID, WaID: waID,
		Now: s.Clock.Now().UTC()})
	if err != nil {
		return fmt.Errorf("whatsapp: conversation for %s: %w", r.Code, err)
	}
	id := r.ID
	_, err = s.enqueue(ctx, s.DB, st.AccountID, conv.ID, key+":guest", "system",
		payload{Notice: &Notice{Event: event, ReservationID: r.ID, Text: text}}, &id)
	return err
}

// AlertOwner queues an alert to the owner's own WhatsApp, when one is set.
// The dashboard shows the same events; this is the "at once" part.
func (s *Service) AlertOwner(ctx context.Context, st Settings, key string, resID *int64, text string) error {
	if st.OwnerPhone == "" {
		return nil
	}
	conv, err := db.Q(s.DB).EnsureConversation(ctx, dbq.EnsureConversationParams{AccountID: st.AccountID,
		WaID: strings.TrimPrefix(st.OwnerPhone, "+"), Now: s.Clock.Now().UTC()})
	if err != nil {
		return fmt.Errorf("whatsapp: owner conversation: %w", err)
	}
	_, err = s.enqueue(ctx, s.DB, st.AccountID, conv.ID, key+":owner", "system", payload{
		Message:  &cloudapi.Outgoing{Kind: "text", Body: text},
		Fallback: &cloudapi.Outgoing{Kind: "template", Template: st.Templates[EventOwnerAlert], Language: st.Language, Params: []string{text}},
	}, resID)
	return err
}

func noticePreview(event string) string {
	switch event {
	case EventHoldCreated:
		return "Reserva tomada y link de pago"
	case EventPaymentReceived:
		return "Reserva confirmada"
	case EventHoldExpiring:
		return "La reserva está por vencer"
	case EventHoldExpired:
		return "La reserva venció"
	case EventCheckInReminder:
		return "Recordatorio de llegada"
	case EventCancelled, EventHostCancelled:
		return "Reserva cancelada"
	case EventReceiptRejected:
		return "Comprobante rechazado"
	case EventRefundDone:
		return "Devolución hecha"
	case EventDepositReturned:
		return "Depósito devuelto"
	case EventBalanceReminder:
		return "Recordatorio del saldo"
	}
	return event
}

// compose writes a guest notice from the reservation as it is now, with the
// template that replaces it outside the window. A notice no longer true (a
// hold confirmed before its "about to expire" went out) is not sent.
func (s *Service) compose(ctx context.Context, st Settings, n Notice, queuedAt time.Time) (*cloudapi.Outgoing, *cloudapi.Outgoing, error) {
	q := db.Q(s.DB)
	r, err := q.GetReservationForNotice(ctx, n.ReservationID)
	if err != nil {
		return nil, nil, fmt.Errorf("reserva %d: %w", n.ReservationID, err)
	}
	name := format.FirstName(r.GuestName)
	if _, bad := booking.CheckGuestName(r.GuestName); bad != "" {
		// Typed by the owner, or stored before names were checked: only a name reaches a message.
		name = "huésped"
	}
	stay := format.Stay(r.CheckIn, r.CheckOut)
	page := booking.GuestURL(s.BaseURL, r.Code, r.GuestToken)
	tpl := func(params ...string) *cloudapi.Outgoing {
		return &cloudapi.Outgoing{Kind: "template", Template: st.Templates[n.Event], Language: st.Language, Params: params}
	}
	text := func(b string) *cloudapi.Outgoing { return &cloudapi.Outgoing{Kind: "text", Body: b} }
	switch n.Event {
	case EventHoldCreated, EventHoldExpiring, EventHoldExpired:
		// Notices of a hold nobody paid are unsolicited outside the window.
		ok, err := s.holdTemplateAllowed(ctx, r.ID)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			tpl = func(...string) *cloudapi.Outgoing { return nil }
		}
	}
	switch n.Event {
	case EventHoldCreated, EventHoldExpiring:
		return s.composeHold(ctx, n.Event, queuedAt, r, name, stay, page, tpl)
	case EventPaymentReceived:
		if r.Status != string(booking.StatusConfirmed) {
			return nil, nil, errors.New("la reserva no está confirmada")
		}
		where := ""
		if r.Location != "" {
			where = "\nDónde: " + r.Location
		}
		body := fmt.Sprintf("¡Pago recibido, %s! Tu reserva %s está *confirmada*: %s, %s.\nCheck-in desde las %s · check-out hasta las %s.%s\nTu reserva: %s",
			name, r.Code, r.PropertyName, stay, r.CheckInTime, r.CheckOutTime, where, page)
		return text(body), tpl(name, r.Code, r.PropertyName, stay, r.CheckInTime), nil
	case EventHoldExpired:
		if r.Status != string(booking.StatusExpired) {
			return nil, nil, errors.New("la reserva no venció")
		}
		body := fmt.Sprintf("%s, la reserva %s (%s, %s) venció porque no llegó la seña, y las noches se liberaron. "+
			"Si todavía querés venir, escribime las fechas y me fijo qué hay.", name, r.Code, r.PropertyName, stay)
		return text(body), tpl(name, r.Code, r.PropertyName, stay), nil
	case EventCheckInReminder:
		if r.Status != string(booking.StatusConfirmed) {
			return nil, nil, errors.New("la reserva no está confirmada")
		}
		where := ""
		if r.Location != "" {
			where = " Dónde: " + r.Location + "."
		}
		body := fmt.Sprintf("¡Hola %s! Mañana te esperamos en %s. Check-in desde las %s.%s Cualquier cosa, escribinos por acá.",
			name, r.PropertyName, r.CheckInTime, where)
		return text(body), tpl(name, r.PropertyName, r.CheckInTime), nil
	case EventBalanceReminder:
		return s.composeBalance(ctx, r, name, page, tpl)
	case EventCancelled:
		return s.composeCancelled(ctx, r, name, stay, page, tpl)
	case EventRefundDone:
		return s.composeRefundDone(ctx, n, r, name, page, tpl)
	case EventHostCancelled:
		return composeHostCancel(st, r, n, name, stay, page)
	case EventDepositReturned:
		return composeDeposit(r, name, page, n.Text, tpl)
	case EventReceiptRejected:
		body := fmt.Sprintf("%s, el anfitrión no pudo aceptar el comprobante de transferencia de tu reserva %s: %s\n"+
			"Si ya transferiste, mandá el comprobante correcto por acá o desde tu reserva: %s", name, r.Code, n.Text, page)
		return text(body), tpl(name, r.Code, n.Text), nil
	}
	return nil, nil, fmt.Errorf("aviso desconocido %q", n.Event)
}

// composeHold writes the notice of a pending hold (just held, or about to
// expire) with its deposit link: Mercado Pago's when it is made, the
// reservation's page otherwise, and errSnooze while the link may still come.
func (s *Service) composeHold(ctx context.Context, event string, queuedAt time.Time, r dbq.GetReservationForNoticeRow,
	name, stay, page string, tpl func(...string) *cloudapi.Outgoing) (*cloudapi.Outgoing, *cloudapi.Outgoing, error) {
	q := db.Q(s.DB)
	loc := s.Booking.Locations.Get(r.Timezone)
	text := func(b string) *cloudapi.Outgoing { return &cloudapi.Outgoing{Kind: "text", Body: b} }
	if r.Status != string(booking.StatusPreReserved) || r.HoldExpiresAt == nil {
		return nil, nil, errors.New("la reserva ya no está pendiente")
	}
	link, lerr := q.GetPaymentLink(ctx, r.ID)
	// Mercado Pago charges pesos: the deposit at the rate locked on the hold,
	// with its surcharge (booking.PesosCharge, what the link asks).
	charge, cerr := booking.PesosCharge(r.Deposit, r.Currency,
		booking.RateFromColumns(r.Currency, r.ExchangeRateE4, r.ExchangeRateSource, r.ExchangeRateAt), int(r.MpSurchargeBp))
	pay, viaMP := "", false
	switch {
	case cerr != nil:
		pay = page // no rate locked: no Mercado Pago link, the guest page says how to pay
	case lerr == nil && mercadopago.CurrentLink(link, charge):
		pay, viaMP = link.InitPoint, true
	case s.Booking.PaymentLinks && (lerr == nil && link.Error == "" || errors.Is(lerr, db.ErrNotFound)) &&
		s.Clock.Now().Sub(queuedAt) < time.Minute:
		return nil, nil, errSnooze
	default:
		pay = page
	}
	until := r.HoldExpiresAt.In(loc).Format("15:04")
	total, deposit := format.AmountBrief(money.In(r.Total, r.Currency)), format.AmountBrief(money.In(r.Deposit, r.Currency))
	if viaMP && (charge.Foreign() || charge.Surcharge > 0) {
		// The link charges pesos: say how many, as the guest page does.
		deposit += " (con Mercado Pago: " + format.AmountBrief(money.In(charge.Total, booking.PesoCurrency)) + ")"
	}
	if event == EventHoldExpiring {
		return text(fmt.Sprintf("%s, tu reserva %s en %s (%s) vence hoy a las %s. Para no perderla, pagá la seña de %s acá: %s",
				name, r.Code, r.PropertyName, stay, until, deposit, pay)),
			tpl(name, r.Code, until, pay), nil
	}
	terms, err := s.holdTermsLine(ctx, r.ID)
	if err != nil {
		return nil, nil, err
	}
	body := fmt.Sprintf("¡Listo, %s! Te reservé *%s* %s para %d %s.\nTotal: %s. Seña para confirmar: *%s*.\n"+
		"Pagala antes de las %s con este link: %s\nSi no se paga a tiempo, la reserva se libera sola.\n%s"+
		"Código: %s · Tu reserva: %s", name, r.PropertyName, stay, r.Guests, plural(int(r.Guests), "persona", "personas"),
		total, deposit, until, pay, terms, r.Code, page)
	return text(body), tpl(name, r.PropertyName, stay, deposit, until, pay), nil
}

// holdTemplateAllowed says whether a notice about an unpaid hold may go as a
// template (outside the 24-hour window, that is, unasked): only if no
// template went to the guest for this hold yet, and the phone is not one
// that keeps re-creating holds (another unpaid hold in the day before).
// Inside the window the notice still goes as text.
func (s *Service) holdTemplateAllowed(ctx context.Context, resID int64) (bool, error) {
	q := db.Q(s.DB)
	sent, err := q.CountTemplatesForReservation(ctx, &resID)
	if err != nil {
		return false, fmt.Errorf("whatsapp: templates of reservation %d: %w", resID, err)
	}
	if sent > 0 {
		return false, nil
	}
	earlier, err := q.CountEarlierUnpaidHolds(ctx, resID)
	if err != nil {
		return false, fmt.Errorf("whatsapp: earlier holds of reservation %d: %w", resID, err)
	}
	return earlier == 0, nil
}

// HoldAlertBurst is how many holds of one ten-minute window the owner hears
// of one by one; the rest come in one digest when the window closes.
const HoldAlertBurst = 3

// digestHolds queues one owner message per closed ten-minute window that had
// more than HoldAlertBurst holds, listing the holds not alerted one by one.
func (s *Service) digestHolds(ctx context.Context, now time.Time) error {
	rows, err := db.Q(s.DB).HoldBurstDigests(ctx, dbq.HoldBurstDigestsParams{Now: now, Burst: HoldAlertBurst})
	if err != nil {
		return fmt.Errorf("whatsapp: hold digests: %w", err)
	}
	for _, d := range rows {
		st, err := s.LoadSettings(ctx, d.AccountID)
		if errors.Is(err, ErrNotConfigured) {
			continue // no WhatsApp for this account: nobody to tell
		}
		if err != nil {
			return fmt.Errorf("whatsapp: hold digest of account %d: %w", d.AccountID, err)
		}
		codes := d.Codes[min(HoldAlertBurst, len(d.Codes)):]
		shown := codes[:min(10, len(codes))]
		more := ""
		if len(codes) > len(shown) {
			more = fmt.Sprintf(" y %d más", len(codes)-len(shown))
		}
		loc := s.Booking.Locations.Get(d.Timezone)
		text := fmt.Sprintf("Llegaron %d reservas pendientes de seña más entre las %s y las %s: %s%s. Revisalas en el panel: %s/admin/reservations",
			len(codes), d.WindowStart.In(loc).Format("15:04"), d.WindowStart.Add(10*time.Minute).In(loc).Format("15:04"),
			strings.Join(shown, ", "), more, s.BaseURL)
		if err := s.AlertOwner(ctx, st, "holds-digest:"+strconv.FormatInt(d.WindowStart.Unix(), 10), nil, text); err != nil {
			return err
		}
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Remind queues the time-based notices: the owner's digest of a burst of
// holds, holds about to expire (10 minutes before) and the day-before
// check-in reminder (from 10:00 local time).
func (s *Service) Remind(ctx context.Context) error {
	q := db.Q(s.DB)
	now := s.Clock.Now().UTC()
	if err := s.digestHolds(ctx, now); err != nil {
		return err
	}
	soon, err := q.HoldsExpiringSoon(ctx, dbq.HoldsExpiringSoonParams{Now: &now, Until: ptr(now.Add(10 * time.Minute)),
		MinHoldSeconds: (20 * time.Minute).Seconds()})
	if err != nil {
		return fmt.Errorf("whatsapp: holds expiring: %w", err)
	}
	for _, h := range soon {
		if err := s.remindOne(ctx, h.AccountID, h.ID, EventHoldExpiring); err != nil {
			return err
		}
	}
	today := booking.LocalDate(now, s.Booking.Locations.Get("America/Argentina/Buenos_Aires"))
	stays, err := q.StaysStartingSoon(ctx, dbq.StaysStartingSoonParams{FromDay: today.AddDate(0, 0, -1), ToDay: today.AddDate(0, 0, 2)})
	if err != nil {
		return fmt.Errorf("whatsapp: stays starting: %w", err)
	}
	for _, r := range stays {
		loc := s.Booking.Locations.Get(r.Timezone)
		local := now.In(loc)
		if !booking.LocalDate(now, loc).AddDate(0, 0, 1).Equal(r.CheckIn) || local.Hour() < 10 {
			continue
		}
		if err := s.remindOne(ctx, r.AccountID, r.ID, EventCheckInReminder); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) remindOne(ctx context.Context, accountID, resID int64, event string) error {
	st, err := s.LoadSettings(ctx, accountID)
	if err != nil {
		return nil
	}
	r, err := db.Q(s.DB).GetReservationForNotice(ctx, resID)
	if err != nil {
		return err
	}
	return s.noticeToGuest(ctx, st, r, event, event+":"+strconv.FormatInt(resID, 10))
}

func ptr[T any](v T) *T { return &v }

// NotifyArgs is the job the audit trigger inserts.
type NotifyArgs struct {
	AuditID int64 `json:"audit_id"`
}

// Kind implements river.JobArgs (the trigger in migration 00011 names it too).
func (NotifyArgs) Kind() string { return "whatsapp.notify" }

// NotifyWorker runs Notify.
type NotifyWorker struct {
	river.WorkerDefaults[NotifyArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *NotifyWorker) Work(ctx context.Context, job *river.Job[NotifyArgs]) error {
	return w.Service.Notify(ctx, job.Args.AuditID)
}

// RemindArgs is the periodic job for time-based notices.
type RemindArgs struct{}

// Kind implements river.JobArgs.
func (RemindArgs) Kind() string { return "whatsapp.remind" }

// RemindWorker runs Remind.
type RemindWorker struct {
	river.WorkerDefaults[RemindArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *RemindWorker) Work(ctx context.Context, _ *river.Job[RemindArgs]) error {
	return w.Service.Remind(ctx)
}
