package web_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

var hrBuenosAires = func() *time.Location {
	loc, err := time.LoadLocation("America/Argentina/Buenos_Aires")
	if err != nil {
		panic(err)
	}
	return loc
}()

// hrAt sets the server clock to a local time in Buenos Aires, where test accounts live.
func hrAt(s *webtest.Server, y int, m time.Month, d, hour, min int) {
	s.Clock.Set(time.Date(y, m, d, hour, min, 0, 0, hrBuenosAires))
}

func hrDate(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// hrStay holds [in, out) through the booking core for guest and moves the
// reservation along actions (confirm, check_in…).
func hrStay(t *testing.T, s *webtest.Server, propertyID int64, in, out time.Time, guest, channel string,
	actions ...booking.Action) booking.Reservation {
	t.Helper()
	h, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: propertyID,
		CheckIn: booking.FormatDate(in), CheckOut: booking.FormatDate(out), Guests: 2, GuestName: guest,
		GuestPhone: "+5491144443333", Channel: channel, Actor: "test"})
	require.NoError(t, err)
	r := h.Reservation
	for _, a := range actions {
		r, err = s.Booking.Transition(context.Background(), r.ID, a, "test", "")
		require.NoError(t, err)
	}
	return r
}

// hrBlock closes [from, to) as an owner block.
func hrBlock(t *testing.T, s *webtest.Server, propertyID int64, from, to time.Time) {
	t.Helper()
	_, err := s.Pool.Exec(context.Background(),
		`INSERT INTO occupancy (property_id, nights, kind, note) VALUES ($1, daterange($2, $3), 'block', 'pintura')`,
		propertyID, from, to)
	require.NoError(t, err)
}

// hrConflict opens (or, resolved, closes) a conflict in account.
func hrConflict(t *testing.T, s *webtest.Server, account int64, propertyID *int64, kind, detail string, resolved bool) {
	t.Helper()
	_, err := s.Pool.Exec(context.Background(),
		`INSERT INTO conflicts (account_id, property_id, kind, detail, created_at, resolved_at)
		 VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN $5::timestamptz END)`,
		account, propertyID, kind, detail, s.Clock.Now(), resolved)
	require.NoError(t, err)
}

func hrNamed(name string) dbtest.PropertyOpt {
	return func(p *dbq.CreatePropertyParams) { p.Name = name }
}

var hrCellRe = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)

// hrRow returns the cells of the table row headed by name (its <th scope="row">).
func hrRow(t *testing.T, body []byte, name string) []string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<tr[^>]*>\s*<th scope="row">` + regexp.QuoteMeta(html.EscapeString(name)) + `</th>(.*?)</tr>`)
	m := re.FindSubmatch(body)
	require.NotNil(t, m, "no table row %q", name)
	var cells []string
	for _, c := range hrCellRe.FindAllSubmatch(m[1], -1) {
		cells = append(cells, strings.TrimSpace(string(c[1])))
	}
	return cells
}

// hrSection returns the HTML of the home section whose heading has id.
func hrSection(t *testing.T, body []byte, id string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<section[^>]*aria-labelledby="` + id + `".*?</section>`)
	m := re.Find(body)
	require.NotNil(t, m, "no section %q", id)
	return string(m)
}

