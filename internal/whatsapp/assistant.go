package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
)

// turn is one inbound message being answered: what the assistant says back
// and what it asks of the owner, written together when the turn ends.
type turn struct {
	s       *Service
	st      Settings
	conv    dbq.WaConversation
	msg     InboundMessage
	today   time.Time
	state   State
	replies []Outgoing
	// notices are reservation notices (the hold's link) the turn calls for.
	notices []int64
	alerts  []string
	handoff bool
}

func (t *turn) say(text string) { t.replies = append(t.replies, Outgoing{Kind: "text", Body: text}) }

func (t *turn) buttons(text string, b ...Choice) {
	t.replies = append(t.replies, Outgoing{Kind: "buttons", Body: text, Buttons: b})
}

// HandleMessage records one inbound message and answers it, one message of a
// chat at a time. The record, the replies and the owner's alerts commit
// together, so a retried job either finds the message done or does it all.
func (s *Service) HandleMessage(ctx context.Context, m InboundMessage) error {
	q := dbq.New(s.DB)
	accountID, err := q.WhatsAppAccountForNumber(ctx, m.PhoneNumberID)
	if errors.Is(err, pgx.ErrNoRows) {
		s.Log.Warn("whatsapp: message for a number no account uses", "phone_number_id", m.PhoneNumberID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("whatsapp: account for number: %w", err)
	}
	st, err := s.LoadSettings(ctx, accountID)
	if err != nil {
		return err
	}
	tx, err := s.DB.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	tq := dbq.New(tx)
	if err := tq.LockConversation(ctx, m.From); err != nil {
		return err
	}
	at := m.Timestamp
	if at.IsZero() || at.After(s.Clock.Now()) {
		at = s.Clock.Now()
	}
	at = at.UTC()
	conv, err := tq.UpsertInboundConversation(ctx, dbq.UpsertInboundConversationParams{AccountID: accountID, WaID: m.From,
		ProfileName: clip(m.ProfileName, 120), At: &at, Preview: previewOf(m)})
	if err != nil {
		return fmt.Errorf("whatsapp: conversation: %w", err)
	}
	pj := []byte(`{}`)
	if m.ReplyID != "" {
		pj = []byte(`{"reply_id":` + strconv.Quote(m.ReplyID) + `}`)
	}
	wamid := m.ID
	if _, err := tq.InsertInboundMessage(ctx, dbq.InsertInboundMessageParams{AccountID: accountID, ConversationID: conv.ID,
		Wamid: &wamid, Kind: m.Type, Body: clip(m.Text, 4096), Payload: pj, At: at}); errors.Is(err, pgx.ErrNoRows) {
		return nil // seen and answered before
	} else if err != nil {
		return fmt.Errorf("whatsapp: record message: %w", err)
	}
	s.Metrics.WebhookEvents.WithLabelValues(Provider, "message").Inc()
	if conv.Mode == "owner" || !st.AssistantEnabled || "+"+m.From == st.OwnerPhone {
		// A person has the chat (or this is the owner's own phone): record only.
		return tx.Commit(ctx)
	}
	// The state is read under the chat's lock and written before the commit
	// that releases it: the next message of the chat sees what this one left.
	state, err := s.loadState(ctx, tx, conv.ID)
	if err != nil {
		return err
	}
	t := &turn{s: s, st: st, conv: conv, msg: m, state: state,
		today: booking.LocalDate(s.Clock.Now(), s.Booking.Locations.Get("America/Argentina/Buenos_Aires"))}
	if err := t.answer(ctx); err != nil {
		return err
	}
	for i, r := range mergeReplies(t.replies) {
		key := fmt.Sprintf("reply:%s:%d", m.ID, i)
		if _, err := s.enqueue(ctx, tx, accountID, conv.ID, key, "assistant", payload{Message: &r}, nil); err != nil {
			return err
		}
	}
	for _, id := range t.notices {
		key := EventHoldCreated + ":" + strconv.FormatInt(id, 10) + ":guest"
		if _, err := s.enqueue(ctx, tx, accountID, conv.ID, key, "assistant",
			payload{Notice: &Notice{Event: EventHoldCreated, ReservationID: id}}, &id); err != nil {
			return err
		}
	}
	if t.handoff {
		if _, err := tq.SetConversationMode(ctx, dbq.SetConversationModeParams{ID: conv.ID, AccountID: accountID,
			Mode: "owner", Now: s.Clock.Now().UTC()}); err != nil {
			return err
		}
	}
	for i, a := range t.alerts {
		if err := s.alertOwnerIn(ctx, tx, st, fmt.Sprintf("chat:%s:%d", m.ID, i), a); err != nil {
			return err
		}
	}
	if err := s.saveState(ctx, tx, conv.ID, t.state); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// alertOwnerIn queues an alert to the owner's phone on the chat's
// transaction, so a retried message cannot find itself answered but its
// alert never queued. Same message and key as AlertOwner.
func (s *Service) alertOwnerIn(ctx context.Context, tx dbq.DBTX, st Settings, key, text string) error {
	if st.OwnerPhone == "" {
		return nil
	}
	conv, err := dbq.New(tx).EnsureConversation(ctx, dbq.EnsureConversationParams{AccountID: st.AccountID,
		WaID: strings.TrimPrefix(st.OwnerPhone, "+"), Now: s.Clock.Now().UTC()})
	if err != nil {
		return fmt.Errorf("whatsapp: owner conversation: %w", err)
	}
	_, err = s.enqueue(ctx, tx, st.AccountID, conv.ID, key+":owner", "system", payload{
		Message:  &Outgoing{Kind: "text", Body: text},
		Fallback: &Outgoing{Kind: "template", Template: st.Templates[EventOwnerAlert], Language: st.Language, Params: []string{text}},
	}, nil)
	return err
}

// answer decides the reply. Slots (dates, guests, name) accumulate across
// messages; what is missing is asked for one at a time.
func (t *turn) answer(ctx context.Context) error {
	text := t.msg.Text
	reply := t.msg.ReplyID
	// Button ids carry what the button means; "dates:…" and "guests:…" are read like typed text.
	switch {
	case strings.HasPrefix(reply, "dates:"):
		text, reply = strings.TrimPrefix(reply, "dates:"), ""
	case strings.HasPrefix(reply, "guests:"):
		text, reply = strings.TrimPrefix(reply, "guests:")+" personas", ""
	}
	u := Understand(text, t.today)
	if t.msg.Type != "text" && t.msg.Type != "interactive" && t.msg.Type != "button" {
		t.say("Por ahora solo entiendo mensajes de texto 🙂 Escribime las fechas y cuántas personas son, o «persona» para hablar con alguien.")
		return t.keep()
	}
	switch {
	case reply == "menu:human" || u.Intent == IntentHuman:
		return t.handOff(ctx, text)
	case reply == "menu:status" || u.Intent == IntentStatus:
		return t.status(ctx, u.Code)
	case u.Intent == IntentCancel:
		return t.cancelRequest(ctx, u.Code, text)
	case reply == "menu:book":
		t.state = State{Step: "ask_dates"}
		return t.next(ctx)
	case reply == "other_dates":
		t.state.CheckIn, t.state.CheckOut, t.state.Options, t.state.Chosen = "", "", nil, 0
		t.state.Step = "ask_dates"
		t.say("Dale. ¿Para qué otras fechas?")
		return t.keep()
	case strings.HasPrefix(reply, "pick:"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(reply, "pick:"), 10, 64)
		return t.pick(ctx, id)
	case reply == "name:profile":
		t.state.Name = cleanName(t.conv.ProfileName)
		return t.next(ctx)
	}
	// Slots from this message.
	gotSlot := false
	if !u.CheckIn.IsZero() {
		t.state.CheckIn, t.state.CheckOut = booking.FormatDate(u.CheckIn), booking.FormatDate(u.CheckOut)
		t.state.Options, t.state.Chosen = nil, 0
		gotSlot = true
	}
	if u.Guests > 0 {
		t.state.Guests = u.Guests
		t.state.Options, t.state.Chosen = nil, 0
		gotSlot = true
	} else if t.state.Step == "ask_guests" && u.Choice > 0 {
		t.state.Guests, gotSlot = u.Choice, true
	}
	if u.Name != "" {
		t.state.Name, gotSlot = u.Name, true
	}
	switch t.state.Step {
	case "choose":
		if !gotSlot {
			if u.Choice > 0 && u.Choice <= len(t.state.Options) {
				return t.pick(ctx, t.state.Options[u.Choice-1].PropertyID)
			}
			if u.Intent == IntentYes && len(t.state.Options) == 1 {
				return t.pick(ctx, t.state.Options[0].PropertyID)
			}
			if u.Intent == IntentNo {
				t.state = State{}
				t.say("Perfecto, quedo a disposición. Si querés ver otras fechas, escribímelas.")
				return t.keep()
			}
		}
	case "ask_name":
		if !gotSlot && u.Intent == IntentNone && looksLikeName(text) {
			t.state.Name = cleanName(text)
			gotSlot = true
		}
	}
	if gotSlot || t.state.Step != "" || u.Intent == IntentAvailability || u.Intent == IntentPrice || u.Intent == IntentBook {
		if !gotSlot && t.state.Step != "" && u.Intent == IntentNone {
			t.state.Misses++
			if t.state.Misses >= 3 {
				return t.handOffOffer()
			}
		} else {
			t.state.Misses = 0
		}
		if t.state.Step == "" {
			t.state.Step = "ask_dates"
		}
		return t.next(ctx)
	}
	if u.Intent == IntentGreeting || u.Intent == IntentHelp {
		return t.menu(ctx, true)
	}
	t.state.Misses++
	if t.state.Misses >= 2 {
		return t.handOffOffer()
	}
	return t.menu(ctx, false)
}

func (t *turn) keep() error {
	t.state.Expires = t.s.Clock.Now().Add(t.s.stateTTL())
	return nil
}

func (t *turn) menu(ctx context.Context, greet bool) error {
	lead := "No te entendí del todo 🙈"
	if greet {
		hello := "¡Hola"
		if name := firstName(t.conv.ProfileName); name != "" {
			hello += " " + name
		}
		lead = hello + "! 👋 Soy el asistente de " + t.accountName(ctx) + "."
	}
	t.buttons(lead+"\nPuedo decirte qué hay libre y cuánto sale, reservarte y mandarte el link de la seña. "+
		"Escribime por ejemplo: «del 10 al 15 de enero, 2 personas» o «este finde somos 4».",
		Choice{ID: "menu:book", Title: "Consultar fechas"}, Choice{ID: "menu:status", Title: "Mi reserva"},
		Choice{ID: "menu:human", Title: "Hablar con alguien"})
	return t.keep()
}

// accountName is how the assistant names the business (a fallback when the
// account cannot be read: the answer matters more than the name).
func (t *turn) accountName(ctx context.Context) string {
	a, err := dbq.New(t.s.DB).GetAccount(ctx, t.st.AccountID)
	if err != nil {
		return "los alojamientos"
	}
	return a.Name
}

func (t *turn) handOffOffer() error {
	t.state.Misses = 0
	t.buttons("Perdón, me está costando entenderte. ¿Querés que te atienda una persona?",
		Choice{ID: "menu:human", Title: "Sí, una persona"}, Choice{ID: "menu:book", Title: "Consultar fechas"})
	return t.keep()
}

func (t *turn) handOff(ctx context.Context, text string) error {
	t.handoff = true
	t.state = State{}
	t.say("Listo, le aviso a " + t.accountName(ctx) + " y te escribe por acá en breve. 🙌")
	who := t.conv.ProfileName
	if who == "" {
		who = "Un huésped"
	}
	t.alerts = append(t.alerts, fmt.Sprintf("%s (+%s) pidió hablar con una persona: «%s». Respondé desde el panel: %s/admin/whatsapp/%d",
		who, t.conv.WaID, clip(strings.TrimSpace(text), 200), t.s.BaseURL, t.conv.ID))
	return nil
}

// next asks for the first missing slot, or searches when all are there.
func (t *turn) next(ctx context.Context) error {
	st := &t.state
	switch {
	case st.CheckIn == "":
		st.Step = "ask_dates"
		t.buttons("¿Para qué fechas? Escribime por ejemplo «del 10 al 15 de enero», o elegí:",
			Choice{ID: "dates:este finde", Title: "Este finde"}, Choice{ID: "dates:el proximo finde", Title: "El próximo finde"},
			Choice{ID: "dates:el finde largo", Title: "El finde largo"})
	case st.Guests == 0:
		st.Step = "ask_guests"
		t.buttons("¿Cuántas personas son, contando chicos?",
			Choice{ID: "guests:2", Title: "2 personas"}, Choice{ID: "guests:3", Title: "3 personas"},
			Choice{ID: "guests:4", Title: "4 personas"})
	case st.Chosen != 0 && st.Name == "":
		st.Step = "ask_name"
		if n := cleanName(t.conv.ProfileName); n != "" {
			t.buttons("¿A nombre de quién hago la reserva? Escribime nombre y apellido.",
				Choice{ID: "name:profile", Title: clip(n, 20)})
		} else {
			t.say("¿A nombre de quién hago la reserva? Escribime nombre y apellido.")
		}
	case st.Chosen != 0:
		return t.hold(ctx)
	default:
		return t.search(ctx)
	}
	return t.keep()
}

// search offers every active property free for the stay, with its total.
func (t *turn) search(ctx context.Context) error {
	st := &t.state
	ci, _ := booking.ParseDate(st.CheckIn)
	co, _ := booking.ParseDate(st.CheckOut)
	ids, err := dbq.New(t.s.DB).ActivePropertiesForChat(ctx, t.st.AccountID)
	if err != nil {
		return err
	}
	stay := format.Stay(ci, co)
	var opts []Option
	maxCap, minNightsBlock, taken := 0, 0, 0
	past := false
	for _, id := range ids {
		p, err := t.s.Booking.PropertyForStay(ctx, id)
		if err != nil {
			continue
		}
		maxCap = max(maxCap, p.Rules.Capacity)
		if ci.Before(t.s.Booking.Today(p)) {
			past = true
			continue
		}
		if st.Guests > p.Rules.Capacity {
			continue
		}
		q, err := booking.Price(p.Rules, p.Seasons, ci, co, st.Guests)
		if err != nil {
			if q.MinNights > 0 || p.Rules.MinNights > booking.NightsBetween(ci, co) {
				minNightsBlock = max(minNightsBlock, p.Rules.MinNights)
			}
			continue
		}
		nights, err := t.s.Booking.TakenNights(ctx, p.ID, ci, co)
		if err != nil {
			return err
		}
		if len(nights) > 0 {
			taken++
			continue
		}
		opts = append(opts, Option{PropertyID: p.ID, Name: p.Name, Total: format.MoneyBrief(q.Total), Deposit: format.MoneyBrief(q.Deposit)})
	}
	st.Options = opts
	n := booking.NightsBetween(ci, co)
	who := fmt.Sprintf("%d %s", st.Guests, plural(st.Guests, "persona", "personas"))
	switch {
	case len(opts) == 0:
		st.Step = "ask_dates"
		st.CheckIn, st.CheckOut = "", ""
		switch {
		case past:
			t.say("Esas fechas ya pasaron 😅 ¿Para cuándo buscás?")
		case maxCap > 0 && st.Guests > maxCap:
			st.Guests = 0
			st.Step = "ask_guests"
			t.say(fmt.Sprintf("Para %s no tenemos lugar: el máximo por alojamiento es de %d personas. ¿Cuántos serían si se dividen, o querés consultarle a una persona? Escribí «persona».", who, maxCap))
		case minNightsBlock > 0 && taken == 0:
			t.say(fmt.Sprintf("Para %s la estadía mínima es de %d noches. ¿Querés probar con otras fechas?", stay, minNightsBlock))
		default:
			t.buttons(fmt.Sprintf("Uh, %s no nos queda nada libre para %s 😕 ¿Probamos otras fechas?", stay, who),
				Choice{ID: "dates:el proximo finde", Title: "El próximo finde"}, Choice{ID: "menu:human", Title: "Hablar con alguien"})
		}
	case len(opts) == 1:
		st.Step = "choose"
		o := opts[0]
		t.buttons(fmt.Sprintf("Para %s, %s (%d %s), tenemos libre *%s*: %s en total. La seña para reservar es de %s. ¿Te la reservo?",
			who, stay, n, plural(n, "noche", "noches"), o.Name, o.Total, o.Deposit),
			Choice{ID: "pick:" + strconv.FormatInt(o.PropertyID, 10), Title: "Reservar"},
			Choice{ID: "other_dates", Title: "Otras fechas"})
	default:
		st.Step = "choose"
		rows := make([]Choice, 0, min(len(opts), 10))
		var b strings.Builder
		fmt.Fprintf(&b, "Para %s, %s (%d %s), tenemos libre:", who, stay, n, plural(n, "noche", "noches"))
		for i, o := range opts {
			if i == 10 {
				break
			}
			fmt.Fprintf(&b, "\n%d. %s: %s (seña %s)", i+1, o.Name, o.Total, o.Deposit)
			rows = append(rows, Choice{ID: "pick:" + strconv.FormatInt(o.PropertyID, 10), Title: o.Name,
				Description: o.Total + " · seña " + o.Deposit})
		}
		b.WriteString("\n¿Cuál te reservo?")
		t.replies = append(t.replies, Outgoing{Kind: "list", Body: b.String(), ListButton: "Ver opciones", Rows: rows})
	}
	return t.keep()
}

func (t *turn) pick(ctx context.Context, id int64) error {
	for _, o := range t.state.Options {
		if o.PropertyID == id {
			t.state.Chosen = id
			return t.next(ctx)
		}
	}
	// A stale button (the chat started over since): search again.
	t.state.Options, t.state.Chosen = nil, 0
	if t.state.CheckIn == "" || t.state.Guests == 0 {
		t.say("Esa opción ya no está vigente. Empecemos de nuevo:")
	}
	return t.next(ctx)
}

// hold takes the nights through the same booking code as the API; the
// notice that follows carries the deposit link and the hold's expiry.
func (t *turn) hold(ctx context.Context) error {
	st := &t.state
	phone := "+" + t.conv.WaID
	q := dbq.New(t.s.DB)
	ci, _ := booking.ParseDate(st.CheckIn)
	co, _ := booking.ParseDate(st.CheckOut)
	// The same message retried after a crash finds its hold instead of asking again.
	code, err := q.LiveHoldFor(ctx, dbq.LiveHoldForParams{AccountID: t.st.AccountID, PropertyID: st.Chosen, Phone: phone,
		CheckIn: ci, CheckOut: co})
	var resID int64
	if err == nil {
		r, err := t.s.Booking.Get(ctx, code)
		if err != nil {
			return err
		}
		resID = r.ID
	} else {
		h, err := t.s.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: st.Chosen, CheckIn: st.CheckIn, CheckOut: st.CheckOut,
			Guests: st.Guests, GuestName: st.Name, GuestPhone: phone, Channel: "whatsapp", Actor: "whatsapp"})
		var verr *booking.ValidationError
		switch {
		case errors.Is(err, booking.ErrDateOverlap):
			st.Chosen, st.Options = 0, nil
			t.say("Uy, alguien acaba de tomar esas noches 😕 Te busco de nuevo:")
			return t.search(ctx)
		case errors.As(err, &verr):
			if msg, ok := verr.Fields["guest_name"]; ok {
				st.Name, st.Step = "", "ask_name"
				t.say(msg)
				return t.keep()
			}
			if msg, ok := verr.Fields["guest_phone"]; ok {
				// Too many unpaid holds from this phone: other dates would be refused the same way.
				t.state = State{Name: st.Name}
				t.say(msg + " Si querés saber cómo está una, mandame su código.")
				return t.keep()
			}
			st.Chosen, st.Options, st.CheckIn, st.CheckOut, st.Step = 0, nil, "", "", "ask_dates"
			for _, m := range verr.Fields {
				t.say("No pude reservar: " + m + " ¿Probamos otras fechas?")
				break
			}
			return t.keep()
		case err != nil:
			return err
		}
		resID = h.Reservation.ID
	}
	t.notices = append(t.notices, resID)
	t.state = State{Name: st.Name}
	return t.keep()
}

