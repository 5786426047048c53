package web

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/guest"
)

// widgetState is the booking box's state, carried in the URL so every step
// is a plain link that works without JavaScript and can be shared.
type widgetState struct {
	month    time.Time // first day of the first month shown
	checkIn  time.Time // zero when not chosen
	checkOut time.Time
	guests   int
	// badGuests: guests was given but is not a number of guests the property takes.
	badGuests bool
}

// maxMonthsAhead bounds how far the calendar goes.
const maxMonthsAhead = 24

func firstOfMonth(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// readWidgetState parses month, check_in, check_out and guests, ignoring
// what does not parse: a bad link shows the calendar, not an error page.
func readWidgetState(get func(string) string, p booking.Property, today time.Time) widgetState {
	st := widgetState{guests: min(2, p.Rules.Capacity)}
	if d, err := booking.ParseDate(get("check_in")); err == nil {
		st.checkIn = d
	}
	if d, err := booking.ParseDate(get("check_out")); err == nil && !st.checkIn.IsZero() && d.After(st.checkIn) {
		st.checkOut = d
	}
	if raw := get("guests"); raw != "" {
		if g, err := strconv.Atoi(raw); err == nil && g >= 1 && g <= p.Rules.Capacity {
			st.guests = g
		} else {
			st.badGuests = true
		}
	}
	st.month = firstOfMonth(today)
	if m, err := time.Parse("2006-01", get("month")); err == nil {
		st.month = m
	} else if !st.checkIn.IsZero() {
		st.month = firstOfMonth(st.checkIn)
	}
	if st.month.Before(firstOfMonth(today)) {
		st.month = firstOfMonth(today)
	}
	if last := firstOfMonth(today).AddDate(0, maxMonthsAhead, 0); st.month.After(last) {
		st.month = last
	}
	return st
}

func (st widgetState) url(base string) string {
	v := url.Values{}
	v.Set("month", st.month.Format("2006-01"))
	if !st.checkIn.IsZero() {
		v.Set("check_in", booking.FormatDate(st.checkIn))
	}
	if !st.checkOut.IsZero() {
		v.Set("check_out", booking.FormatDate(st.checkOut))
	}
	v.Set("guests", strconv.Itoa(st.guests))
	return base + "?" + v.Encode()
}

// buildWidget reads the nights of the two months shown and prices the chosen stay.
func (s *Server) buildWidget(ctx context.Context, c echo.Context, p booking.Property, st widgetState, form guest.HoldForm, notice string) (guest.WidgetView, error) {
	base := "/p/" + p.Slug
	from, to := st.month, st.month.AddDate(0, 2, 0)
	nights, err := s.booking.Availability(ctx, p.ID, from, to)
	if err != nil {
		return guest.WidgetView{}, err
	}
	free := make(map[time.Time]bool, len(nights))
	for _, n := range nights {
		free[n.Date] = n.Available
	}
	w := guest.WidgetView{
		PageURL: base, HoldURL: base + "/hold", QuoteURL: base + "/quote", CSRF: csrfToken(c), Month: st.month.Format("2006-01"),
		Guests: st.guests, Notice: notice, Form: withGuestsError(form, p, st), Methods: methodOptions(p.Pay, form.Method),
		Terms: termsOf(p.Policy),
	}
	for g := 1; g <= p.Rules.Capacity; g++ {
		w.GuestOptions = append(w.GuestOptions, g)
	}
	if !st.checkIn.IsZero() {
		w.CheckIn = booking.FormatDate(st.checkIn)
	}
	if !st.checkOut.IsZero() {
		w.CheckOut = booking.FormatDate(st.checkOut)
	}
	cal := widgetCalendar{st: st, today: s.booking.Today(p), base: base, free: free,
		choosingOut: !st.checkIn.IsZero() && st.checkOut.IsZero()}
	w.PrevURL, w.NextURL = cal.monthLinks()
	w.Hint = cal.hint()
	for m := from; m.Before(to); m = m.AddDate(0, 1, 0) {
		w.Months = append(w.Months, cal.month(m))
	}
	if !st.checkIn.IsZero() && !st.checkOut.IsZero() {
		w.Quote, err = s.quoteView(ctx, p, st)
		if err != nil {
			return guest.WidgetView{}, err
		}
	}
	return w, nil
}

// withGuestsError adds the guests message to the form when the link asked
// for a number of guests the property does not take, unless the form already
// says something about guests. The errors map is cloned: the caller's form
// may share it.
func withGuestsError(form guest.HoldForm, p booking.Property, st widgetState) guest.HoldForm {
	if !st.badGuests || form.Errors["guests"] != "" {
		return form
	}
	form.Errors = maps.Clone(form.Errors)
	if form.Errors == nil {
		form.Errors = map[string]string{}
	}
	form.Errors["guests"] = guestsMessage(p)
	return form
}

// widgetCalendar lays out the months of the booking box: every day's state,
// its link (the state the URL moves to when the day is tapped) and its label
// for screen readers.
type widgetCalendar struct {
	st    widgetState
	today time.Time
	base  string
	free  map[time.Time]bool // the nights shown; true when free
	// choosingOut: a check-in is chosen and the next tap picks the check-out.
	choosingOut bool
}

// monthLinks are the previous and next month links, empty outside the
// months a guest may book (from this month to maxMonthsAhead).
func (cal widgetCalendar) monthLinks() (prevURL, nextURL string) {
	prev, next := cal.st, cal.st
	prev.month, next.month = cal.st.month.AddDate(0, -1, 0), cal.st.month.AddDate(0, 1, 0)
	if !prev.month.Before(firstOfMonth(cal.today)) {
		prevURL = prev.url(cal.base)
	}
	if !next.month.After(firstOfMonth(cal.today).AddDate(0, maxMonthsAhead, 0)) {
		nextURL = next.url(cal.base)
	}
	return prevURL, nextURL
}

// hint tells the guest what the next tap does.
func (cal widgetCalendar) hint() string {
	switch {
	case cal.st.checkIn.IsZero():
		return "Elegí la fecha de llegada."
	case cal.choosingOut:
		return "Ahora elegí la fecha de salida."
	default:
		return "Para cambiar las fechas, tocá otro día de llegada."
	}
}

// month lays out one month, Monday first.
func (cal widgetCalendar) month(m time.Time) guest.MonthView {
	mv := guest.MonthView{Title: format.Month(m)}
	lead := (int(m.Weekday()) + 6) % 7 // Monday first
	mv.Blank = make([]int, lead)
	for d := m; d.Month() == m.Month(); d = d.AddDate(0, 0, 1) {
		mv.Days = append(mv.Days, cal.day(d))
	}
	return mv
}

// day is one day of the calendar. While choosing the check-out, a later day
// whose nights are all free links to that stay; otherwise a free day links to
// a new check-in.
func (cal widgetCalendar) day(d time.Time) guest.DayView {
	st := cal.st
	day := guest.DayView{Day: d.Day(), State: "free"}
	switch {
	case d.Before(cal.today):
		day.State = "past"
	case !cal.free[d]:
		day.State = "taken"
	}
	pick := st
	switch {
	case cal.choosingOut && d.After(st.checkIn) && cal.rangeFree(d):
		pick.checkOut = d
		day.URL = pick.url(cal.base)
	case day.State == "free":
		pick.checkIn, pick.checkOut = d, time.Time{}
		day.URL = pick.url(cal.base)
	}
	switch {
	case d.Equal(st.checkIn):
		day.Selected = "start"
	case d.Equal(st.checkOut):
		day.Selected = "end"
	case !st.checkOut.IsZero() && d.After(st.checkIn) && d.Before(st.checkOut):
		day.Selected = "range"
	}
	day.Label = dayLabel(d, day.State)
	return day
}

// rangeFree reports whether every night shown in [checkIn, d) is free.
func (cal widgetCalendar) rangeFree(d time.Time) bool {
	for n := cal.st.checkIn; n.Before(d); n = n.AddDate(0, 0, 1) {
		if ok, shown := cal.free[n]; shown && !ok {
			return false
		}
	}
	return true
}

// dayLabel is what a screen reader says for a day: "lunes 3 de marzo, libre".
func dayLabel(d time.Time, state string) string {
	label := fmt.Sprintf("%s %d de %s", format.WeekdayName(d.Weekday()), d.Day(), format.MonthName(d.Month()))
	switch state {
	case "taken":
		return label + ", ocupada"
	case "past":
		return label + ", no disponible"
	default:
		return label + ", libre"
	}
}

// quoteView prices the chosen stay with the one pricing function, or says
// in Spanish why it cannot be booked.
func (s *Server) quoteView(ctx context.Context, p booking.Property, st widgetState) (guest.QuoteView, error) {
	var verr booking.ValidationError
	ci, co, ok := s.booking.ValidStay(p, booking.FormatDate(st.checkIn), booking.FormatDate(st.checkOut), st.guests, &verr)
	if !ok {
		return guest.QuoteView{Error: firstMessage(verr.Fields)}, nil
	}
	if msg, long := p.LongStay(ci, co); long {
		return guest.QuoteView{Error: msg}, nil
	}
	q, err := booking.Price(p.Rules, p.Seasons, ci, co, st.guests)
	var qerr *booking.ValidationError
	if errors.As(err, &qerr) {
		return guest.QuoteView{Error: firstMessage(qerr.Fields)}, nil
	}
	if err != nil {
		return guest.QuoteView{}, err
	}
	taken, err := s.booking.TakenNights(ctx, p.ID, ci, co)
	if err != nil {
		return guest.QuoteView{}, err
	}
	if len(taken) > 0 {
		return guest.QuoteView{Error: "Hay noches ocupadas entre esas fechas. Elegí otras."}, nil
	}
	in := func(m money.Money) string { return format.Amount(money.In(m, q.Currency)) }
	v := guest.QuoteView{Ready: true, NightsLabel: format.Nights(q.Nights), Subtotal: in(q.NightsSubtotal),
		ExtraGuests: q.ExtraGuests, ExtraGuestFee: in(q.ExtraGuestFee), Total: in(q.Total),
		Deposit: in(q.Deposit), DepositPercent: q.DepositPercent, CheckInLabel: format.Date(ci),
		CheckOutLabel: format.Date(co), DamageDeposit: booking.DepositTerms(p.DamageDeposit, q.Currency, p.DamageDepositMethod)}
	if q.CleaningFee > 0 {
		v.CleaningFee = in(q.CleaningFee)
	}
	// A foreign currency in pesos at today's rate; the hold locks the rate of its moment.
	if l := s.rateToday(ctx, p); l != nil {
		v.TotalARS, v.DepositARS = pesoEquivalent(l, q.Total, p.Timezone), pesoEquivalent(l, q.Deposit, p.Timezone)
	}
	// What Mercado Pago would charge for the seña if held now: the figure the preference will carry.
	mp := s.quoteMPCharge(ctx, p, q.Deposit)
	v.MPCharge, v.MPSurcharge, v.MPTotal = mp.Line, mp.Surcharge, mp.Total
	for _, n := range q.Breakdown {
		v.Nights = append(v.Nights, guest.QuoteNight{Date: format.Weekday(n.Date) + " " + format.Date(n.Date), Price: in(n.Price)})
	}
	return v, nil
}

// guestsMessage says which numbers of guests the property takes.
func guestsMessage(p booking.Property) string {
	if p.Rules.Capacity == 1 {
		return "Este alojamiento es para 1 huésped."
	}
	return fmt.Sprintf("Elegí cuántos huéspedes son: de 1 a %d.", p.Rules.Capacity)
}

// firstMessage picks one message to show, in a stable order.
func firstMessage(fields map[string]string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return "No se puede reservar con esos datos."
	}
	return fields[keys[0]]
}
