package web

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	resviews "alojamientos/views/reservations"
)

// adminReservation loads the reservation named in the URL within the user's
// account; another account's code is the same 404 as an unknown one.
func (s *Server) adminReservation(c echo.Context) (dbq.AdminGetReservationRow, error) {
	row, err := db.Q(s.pool).AdminGetReservation(c.Request().Context(), dbq.AdminGetReservationParams{
		Code: strings.ToUpper(c.Param("code")), AccountID: currentUser(c).AccountID,
	})
	if err != nil {
		return row, fmt.Errorf("web: load reservation %s: %w", c.Param("code"), err)
	}
	return row, nil
}

// reservationActor names the signed-in user in the audit log.
func reservationActor(c echo.Context) string {
	return "user:" + strconv.FormatInt(currentUser(c).ID, 10)
}

func reservationURL(code string) string { return "/admin/reservations/" + code }

// reservationDetail builds the reservation's page with its forms filled with
// the stored values; handlers that re-render a refused form overwrite theirs.
func (s *Server) reservationDetail(c echo.Context, row dbq.AdminGetReservationRow) (resviews.DetailView, error) {
	ctx := c.Request().Context()
	u := currentUser(c)
	loc := s.booking.Locations.Get(u.Timezone)
	r := row.Reservation
	q := db.Q(s.pool)

	price, err := booking.DecodePrice(r.PriceBreakdown)
	if err != nil {
		return resviews.DetailView{}, fmt.Errorf("web: reservation %s: %w", r.Code, err)
	}
	props, err := q.AdminListAccountProperties(ctx, u.AccountID)
	if err != nil {
		return resviews.DetailView{}, fmt.Errorf("web: reservation %s: properties: %w", r.Code, err)
	}
	pays, err := q.ListReservationPayments(ctx, dbq.ListReservationPaymentsParams{ReservationID: r.ID, AccountID: u.AccountID})
	if err != nil {
		return resviews.DetailView{}, fmt.Errorf("web: reservation %s: payments: %w", r.Code, err)
	}
	audit, err := q.AdminListReservationAudit(ctx, dbq.AdminListReservationAuditParams{ReservationID: &r.ID, AccountID: u.AccountID})
	if err != nil {
		return resviews.DetailView{}, fmt.Errorf("web: reservation %s: audit: %w", r.Code, err)
	}

	vm := s.reservationSummary(c, row, loc)
	vm.Price = reservationPrice(r, price, loc)
	vm.Payments = s.paymentRows(c, r, pays, loc)
	vm.Audit = auditRows(audit, props, r.Currency, loc)
	vm.Guest = resviews.GuestForm{Name: r.GuestName, Phone: r.GuestPhone, Email: r.GuestEmail, Note: r.Note,
		Guests: strconv.Itoa(int(r.Guests)), Capacity: int(row.PropertyCapacity)}
	vm.Stay = stayForm(r, props)
	vm.Payment = resviews.PaymentForm{Method: "transfer"}
	if vm.Receipts, err = s.receiptsSection(c, r); err != nil {
		return resviews.DetailView{}, err
	}
	st := booking.Status(r.Status)
	if s.mercadoPago != nil && s.mercadoPago.Client.Configured() && booking.BalanceLinkable(st, r.Total, r.Paid) {
		vm.BalanceLinkURL = reservationURL(r.Code) + "/balance-link"
	}
	if vm.Balance, err = s.balanceView(c, r); err != nil {
		return resviews.DetailView{}, err
	}
	if vm.Refunds, vm.RefundsAfter, err = s.refundRows(c, r, loc); err != nil {
		return resviews.DetailView{}, err
	}
	if booking.Allows(st, booking.ActionCancel) {
		if vm.Cancel, err = s.cancelForm(c, row); err != nil {
			return resviews.DetailView{}, err
		}
	}
	if vm.Money, err = s.reservationMoney(c, r, loc); err != nil {
		return resviews.DetailView{}, err
	}
	return vm, nil
}

