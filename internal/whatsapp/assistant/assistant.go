package assistant

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/platform"
	"alojamientos/internal/whatsapp/cloudapi"
	"alojamientos/internal/whatsapp/understand"
)

// DefaultStateTTL is how long the assistant remembers a quiet chat.
const DefaultStateTTL = 2 * time.Hour

// Assistant answers guests' chats: it reads their messages (package
// understand), searches and holds through booking, and says what to answer.
// It sends nothing and queues nothing: the caller stores its Turn.
type Assistant struct {
	DB       booking.DB
	Booking  *booking.Service
	Clock    platform.Clock
	BaseURL  string        // for the dashboard links in the owner's alerts
	StateTTL time.Duration // DefaultStateTTL when zero
}

func (a *Assistant) stateTTL() time.Duration {
	if a.StateTTL > 0 {
		return a.StateTTL
	}
	return DefaultStateTTL
}

// Turn is the assistant's answer to one message, for the caller to queue on
// the chat's transaction.
type Turn struct {
	// Replies to the guest, merged so one turn is one message where it can be.
	Replies []cloudapi.Outgoing
	// Holds are reservations just held: their notice carries the deposit link.
	Holds []int64
	// Alerts are texts for the owner's phone.
	Alerts []string
	// Cancelled are reservations the guest just cancelled: their notice tells the refund.
	Cancelled []int64
	// HandOff gives the chat to a person.
	HandOff bool
	// State is what to remember of the chat until the next message.
	State State
}

// Answer decides the answer to m, a message of the chat conv of account
// accountID, given what the chat's state was. It reads the database and may
// place a hold (through booking), but writes no message.
func (a *Assistant) Answer(ctx context.Context, accountID int64, conv dbq.WaConversation, m cloudapi.InboundMessage,
	state State) (Turn, error) {
	t := &turn{a: a, accountID: accountID, conv: conv, msg: m, state: state,
		today: booking.LocalDate(a.Clock.Now(), a.Booking.Locations.Get("America/Argentina/Buenos_Aires"))}
	if err := t.answer(ctx); err != nil {
		return Turn{}, err
	}
	return Turn{Replies: mergeReplies(t.replies), Holds: t.notices, Alerts: t.alerts, HandOff: t.handoff,
		State: t.state, Cancelled: t.cancelled}, nil
}

// turn is one inbound message being answered: what the assistant says back
// and what it asks of the owner, written together when the turn ends.
type turn struct {
	a         *Assistant
	accountID int64
	conv      dbq.WaConversation
	msg       cloudapi.InboundMessage
	today     time.Time
	state     State
	replies   []cloudapi.Outgoing
	// notices are reservation notices (the hold's link) the turn calls for.
	notices []int64
	// cancelled are reservations cancelled in this turn (their notice is the answer).
	cancelled []int64
	alerts    []string
	handoff   bool
}

func (t *turn) say(text string) {
	t.replies = append(t.replies, cloudapi.Outgoing{Kind: "text", Body: text})
}

func (t *turn) buttons(text string, b ...cloudapi.Choice) {
	t.replies = append(t.replies, cloudapi.Outgoing{Kind: "buttons", Body: text, Buttons: b})
}

// answer decides the reply, in steps: a tapped button or an intent that
// leaves the booking (command), the slots this message gives (takeSlots), a
// pick among the options offered (choose), and otherwise the conversation
// goes on (converse). Slots (dates, guests, name) accumulate across
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
	u := understand.Message(text, t.today)
	if t.msg.Type != "text" && t.msg.Type != "interactive" && t.msg.Type != "button" {
		t.say("Por ahora solo entiendo mensajes de texto 🙂 Escribime las fechas y cuántas personas son, o «persona» para hablar con alguien.")
		return t.keep()
	}
	if done, err := t.cancelReply(ctx, reply, u); done {
		return err
	}
	if done, err := t.command(ctx, reply, text, u); done {
		return err
	}
	gotSlot := t.takeSlots(text, u)
	if !gotSlot {
		if done, err := t.choose(ctx, u); done {
			return err
		}
	}
	return t.converse(ctx, u, gotSlot)
}