func (t *turn) status(ctx context.Context, code string) error {
	q := dbq.New(t.s.DB)
	if code != "" {
		r, err := q.GetReservationInAccount(ctx, dbq.GetReservationInAccountParams{AccountID: t.st.AccountID, Code: code})
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		// A code is not a secret: only the reservation's own phone hears
		// about it; anyone else gets the answer for a code that does not
		// exist. (The owner's phone never reaches the assistant: its
		// messages are recorded for the dashboard.)
		if errors.Is(err, pgx.ErrNoRows) || r.GuestPhone != "+"+t.conv.WaID {
			t.say("No encuentro la reserva " + code + ". Revisá el código (empieza con RES) o escribí «persona».")
			return t.keep()
		}
		t.say(statusLine(r.Code, r.Status, r.PropertyName, r.CheckIn, r.CheckOut, format.MoneyBrief(r.Deposit), format.MoneyBrief(r.Paid)))
		return t.keep()
	}
	rs, err := q.ReservationsByPhone(ctx, dbq.ReservationsByPhoneParams{AccountID: t.st.AccountID, Phone: "+" + t.conv.WaID})
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		t.say("No veo reservas activas a este número. Si tenés el código (empieza con RES), mandámelo.")
		return t.keep()
	}
	lines := make([]string, 0, len(rs))
	for _, r := range rs {
		lines = append(lines, statusLine(r.Code, r.Status, r.PropertyName, r.CheckIn, r.CheckOut, format.MoneyBrief(r.Deposit), format.MoneyBrief(r.Paid)))
	}
	t.say(strings.Join(lines, "\n\n"))
	return t.keep()
}