// reservationSummary is the top of the page: the stay, the guest, the status
// with the actions it allows, and how long a hold has left.
func (s *Server) reservationSummary(c echo.Context, row dbq.AdminGetReservationRow, loc *time.Location) resviews.DetailView {
	r := row.Reservation
	st := booking.Status(r.Status)
	vm := resviews.DetailView{
		Code: r.Code, BaseURL: reservationURL(r.Code), Status: r.Status, StatusLabel: resviews.StatusLabel(r.Status),
		Property: row.PropertyName, CheckIn: longDate(r.CheckIn), CheckOut: longDate(r.CheckOut),
		Nights: booking.NightsBetween(r.CheckIn, r.CheckOut), Guests: int(r.Guests), GuestName: r.GuestName,
		GuestPhone: r.GuestPhone, GuestEmail: r.GuestEmail, Note: r.Note, Channel: resviews.ChannelLabel(r.Channel),
		CreatedAt: format.DateTime(r.CreatedAt, loc), CanChange: booking.Changeable(st),
		CanPay: booking.CanPay(st, r.Total, r.Paid), CSRF: csrfToken(c),
		DepositCovered: st == booking.StatusPreReserved && booking.DepositCovered(r.Deposit, r.Paid),
	}
	for _, a := range booking.AllowedActions(st) {
		vm.Actions = append(vm.Actions, string(a))
	}
	if st == booking.StatusPreReserved && r.HoldExpiresAt != nil {
		vm.HoldExpiresAt = format.DateTime(*r.HoldExpiresAt, loc)
		vm.HoldLeft = timeLeft(r.HoldExpiresAt.Sub(s.clock.Now()))
	}
	return vm
}

// reservationPrice shows the price stored with the reservation night by
// night, with the totals and what was paid from the reservation row.
func reservationPrice(r dbq.Reservation, price booking.StoredPrice, loc *time.Location) resviews.PriceView {
	// Everything here is in the reservation's currency, the one it was held in.
	in := func(m money.Money) string { return format.Amount(money.In(m, r.Currency)) }
	v := resviews.PriceView{
		NightsSubtotal: in(price.NightsSubtotal), CleaningFee: in(price.CleaningFee),
		HasCleaning: price.CleaningFee > 0, ExtraGuests: price.ExtraGuests, ExtraGuestFee: in(price.ExtraGuestFee),
		Total: in(r.Total), DepositPercent: price.DepositPercent, Deposit: in(r.Deposit),
		Paid: in(r.Paid), Balance: in(max(r.Total-r.Paid, 0)), BalanceDue: r.Paid < r.Total,
	}
	// A foreign-currency stay in pesos, at the rate locked on its hold.
	if l := booking.ReservationRate(r); l != nil {
		v.TotalARS, v.DepositARS = pesoEquivalent(l, r.Total, loc), pesoEquivalent(l, r.Deposit, loc)
	} else if r.Currency != "ARS" {
		v.NoRate = noRateNote
	}
	for _, n := range price.Nights {
		v.Nights = append(v.Nights, resviews.NightRow{Date: format.Date(n.Date), Weekday: format.Weekday(n.Date),
			Source: resviews.PriceSourceLabel(n.Source), Price: in(n.Price)})
	}
	return v
}

// paymentRows lists the payments; Mercado Pago's carry its id and, for the
// owner, the refund form.
func (s *Server) paymentRows(c echo.Context, r dbq.Reservation, pays []dbq.ListReservationPaymentsRow, loc *time.Location) []resviews.PaymentRow {
	var rows []resviews.PaymentRow
	for _, p := range pays {
		pr := resviews.PaymentRow{When: format.DateTime(p.CreatedAt, loc), Status: resviews.PaymentStatusLabel(p.Status),
			Amount: format.Amount(money.In(p.Amount, p.Currency)), Note: p.Note, By: p.CreatedByName, Method: resviews.MethodLabel(p.Method)}
		if p.Provider == "mercadopago" {
			pr.By = "Mercado Pago"
			if p.Method == "" {
				pr.Method = "Mercado Pago"
			}
			s.mercadoPagoPaymentRow(c, r, p, &pr)
		}
		rows = append(rows, pr)
	}
	return rows
}