// command answers a tapped button or an intent that leaves the booking (a
// person, a reservation's status, a cancellation); done is false for the rest.
func (t *turn) command(ctx context.Context, reply, text string, u understand.Understanding) (done bool, err error) {
	switch {
	case reply == "menu:human" || u.Intent == understand.IntentHuman:
		return true, t.handOff(ctx, text)
	case reply == "menu:status" || u.Intent == understand.IntentStatus:
		return true, t.status(ctx, u.Code)
	case u.Intent == understand.IntentCancel:
		return true, t.cancelStart(ctx, u.Code, text)
	case reply == "menu:book":
		t.state = State{Step: "ask_dates"}
		return true, t.next(ctx)
	case reply == "other_dates":
		t.state.CheckIn, t.state.CheckOut, t.state.Options, t.state.Chosen = "", "", nil, 0
		t.state.Step = "ask_dates"
		t.say("Dale. ¿Para qué otras fechas?")
		return true, t.keep()
	case strings.HasPrefix(reply, "pick:"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(reply, "pick:"), 10, 64)
		return true, t.pick(ctx, id)
	case reply == "name:profile":
		t.state.Name = cleanName(t.conv.ProfileName)
		return true, t.next(ctx)
	}
	return false, nil
}

// takeSlots keeps the dates, guests and name the message gives (a bare
// number when guests were asked, a bare name when the name was) and reports
// whether it gave any.
func (t *turn) takeSlots(text string, u understand.Understanding) bool {
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
	if t.state.Step == "ask_name" && !gotSlot && u.Intent == understand.IntentNone && looksLikeName(text) {
		t.state.Name = cleanName(text)
		gotSlot = true
	}
	return gotSlot
}

// choose answers a message that picks one of the options offered, accepts
// the only one, or declines; done is false for anything else.
func (t *turn) choose(ctx context.Context, u understand.Understanding) (done bool, err error) {
	if t.state.Step != "choose" {
		return false, nil
	}
	switch {
	case u.Choice > 0 && u.Choice <= len(t.state.Options):
		return true, t.pick(ctx, t.state.Options[u.Choice-1].PropertyID)
	case u.Intent == understand.IntentYes && len(t.state.Options) == 1:
		return true, t.pick(ctx, t.state.Options[0].PropertyID)
	case u.Intent == understand.IntentNo:
		t.state = State{}
		t.say("Perfecto, quedo a disposición. Si querés ver otras fechas, escribímelas.")
		return true, t.keep()
	}
	return false, nil
}

// converse goes on with the booking when there is one to go on with (asking
// for the next slot), shows the menu to a greeting, and offers a person
// after messages it did not understand.
func (t *turn) converse(ctx context.Context, u understand.Understanding, gotSlot bool) error {
	if gotSlot || t.state.Step != "" || u.Intent == understand.IntentAvailability || u.Intent == understand.IntentPrice ||
		u.Intent == understand.IntentBook {
		if !gotSlot && t.state.Step != "" && u.Intent == understand.IntentNone {
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
	if u.Intent == understand.IntentGreeting || u.Intent == understand.IntentHelp {
		return t.menu(ctx, true)
	}
	t.state.Misses++
	if t.state.Misses >= 2 {
		return t.handOffOffer()
	}
	return t.menu(ctx, false)
}

func (t *turn) keep() error {
	t.state.Expires = t.a.Clock.Now().Add(t.a.stateTTL())
	return nil
}

func (t *turn) menu(ctx context.Context, greet bool) error {
	lead := "No te entendí del todo 🙈"
	if greet {
		hello := "¡Hola"
		if name := format.FirstName(t.conv.ProfileName); name != "" {
			hello += " " + name
		}
		lead = hello + "! 👋 Soy el asistente de " + t.accountName(ctx) + "."
	}
	t.buttons(lead+"\nPuedo decirte qué hay libre y cuánto sale, reservarte y mandarte el link de la seña. "+
		"Escribime por ejemplo: «del 10 al 15 de enero, 2 personas» o «este finde somos 4».",
		cloudapi.Choice{ID: "menu:book", Title: "Consultar fechas"}, cloudapi.Choice{ID: "menu:status", Title: "Mi reserva"},
		cloudapi.Choice{ID: "menu:human", Title: "Hablar con alguien"})
	return t.keep()
}

// accountName is how the assistant names the business (a fallback when the
// account cannot be read: the answer matters more than the name).
func (t *turn) accountName(ctx context.Context) string {
	a, err := db.Q(t.a.DB).GetAccount(ctx, t.accountID)
	if err != nil {
		return "los alojamientos"
	}
	return a.Name
}

func (t *turn) handOffOffer() error {
	t.state.Misses = 0
	t.buttons("Perdón, me está costando entenderte. ¿Querés que te atienda una persona?",
		cloudapi.Choice{ID: "menu:human", Title: "Sí, una persona"}, cloudapi.Choice{ID: "menu:book", Title: "Consultar fechas"})
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
		who, t.conv.WaID, format.Clip(strings.TrimSpace(text), 200), t.a.BaseURL, t.conv.ID))
	return nil
}

