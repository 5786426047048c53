package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// rvPage fetches a reservation's page and fails unless it is there.
func rvPage(t *testing.T, se *webtest.Session, code string) string {
	t.Helper()
	r := se.Get("/admin/reservations/" + code)
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	return string(r.Body)
}

func TestReservationShowDetail(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	weekend := money.FromUnits(14000)
	p := s.Property(t, func(pp *dbq.CreatePropertyParams) {
		pp.Name, pp.CleaningFee, pp.ExtraGuestFee, pp.WeekendPrice = "Cabaña Los Coihues", money.FromUnits(5000), money.FromUnits(1500), &weekend
	})
	// A week from a Thursday: Thursday, Friday and Saturday nights.
	from := 7
	for rvDay(s, from).Weekday() != time.Thursday {
		from++
	}
	r := rvHold(t, s, p.ID, from, from+3, rvGuest{Name: "Carla Ríos", Phone: "+54 9 11 4444-5555",
		Email: "carla@example.com", Note: "Viaja con un perro chico", Guests: 3, Channel: "whatsapp"})
	se := rvLogin(t, s, "owner")
	body := rvPage(t, se, r.Code)

	for _, want := range []string{
		"Reserva <span class=\"res-code\">" + r.Code + "</span>", `<span class="badge pre_reserved">Pre-reservada</span>`,
		"Cabaña Los Coihues", "jue " + rvDay(s, from).Format("02/01/2006"), "dom " + rvDay(s, from+3).Format("02/01/2006"),
		"Carla Ríos", "+5491144445555", "carla@example.com", "Viaja con un perro chico", "WhatsApp",
		// The hold and its time left.
		"Pre-reserva: vence el", "faltan 30 min",
		// Night by night, with where each price came from.
		"jue " + rvDay(s, from).Format("02/01/2006"), "Tarifa base", "$ 10.000,00",
		"vie " + rvDay(s, from+1).Format("02/01/2006"), "Fin de semana", "$ 14.000,00",
		"Subtotal de noches", "$ 38.000,00", "Limpieza", "$ 5.000,00", "Huéspedes adicionales (1)", "$ 4.500,00",
		"Total", "$ 47.500,00", "Seña (30 %)", "$ 14.250,00", "Pagado", "$ 0,00", "Saldo",
		"Sin mensajes.", "Todavía no hay pagos.",
		"Pre-reserva creada (canal WhatsApp).", "Huésped",
	} {
		require.Contains(t, body, want)
	}
	// What a hold allows, and nothing else.
	require.Contains(t, body, `action="/admin/reservations/`+r.Code+`/confirm"`)
	require.Contains(t, body, `action="/admin/reservations/`+r.Code+`/cancel"`)
	require.NotContains(t, body, "/check-in")
	require.NotContains(t, body, "/complete")
	require.NotContains(t, body, "/no-show")
	require.Contains(t, body, `action="/admin/reservations/`+r.Code+`/dates"`)

	// Confirm with a note: the history shows it first, with who and when.
	s.Clock.Advance(10 * time.Minute)
	require.Equal(t, http.StatusSeeOther, se.PostForm("/admin/reservations/"+r.Code+"/confirm",
		url.Values{"note": {"seña por transferencia"}}).Status)
	body = rvPage(t, se, r.Code)
	require.Contains(t, body, "Reserva confirmada.", "flash")
	require.Contains(t, body, `<span class="badge confirmed">Confirmada</span>`)
	require.NotContains(t, body, "faltan", "no hold expiry once confirmed")
	confirmed := strings.Index(body, "Confirmó la reserva: seña por transferencia")
	created := strings.Index(body, "Pre-reserva creada")
	require.True(t, confirmed > 0 && confirmed < created, "newest first")
	require.Contains(t, body, "Usuario owner")
	loc, _ := time.LoadLocation("America/Argentina/Buenos_Aires")
	require.Contains(t, body, s.Clock.Now().In(loc).Format("02/01/2006 15:04"), "in the account's timezone")
	require.Contains(t, body, `action="/admin/reservations/`+r.Code+`/check-in"`)
	require.Contains(t, body, `action="/admin/reservations/`+r.Code+`/no-show"`)

	// Lower-case codes find the same reservation; unknown codes are 404.
	require.Equal(t, http.StatusOK, se.Get("/admin/reservations/"+strings.ToLower(r.Code)).Status)
	require.Equal(t, http.StatusNotFound, se.Get("/admin/reservations/RES000000000000").Status)
	require.Equal(t, http.StatusNotFound, se.Get("/admin/reservations/nada").Status)
}

func TestReservationShowEscapesGuestInput(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := rvHold(t, s, p.ID, 5, 7, rvGuest{Name: `<script>alert("n")</script>`, Note: `<img src=x onerror=alert(1)>"'`})
	se := rvLogin(t, s, "staff")
	body := rvPage(t, se, r.Code)
	require.NotContains(t, body, `<script>alert`)
	require.NotContains(t, body, `<img src=x`)
	require.Contains(t, body, `&lt;script&gt;alert(&#34;n&#34;)&lt;/script&gt;`)
	require.Contains(t, body, `&lt;img src=x onerror=alert(1)&gt;`)
	list := string(se.Get("/admin/reservations").Body)
	require.NotContains(t, list, `<script>alert`)
	require.Contains(t, list, `&lt;script&gt;`)

	// Edited through the form, the same.
	require.Equal(t, http.StatusSeeOther, se.PostForm("/admin/reservations/"+r.Code+"/guest", url.Values{
		"guest_name": {`"><svg onload=alert(2)>`}, "guest_phone": {"+5491155551234"}, "guests": {"2"},
		"note": {`</textarea><script>alert(3)</script>`}}).Status)
	body = rvPage(t, se, r.Code)
	require.NotContains(t, body, `<svg onload`)
	require.NotContains(t, body, `<script>alert(3)`)
	require.Contains(t, body, `&lt;/textarea&gt;&lt;script&gt;alert(3)&lt;/script&gt;`)
}