func TestHomeToday(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	alerce := s.Property(t, hrNamed("Alerce"))
	coihue := s.Property(t, hrNamed("Coihue"))
	radal := s.Property(t, hrNamed("Radal"), func(p *dbq.CreatePropertyParams) { p.HoldMinutes = 300 })
	ownerEmail, ownerPass := s.User(t, "owner")
	staffEmail, staffPass := s.User(t, "staff")
	var ownerID int64
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT id FROM users WHERE email = $1`, ownerEmail).Scan(&ownerID))

	// Three nights ago Dolores arrived; she leaves today.
	hrAt(s, 2031, time.April, 7, 10, 0)
	hrStay(t, s, alerce.ID, hrDate(2031, 4, 7), hrDate(2031, 4, 10), "Dolores Salida", "direct",
		booking.ActionConfirm, booking.ActionCheckIn)

	hrAt(s, 2031, time.April, 10, 7, 0)
	// A hold whose time passed (the expiry job has not run yet) is not "about to expire".
	hrStay(t, s, coihue.ID, hrDate(2031, 4, 25), hrDate(2031, 4, 26), "Vencida Ya", "direct")

	hrAt(s, 2031, time.April, 10, 8, 0)
	xss := `Ana <script>alert(1)</script>`
	ana := hrStay(t, s, coihue.ID, hrDate(2031, 4, 10), hrDate(2031, 4, 13), xss, "whatsapp", booking.ActionConfirm)
	bruno := hrStay(t, s, radal.ID, hrDate(2031, 4, 10), hrDate(2031, 4, 11), "Bruno Llegó", "direct", booking.ActionConfirm)
	_, err := s.Booking.Transition(context.Background(), bruno.ID, booking.ActionCheckIn, "user:"+strconv.FormatInt(ownerID, 10), "")
	require.NoError(t, err)
	hrStay(t, s, alerce.ID, hrDate(2031, 4, 10), hrDate(2031, 4, 12), "Carla Cancelada", "direct",
		booking.ActionConfirm, booking.ActionCancel)
	hugo := hrStay(t, s, alerce.ID, hrDate(2031, 4, 20), hrDate(2031, 4, 22), "Hugo Pronto", "direct")
	hrStay(t, s, radal.ID, hrDate(2031, 4, 20), hrDate(2031, 4, 22), "Lejana Espera", "direct") // 300-minute hold
	hrAt(s, 2031, time.April, 10, 8, 3)
	hrStay(t, s, coihue.ID, hrDate(2031, 4, 20), hrDate(2031, 4, 22), "Irene Después", "direct")
	hrAt(s, 2031, time.April, 10, 8, 5)

	// One entry more than the home lists.
	_, err = s.Pool.Exec(context.Background(), `INSERT INTO audit_log (account_id, reservation_id, actor, action, created_at)
		VALUES ($1, $2, 'user:999999', 'payment_added', $3)`, s.Account.ID, ana.ID, s.Clock.Now())
	require.NoError(t, err)

	hrConflict(t, s, s.Account.ID, &alerce.ID, "ical_overlap", "Airbnb trae una reserva del 12/04 al 14/04 que pisa otra.", false)
	hrConflict(t, s, s.Account.ID, nil, "late_payment", "Resuelto la semana pasada.", true)

	// Another account's stays, holds and conflicts never show.
	otherAcc, otherEmail, otherPass := s.OtherAccount(t)
	ajena := dbtest.Property(t, s.Pool, otherAcc, hrNamed("Ajena"))
	hrStay(t, s, ajena.ID, hrDate(2031, 4, 10), hrDate(2031, 4, 12), "Zoe Ajena", "direct", booking.ActionConfirm)
	hrStay(t, s, ajena.ID, hrDate(2031, 4, 20), hrDate(2031, 4, 22), "Yago Ajeno", "direct")
	hrConflict(t, s, otherAcc, &ajena.ID, "ical_overlap", "Conflicto de otra cuenta.", false)

	owner := s.Login(t, ownerEmail, ownerPass)
	r := owner.Get("/admin/")
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	body := string(r.Body)
	require.Contains(t, body, "jue 10/04/2031", "today in the account's timezone")

	arrivals := hrSection(t, r.Body, "arrivals")
	require.Contains(t, arrivals, "Ana &lt;script&gt;alert(1)&lt;/script&gt;")
	require.Contains(t, arrivals, `href="/admin/reservations/`+ana.Code+`"`)
	require.Contains(t, arrivals, `href="tel:+5491144443333"`)
	require.Contains(t, arrivals, "Coihue · 3 noches")
	require.Contains(t, arrivals, "Por llegar")
	require.Contains(t, arrivals, "Bruno Llegó")
	require.Contains(t, arrivals, "Llegó</span>")
	require.NotContains(t, arrivals, "Carla Cancelada", "a cancelled stay does not arrive")
	require.NotContains(t, arrivals, "Dolores")
	require.NotContains(t, arrivals, "Zoe Ajena")

	departures := hrSection(t, r.Body, "departures")
	require.Contains(t, departures, "Dolores Salida")
	require.Contains(t, departures, "Alerce · 3 noches")
	require.Contains(t, departures, "Por salir")
	require.NotContains(t, departures, "Ana &lt;")

	holds := hrSection(t, r.Body, "holds")
	require.Contains(t, holds, "Vence en 25 min")
	require.Contains(t, holds, "(08:30)")
	require.Contains(t, holds, "Vence en 28 min")
	require.Less(t, strings.Index(holds, "Hugo Pronto"), strings.Index(holds, "Irene Después"), "soonest first")
	require.Contains(t, holds, `href="/admin/reservations/`+hugo.Code+`"`)
	require.NotContains(t, holds, "Lejana Espera", "expires in more than 2 hours")
	require.NotContains(t, holds, "Vencida Ya", "already past its time")
	require.NotContains(t, holds, "Yago Ajeno")

	conflicts := hrSection(t, r.Body, "conflicts")
	require.Contains(t, conflicts, "Fechas superpuestas con un canal")
	require.Contains(t, conflicts, "Airbnb trae una reserva del 12/04 al 14/04 que pisa otra.")
	require.Contains(t, conflicts, "Alerce")
	require.Contains(t, conflicts, "10/04/2031 08:05")
	require.NotContains(t, conflicts, "Resuelto la semana pasada.")
	require.NotContains(t, conflicts, "Conflicto de otra cuenta.")
	require.NotContains(t, conflicts, "Sin conflictos")

	activity := hrSection(t, r.Body, "activity")
	require.Equal(t, 15, strings.Count(activity, "<li>"), "the last 15 entries")
	require.Contains(t, activity, "Ana &lt;script&gt;alert(1)&lt;/script&gt;")
	require.Contains(t, activity, "Reserva confirmada")
	require.Contains(t, activity, "Pre-reserva creada")
	require.Contains(t, activity, "Llegada registrada")
	require.Contains(t, activity, "por Usuario owner", "a user actor by name")
	require.Contains(t, activity, "Pago registrado")
	require.Contains(t, activity, "por Usuario eliminado")
	require.Contains(t, activity, "10/04/2031 08:0")
	require.Contains(t, activity, `href="/admin/reservations/`+ana.Code+`"`)
	require.NotContains(t, activity, "Zoe Ajena")
	require.NotContains(t, activity, "Yago Ajeno")
	require.NotContains(t, body, "<script>alert(1)</script>", "the guest's name is escaped everywhere")
	require.NotContains(t, body, "Ajena")

	// Staff see the same page.
	staff := s.Login(t, staffEmail, staffPass)
	r = staff.Get("/admin/")
	require.Equal(t, http.StatusOK, r.Status)
	require.Contains(t, string(r.Body), "Dolores Salida")
	require.Contains(t, string(r.Body), "Vence en 25 min")

	// The other account sees only its own.
	r = s.Login(t, otherEmail, otherPass).Get("/admin/")
	require.Equal(t, http.StatusOK, r.Status)
	body = string(r.Body)
	require.Contains(t, body, "Zoe Ajena")
	require.Contains(t, body, "Yago Ajeno")
	require.Contains(t, body, "Conflicto de otra cuenta.")
	for _, name := range []string{"Dolores", "Bruno", "Hugo", "Alerce", "Coihue", "Ana &lt;"} {
		require.NotContains(t, body, name)
	}
}

func TestHomeOccupancyAndRevenue(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	alerce := s.Property(t, hrNamed("Alerce"))
	coihue := s.Property(t, hrNamed("Coihue"), func(p *dbq.CreatePropertyParams) { p.CleaningFee = money.FromUnits(5000) })
	email, password := s.User(t, "owner")

	hrAt(s, 2031, time.April, 2, 12, 0)
	// April has 30 nights: 3 of Alerce's at 10000 are 10 % of Alerce and 5 % of both.
	hrStay(t, s, alerce.ID, hrDate(2031, 4, 20), hrDate(2031, 4, 23), "Ana Abril", "direct", booking.ActionConfirm)
	// Not counted: a hold, a cancelled stay, a no-show.
	hrStay(t, s, alerce.ID, hrDate(2031, 4, 5), hrDate(2031, 4, 8), "Hold Nomás", "direct")
	hrStay(t, s, alerce.ID, hrDate(2031, 4, 10), hrDate(2031, 4, 12), "Cancela", "direct", booking.ActionConfirm, booking.ActionCancel)
	hrStay(t, s, alerce.ID, hrDate(2031, 5, 10), hrDate(2031, 5, 12), "No Vino", "direct", booking.ActionConfirm, booking.ActionNoShow)
	// Coihue is blocked 3 nights in April: 10 % of it, 5 % of both, reported apart.
	hrBlock(t, s, coihue.ID, hrDate(2031, 4, 25), hrDate(2031, 4, 28))
	// May 30 to June 2: two nights (and the cleaning fee) in May, one night in June, which the home does not show.
	hrStay(t, s, coihue.ID, hrDate(2031, 5, 30), hrDate(2031, 6, 2), "Mario Mayo", "airbnb", booking.ActionConfirm)

	otherAcc, _, _ := s.OtherAccount(t)
	ajena := dbtest.Property(t, s.Pool, otherAcc, hrNamed("Ajena"))
	hrStay(t, s, ajena.ID, hrDate(2031, 4, 3), hrDate(2031, 4, 30), "Zoe Ajena", "direct", booking.ActionConfirm)

	r := s.Login(t, email, password).Get("/admin/")
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	require.Contains(t, string(r.Body), "abril de 2031")
	require.Contains(t, string(r.Body), "mayo de 2031")
	// Each row: April occupancy, blocked, revenue; May occupancy, blocked, revenue.
	require.Equal(t, []string{"10 %", "0 %", "$ 30.000,00", "0 %", "0 %", "$ 0,00"}, hrRow(t, r.Body, "Alerce"))
	require.Equal(t, []string{"0 %", "10 %", "$ 0,00", "6 %", "0 %", "$ 25.000,00"}, hrRow(t, r.Body, "Coihue"),
		"May: 2 of 31 nights; 2 × 10000 + 5000 cleaning, the third night is June's")
	require.Equal(t, []string{"5 %", "5 %", "$ 30.000,00", "3 %", "0 %", "$ 25.000,00"}, hrRow(t, r.Body, "Total"))
	require.NotContains(t, string(r.Body), "Ajena")
	require.NotContains(t, string(r.Body), "style=", "no inline styles (CSP)")
}

func TestHomeEmptyAccount(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	require.Equal(t, http.StatusSeeOther, s.NewSession(t).Get("/admin/").Status, "signed-in users only")

	r := s.Login(t, email, password).Get("/admin/")
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	body := string(r.Body)
	for _, empty := range []string{"No hay llegadas hoy.", "No hay salidas hoy.",
		"Ninguna pre-reserva vence en las próximas 2 horas.", "Sin conflictos", "Todavía no hay alojamientos cargados.",
		"Todavía no hay actividad."} {
		require.Contains(t, body, empty)
	}
	require.Contains(t, body, `href="/admin/properties/new"`, "the owner is shown where to start")
	require.Contains(t, body, `aria-current="page">Inicio`)

	staffEmail, staffPass := s.User(t, "staff")
	r = s.Login(t, staffEmail, staffPass).Get("/admin/")
	require.Equal(t, http.StatusOK, r.Status)
	require.NotContains(t, string(r.Body), `href="/admin/properties/new"`, "staff cannot create properties")

	// A property without stays: 0 %, not an empty table.
	s.Property(t, hrNamed("Nueva"))
	r = s.Login(t, email, password).Get("/admin/")
	require.Equal(t, []string{"0 %", "0 %", "$ 0,00", "0 %", "0 %", "$ 0,00"}, hrRow(t, r.Body, "Nueva"))
}