func statusLine(code, status, property string, in, out time.Time, deposit, paid string) string {
	var s string
	switch booking.Status(status) {
	case booking.StatusPreReserved:
		s = "pendiente de la seña (" + deposit + ")"
	case booking.StatusConfirmed:
		s = "confirmada ✅ (pagado " + paid + ")"
	case booking.StatusCheckedIn:
		s = "en curso"
	case booking.StatusCompleted:
		s = "terminada"
	case booking.StatusExpired:
		s = "vencida (no llegó la seña)"
	case booking.StatusCancelled:
		s = "cancelada"
	default:
		s = status
	}
	return fmt.Sprintf("Reserva %s: %s, %s. Estado: %s.", code, property, format.Stay(in, out), s)
}

// cancelRequest never cancels by itself: money may have to go back, so the
// owner decides. The request lands on the dashboard and the owner's phone.
func (t *turn) cancelRequest(ctx context.Context, code, text string) error {
	q := dbq.New(t.s.DB)
	var resID, propID *int64
	label := "sin código"
	if code == "" {
		if rs, err := q.ReservationsByPhone(ctx, dbq.ReservationsByPhoneParams{AccountID: t.st.AccountID,
			Phone: "+" + t.conv.WaID}); err == nil && len(rs) == 1 {
			code = rs[0].Code
		}
	}
	if code != "" {
		r, err := q.GetReservationInAccount(ctx, dbq.GetReservationInAccountParams{AccountID: t.st.AccountID, Code: code})
		if err == nil && r.GuestPhone == "+"+t.conv.WaID {
			resID, label = &r.ID, r.Code
			if full, err := t.s.Booking.Get(ctx, r.Code); err == nil {
				propID = &full.PropertyID
			}
		}
	}
	if err := q.InsertCancelRequest(ctx, dbq.InsertCancelRequestParams{AccountID: t.st.AccountID, PropertyID: propID,
		ReservationID: resID, Detail: fmt.Sprintf("+%s pidió cancelar (%s): %s", t.conv.WaID, label, clip(text, 300)),
		Now: t.s.Clock.Now().UTC()}); err != nil {
		return err
	}
	t.alerts = append(t.alerts, fmt.Sprintf("Pedido de cancelación de +%s (%s): «%s». Respondé desde el panel: %s/admin/whatsapp/%d",
		t.conv.WaID, label, clip(strings.TrimSpace(text), 200), t.s.BaseURL, t.conv.ID))
	t.say("Le pasé tu pedido de cancelación a " + t.accountName(ctx) + ", que te va a responder por acá con las condiciones. 🙏")
	return t.keep()
}

func looksLikeName(s string) bool {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 60 || strings.ContainsAny(s, "0123456789@/?¿!¡") {
		return false
	}
	return len(strings.Fields(s)) <= 5
}

func cleanName(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		r := []rune(strings.ToLower(w))
		if len(r) > 0 {
			r[0] = []rune(strings.ToUpper(string(r[0])))[0]
		}
		f[i] = string(r)
	}
	return clip(strings.Join(f, " "), 120)
}

// mergeReplies makes one turn's answer one message: separate messages are
// separate jobs and could arrive out of order. Texts join; an interactive
// message takes the texts before it as the start of its body.
func mergeReplies(rs []Outgoing) []Outgoing {
	if len(rs) < 2 {
		return rs
	}
	var lead []string
	var out []Outgoing
	for _, r := range rs {
		if r.Kind == "text" {
			lead = append(lead, r.Body)
			continue
		}
		r.Body = strings.Join(append(lead, r.Body), "\n\n")
		lead = nil
		out = append(out, r)
	}
	if len(lead) > 0 {
		out = append(out, Outgoing{Kind: "text", Body: strings.Join(lead, "\n\n")})
	}
	return out
}