// auditRows tells the reservation's history in Spanish; stay changes name
// the account's properties. Its amounts are in the reservation's currency
// (a reservation never changes currency), Mercado Pago's in pesos.
func auditRows(audit []dbq.AdminListReservationAuditRow, props []dbq.AdminListAccountPropertiesRow, currency string, loc *time.Location) []resviews.AuditRow {
	names := map[int64]string{}
	for _, p := range props {
		names[p.ID] = p.Name
	}
	var rows []resviews.AuditRow
	for _, a := range audit {
		rows = append(rows, resviews.AuditRow{When: format.DateTime(a.CreatedAt, loc),
			Who: auditActor(a.Actor, a.UserName), What: auditDescription(a.Action, a.Detail, names, currency)})
	}
	return rows
}

// stayForm is the change-of-stay form with the stored stay. It offers the
// active properties, and the reservation's own even when it was retired.
func stayForm(r dbq.Reservation, props []dbq.AdminListAccountPropertiesRow) resviews.StayForm {
	f := resviews.StayForm{PropertyID: strconv.FormatInt(r.PropertyID, 10), CheckIn: booking.FormatDate(r.CheckIn),
		CheckOut: booking.FormatDate(r.CheckOut)}
	for _, p := range props {
		if !p.Active && p.ID != r.PropertyID {
			continue
		}
		label := p.Name + " (hasta " + strconv.Itoa(int(p.Capacity)) + " huéspedes)"
		if !p.Active {
			label += " · dado de baja"
		}
		f.Properties = append(f.Properties, resviews.Option{Value: strconv.FormatInt(p.ID, 10), Label: label})
	}
	return f
}

// renderReservation fills the page's select options from the forms' values and writes it.
func (s *Server) renderReservation(c echo.Context, status int, vm resviews.DetailView) error {
	for i := range vm.Stay.Properties {
		vm.Stay.Properties[i].Selected = vm.Stay.Properties[i].Value == vm.Stay.PropertyID
	}
	vm.Money.Deposit.Form.Methods = depositMethodOptions(vm.Money.Deposit.Form.Method)
	vm.Payment.Methods = nil
	for _, m := range resviews.PaymentMethods {
		vm.Payment.Methods = append(vm.Payment.Methods, resviews.Option{Value: m, Label: resviews.MethodLabel(m),
			Selected: m == vm.Payment.Method})
	}
	return s.render(c, status, resviews.Show(s.adminPage(c, "Reserva "+vm.Code, "reservas"), vm))
}

// longDate is "vie 06/02/2026".
func longDate(d time.Time) string { return format.Weekday(d) + " " + format.Date(d) }

// timeLeft says how long a hold has left: "faltan 25 min", "faltan 2 h 5 min".
func timeLeft(d time.Duration) string {
	if d <= 0 {
		return "vencida, se libera en instantes"
	}
	mins := int((d + time.Minute - 1) / time.Minute)
	switch {
	case mins < 60:
		return fmt.Sprintf("faltan %d min", mins)
	case mins < 24*60:
		if mins%60 == 0 {
			return fmt.Sprintf("faltan %d h", mins/60)
		}
		return fmt.Sprintf("faltan %d h %d min", mins/60, mins%60)
	}
	return fmt.Sprintf("faltan %d d %d h", mins/(24*60), mins%(24*60)/60)
}

// auditActor names who did something.
func auditActor(actor, userName string) string {
	switch {
	case strings.HasPrefix(actor, "user:"):
		if userName != "" {
			return userName
		}
		return "Usuario eliminado"
	case actor == "system":
		return "Sistema"
	case actor == "api":
		return "API"
	case actor == "guest":
		return "Huésped"
	case actor == "whatsapp":
		return "WhatsApp"
	case actor == "mercadopago":
		return "Mercado Pago"
	}
	return actor
}

var guestFieldNames = map[string]string{
	"guest_name": "nombre", "guest_phone": "teléfono", "guest_email": "email", "note": "nota",
	"guests": "cantidad de huéspedes", "total": "total",
}