// next asks for the first missing slot, or searches when all are there.
func (t *turn) next(ctx context.Context) error {
	st := &t.state
	switch {
	case st.CheckIn == "":
		st.Step = "ask_dates"
		t.buttons("¿Para qué fechas? Escribime por ejemplo «del 10 al 15 de enero», o elegí:",
			cloudapi.Choice{ID: "dates:este finde", Title: "Este finde"}, cloudapi.Choice{ID: "dates:el proximo finde", Title: "El próximo finde"},
			cloudapi.Choice{ID: "dates:el finde largo", Title: "El finde largo"})
	case st.Guests == 0:
		st.Step = "ask_guests"
		t.buttons("¿Cuántas personas son, contando chicos?",
			cloudapi.Choice{ID: "guests:2", Title: "2 personas"}, cloudapi.Choice{ID: "guests:3", Title: "3 personas"},
			cloudapi.Choice{ID: "guests:4", Title: "4 personas"})
	case st.Chosen != 0 && st.Name == "":
		st.Step = "ask_name"
		if n := cleanName(t.conv.ProfileName); n != "" {
			t.buttons("¿A nombre de quién hago la reserva? Escribime nombre y apellido.",
				cloudapi.Choice{ID: "name:profile", Title: format.Clip(n, 20)})
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

// search offers every active property free for the stay, with its total:
// findOptions looks, then offerNone or offer answers.
func (t *turn) search(ctx context.Context) error {
	st := &t.state
	ci, _ := booking.ParseDate(st.CheckIn)
	co, _ := booking.ParseDate(st.CheckOut)
	f, err := t.findOptions(ctx, ci, co, st.Guests)
	if err != nil {
		return err
	}
	st.Options = f.options
	if len(f.options) == 0 {
		t.offerNone(f, format.Stay(ci, co))
	} else {
		t.offer(ci, co)
	}
	return t.keep()
}

// found is what a search saw: the options, and why the other properties were not.
type found struct {
	options        []Option
	maxCap         int  // the largest capacity among the properties
	minNightsBlock int  // the longest minimum stay that refused the dates
	taken          int  // properties with some of the nights taken
	past           bool // the stay starts before today
}

func (t *turn) findOptions(ctx context.Context, ci, co time.Time, guests int) (found, error) {
	var f found
	ids, err := db.Q(t.a.DB).ActivePropertiesForChat(ctx, t.accountID)
	if err != nil {
		return f, err
	}
	for _, id := range ids {
		p, err := t.a.Booking.PropertyForStay(ctx, id)
		if err != nil {
			continue
		}
		f.maxCap = max(f.maxCap, p.Rules.Capacity)
		if ci.Before(t.a.Booking.Today(p)) {
			f.past = true
			continue
		}
		if guests > p.Rules.Capacity {
			continue
		}
		q, err := booking.Price(p.Rules, p.Seasons, ci, co, guests)
		if err != nil {
			if q.MinNights > 0 || p.Rules.MinNights > booking.NightsBetween(ci, co) {
				f.minNightsBlock = max(f.minNightsBlock, p.Rules.MinNights)
			}
			continue
		}
		nights, err := t.a.Booking.TakenNights(ctx, p.ID, ci, co)
		if err != nil {
			return f, err
		}
		if len(nights) > 0 {
			f.taken++
			continue
		}
		f.options = append(f.options, Option{PropertyID: p.ID, Name: p.Name, Total: format.AmountBrief(money.In(q.Total, q.Currency)),
			Deposit: format.AmountBrief(money.In(q.Deposit, q.Currency)), Pesos: t.pesos(ctx, p.AccountID, q)})
	}
	return f, nil
}

// pesos is a foreign quote's total in pesos at today's rate, "" for pesos
// or without a rate: a rate never stops the chat from offering a stay.
func (t *turn) pesos(ctx context.Context, accountID int64, q booking.Quote) string {
	l, err := t.a.Booking.RateToday(ctx, accountID, q.Currency)
	if err != nil || l == nil {
		return ""
	}
	return format.AmountBrief(money.In(money.Money(l.Pesos(int64(q.Total))*100), "ARS"))
}

// offerNone says why nothing is free and asks again for what to change.
func (t *turn) offerNone(f found, stay string) {
	st := &t.state
	who := fmt.Sprintf("%d %s", st.Guests, plural(st.Guests, "persona", "personas"))
	st.Step = "ask_dates"
	st.CheckIn, st.CheckOut = "", ""
	switch {
	case f.past:
		t.say("Esas fechas ya pasaron 😅 ¿Para cuándo buscás?")
	case f.maxCap > 0 && st.Guests > f.maxCap:
		st.Guests = 0
		st.Step = "ask_guests"
		t.say(fmt.Sprintf("Para %s no tenemos lugar: el máximo por alojamiento es de %d personas. ¿Cuántos serían si se dividen, o querés consultarle a una persona? Escribí «persona».", who, f.maxCap))
	case f.minNightsBlock > 0 && f.taken == 0:
		t.say(fmt.Sprintf("Para %s la estadía mínima es de %d noches. ¿Querés probar con otras fechas?", stay, f.minNightsBlock))
	default:
		t.buttons(fmt.Sprintf("Uh, %s no nos queda nada libre para %s 😕 ¿Probamos otras fechas?", stay, who),
			cloudapi.Choice{ID: "dates:el proximo finde", Title: "El próximo finde"}, cloudapi.Choice{ID: "menu:human", Title: "Hablar con alguien"})
	}
}

// offer shows the options found (state.Options): one with buttons, more as a list.
func (t *turn) offer(ci, co time.Time) {
	st := &t.state
	opts := st.Options
	stay := format.Stay(ci, co)
	n := booking.NightsBetween(ci, co)
	who := fmt.Sprintf("%d %s", st.Guests, plural(st.Guests, "persona", "personas"))
	st.Step = "choose"
	if len(opts) == 1 {
		o := opts[0]
		t.buttons(fmt.Sprintf("Para %s, %s (%d %s), tenemos libre *%s*: %s en total. La seña para reservar es de %s. ¿Te la reservo?",
			who, stay, n, plural(n, "noche", "noches"), o.Name, o.total(), o.Deposit),
			cloudapi.Choice{ID: "pick:" + strconv.FormatInt(o.PropertyID, 10), Title: "Reservar"},
			cloudapi.Choice{ID: "other_dates", Title: "Otras fechas"})
	} else {
		rows := make([]cloudapi.Choice, 0, min(len(opts), 10))
		var b strings.Builder
		fmt.Fprintf(&b, "Para %s, %s (%d %s), tenemos libre:", who, stay, n, plural(n, "noche", "noches"))
		for i, o := range opts {
			if i == 10 {
				break
			}
			fmt.Fprintf(&b, "\n%d. %s: %s (seña %s)", i+1, o.Name, o.total(), o.Deposit)
			rows = append(rows, cloudapi.Choice{ID: "pick:" + strconv.FormatInt(o.PropertyID, 10), Title: o.Name,
				Description: o.total() + " · seña " + o.Deposit})
		}
		b.WriteString("\n¿Cuál te reservo?")
		t.replies = append(t.replies, cloudapi.Outgoing{Kind: "list", Body: b.String(), ListButton: "Ver opciones", Rows: rows})
	}
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
	q := db.Q(t.a.DB)
	ci, _ := booking.ParseDate(st.CheckIn)
	co, _ := booking.ParseDate(st.CheckOut)
	// The same message retried after a crash finds its hold instead of asking again.
	code, err := q.LiveHoldFor(ctx, dbq.LiveHoldForParams{AccountID: t.accountID, PropertyID: st.Chosen, Phone: phone,
		CheckIn: ci, CheckOut: co})
	var resID int64
	if err == nil {
		r, err := t.a.Booking.Get(ctx, code)
		if err != nil {
			return err
		}
		resID = r.ID
	} else {
		h, err := t.a.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: st.Chosen, CheckIn: st.CheckIn, CheckOut: st.CheckOut,
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
	q := db.Q(t.a.DB)
	if code != "" {
		r, err := q.GetReservationInAccount(ctx, dbq.GetReservationInAccountParams{AccountID: t.accountID, Code: code})
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		// A code is not a secret: only the reservation's own phone hears
		// about it; anyone else gets the answer for a code that does not
		// exist. (The owner's phone never reaches the assistant: its
		// messages are recorded for the dashboard.)
		if errors.Is(err, db.ErrNotFound) || r.GuestPhone != "+"+t.conv.WaID {
			t.say("No encuentro la reserva " + code + ". Revisá el código (empieza con RES) o escribí «persona».")
			return t.keep()
		}
		t.say(statusLine(r.Code, r.Status, r.PropertyName, r.CheckIn, r.CheckOut, format.AmountBrief(money.In(r.Deposit, r.Currency)), format.AmountBrief(money.In(r.Paid, r.Currency))))
		return t.keep()
	}
	rs, err := q.ReservationsByPhone(ctx, dbq.ReservationsByPhoneParams{AccountID: t.accountID, Phone: "+" + t.conv.WaID})
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		t.say("No veo reservas activas a este número. Si tenés el código (empieza con RES), mandámelo.")
		return t.keep()
	}
	lines := make([]string, 0, len(rs))
	for _, r := range rs {
		lines = append(lines, statusLine(r.Code, r.Status, r.PropertyName, r.CheckIn, r.CheckOut, format.AmountBrief(money.In(r.Deposit, r.Currency)), format.AmountBrief(money.In(r.Paid, r.Currency))))
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
	q := db.Q(t.a.DB)
	var resID, propID *int64
	label := "sin código"
	if code == "" {
		if rs, err := q.ReservationsByPhone(ctx, dbq.ReservationsByPhoneParams{AccountID: t.accountID,
			Phone: "+" + t.conv.WaID}); err == nil && len(rs) == 1 {
			code = rs[0].Code
		}
	}
	if code != "" {
		r, err := q.GetReservationInAccount(ctx, dbq.GetReservationInAccountParams{AccountID: t.accountID, Code: code})
		if err == nil && r.GuestPhone == "+"+t.conv.WaID {
			resID, label = &r.ID, r.Code
			if full, err := t.a.Booking.Get(ctx, r.Code); err == nil {
				propID = &full.PropertyID
			}
		}
	}
	if err := q.InsertCancelRequest(ctx, dbq.InsertCancelRequestParams{AccountID: t.accountID, PropertyID: propID,
		ReservationID: resID, Detail: fmt.Sprintf("+%s pidió cancelar (%s): %s", t.conv.WaID, label, format.Clip(text, 300)),
		Now: t.a.Clock.Now().UTC()}); err != nil {
		return err
	}
	t.alerts = append(t.alerts, fmt.Sprintf("Pedido de cancelación de +%s (%s): «%s». Respondé desde el panel: %s/admin/whatsapp/%d",
		t.conv.WaID, label, format.Clip(strings.TrimSpace(text), 200), t.a.BaseURL, t.conv.ID))
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
	return format.Clip(strings.Join(f, " "), 120)
}

// mergeReplies makes one turn's answer one message: separate messages are
// separate jobs and could arrive out of order. Texts join; an interactive
// message takes the texts before it as the start of its body.
func mergeReplies(rs []cloudapi.Outgoing) []cloudapi.Outgoing {
	if len(rs) < 2 {
		return rs
	}
	var lead []string
	var out []cloudapi.Outgoing
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
		out = append(out, cloudapi.Outgoing{Kind: "text", Body: strings.Join(lead, "\n\n")})
	}
	return out
}

// The assistant's small text helpers. pesos is the same rule as package
// whatsapp's (notify.go): both are to call the shared formatter when there is one.

// pesos writes an amount as guests read it: "$ 20.000".

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