// auditDescription says in Spanish what an audit entry records.
func auditDescription(action string, raw []byte, propertyNames map[int64]string, currency string) string {
	var d map[string]json.RawMessage
	_ = json.Unmarshal(raw, &d)
	str := func(m map[string]json.RawMessage, k string) string {
		var v string
		_ = json.Unmarshal(m[k], &v)
		return v
	}
	withNote := func(s, note string) string {
		if note != "" {
			return s + ": " + note
		}
		return s + "."
	}
	if s, ok := cancelAuditDescription(action, d); ok {
		return s
	}
	switch action {
	case "hold_created":
		return "Pre-reserva creada (canal " + resviews.ChannelLabel(str(d, "channel")) + ")."
	case "hold_expired":
		return "La pre-reserva venció y las noches quedaron libres."
	case string(booking.ActionConfirm):
		return withNote("Confirmó la reserva", str(d, "note"))
	case string(booking.ActionCancel):
		return withNote("Canceló la reserva", str(d, "note"))
	case string(booking.ActionCheckIn):
		return withNote("Registró la llegada del huésped", str(d, "note"))
	case string(booking.ActionComplete):
		return withNote("Completó la estadía", str(d, "note"))
	case string(booking.ActionNoShow):
		return withNote("Marcó que el huésped no se presentó", str(d, "note"))
	case booking.ActionChangeStay:
		var change struct{ From, To auditStay }
		_ = json.Unmarshal(raw, &change)
		return "Cambió la estadía: " + change.From.describe(propertyNames, currency) + " → " + change.To.describe(propertyNames, currency) + "."
	case booking.ActionGuestUpdate:
		var changes map[string]json.RawMessage
		_ = json.Unmarshal(d["changes"], &changes)
		var fields []string
		for _, k := range []string{"guest_name", "guest_phone", "guest_email", "note", "guests", "total"} {
			if _, ok := changes[k]; ok {
				fields = append(fields, guestFieldNames[k])
			}
		}
		return "Editó los datos del huésped: " + strings.Join(fields, ", ") + "."
	case "payment_mercadopago":
		amount, _ := money.Parse(str(d, "amount"))
		paid := format.Money(amount)
		if credited, err := money.Parse(str(d, "credited")); err == nil {
			// Pesos for a dollar stay (or with a surcharge): what they count on it.
			paid += " (acreditado en la reserva: " + format.Amount(money.In(credited, str(d, "paid_currency"))) + ")"
		}
		return "Mercado Pago informó el pago " + str(d, "payment_id") + " de " + paid + ": " +
			strings.ToLower(resviews.PaymentStatusLabel(str(d, "status"))) + "."
	case "payment_refund":
		amount, _ := money.Parse(str(d, "amount"))
		return "Pidió a Mercado Pago devolver " + format.Money(amount) + " del pago " + str(d, "payment_id") + "."
	case "payment_alert":
		return "Aviso al dueño: " + str(d, "detail")
	case "hold_extended":
		if str(d, "reason") == "receipt" {
			return "La pre-reserva se extendió mientras se revisa un comprobante de transferencia."
		}
		return "La pre-reserva se extendió porque hay un pago en curso."
	case "receipt_uploaded", "receipt_rejected", "payment_method_changed":
		return transferAudit(action, str(d, "source"), str(d, "reason"), str(d, "method"))
	case booking.ActionPaymentAdd:
		amount, _ := money.Parse(str(d, "amount"))
		s := "Registró un pago de " + format.Amount(money.In(amount, currency)) + " (" + strings.ToLower(resviews.MethodLabel(str(d, "method"))) + ")"
		return withNote(s, str(d, "note"))
	case "feed_stale", "ical_collision":
		return str(d, "detail")
	case booking.ActionDepositReceived, booking.ActionDepositReturned:
		return depositAudit(action, str(d, "amount"), str(d, "deducted"), str(d, "returned"), str(d, "currency"), str(d, "method"), str(d, "note"))
	}
	return action
}

// auditStay is one side of a stay change as ChangeStay records it.
type auditStay struct {
	PropertyID int64  `json:"property_id"`
	CheckIn    string `json:"check_in"`
	CheckOut   string `json:"check_out"`
	Total      string `json:"total"`
}

// describe is "Cabaña 1, 06/02/2026 – 08/02/2026, $ 20.000,00".
func (s auditStay) describe(propertyNames map[int64]string, currency string) string {
	name, ok := propertyNames[s.PropertyID]
	if !ok {
		name = "alojamiento " + strconv.FormatInt(s.PropertyID, 10)
	}
	ci, _ := booking.ParseDate(s.CheckIn)
	co, _ := booking.ParseDate(s.CheckOut)
	total, _ := money.Parse(s.Total)
	return name + ", " + format.Date(ci) + " – " + format.Date(co) + ", " + format.Amount(money.In(total, currency))
}
