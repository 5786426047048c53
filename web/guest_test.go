package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

func guestProperty(t *testing.T, s *webtest.Server) dbq.Property {
	return s.Property(t, func(p *dbq.CreatePropertyParams) {
		p.Name = "Cabaña Los Coihues"
		p.Description = "Cabaña de troncos frente al lago.\n\nTiene hogar a leña y parrilla."
		p.Location = "Villa La Angostura, Neuquén"
		p.CleaningFee = money.FromUnits(5000)
		p.MinNights = 2
	})
}

func TestGuestPropertyPageShowsCalendarAndDetails(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := guestProperty(t, s)
	_, err := s.Pool.Exec(context.Background(), `UPDATE properties SET amenities = '{Wifi,Parrilla}', house_rules = 'No se admiten mascotas.' WHERE id = $1`, p.ID)
	require.NoError(t, err)
	held := s.Today().AddDate(0, 0, 3)
	s.Hold(t, p.ID, held, held.AddDate(0, 0, 2))

	se := s.NewSession(t)
	r := se.Get("/p/" + p.Slug)
	require.Equal(t, http.StatusOK, r.Status)
	body := string(r.Body)
	require.Contains(t, body, `<html lang="es">`)
	require.Contains(t, body, "<title>Cabaña Los Coihues · ")
	require.Contains(t, body, `<meta property="og:title" content="Cabaña Los Coihues · `)
	require.Contains(t, body, `<meta property="og:url" content="`+s.URL+`/p/`+p.Slug+`"`)
	require.Contains(t, body, "<p>Cabaña de troncos frente al lago.</p>")
	require.Contains(t, body, "<p>Tiene hogar a leña y parrilla.</p>")
	require.Contains(t, body, "<li>Parrilla</li>")
	require.Contains(t, body, "No se admiten mascotas.")
	require.Contains(t, body, "Entrada desde las 14:00")
	require.Contains(t, body, "Estadía mínima: 2 noches")
	require.Contains(t, body, "Elegí la fecha de llegada.")
	// Taken nights say so in words, not only in colour, and cannot be picked.
	label := dayLabel(held) + ", ocupada"
	require.Contains(t, body, `<span aria-label="`+label+`">`)
	free := dayLabel(held.AddDate(0, 0, 2)) + ", libre"
	require.Regexp(t, `<a href="[^"]+check_in=`+booking.FormatDate(held.AddDate(0, 0, 2))+`[^"]*"[^>]*aria-label="`+free+`"`, body)
	for _, h := range []string{"X-Content-Type-Options", "Content-Security-Policy", "Referrer-Policy", "X-Frame-Options"} {
		require.NotEmpty(t, r.Header.Get(h), h)
	}
	require.Equal(t, http.StatusNotFound, se.Get("/p/no-existe").Status)
}

var weekdayES = [...]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}
var monthES = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}

func dayLabel(d time.Time) string {
	return weekdayES[d.Weekday()] + " " + strings.TrimLeft(d.Format("02"), "0") + " de " + monthES[d.Month()-1]
}

func TestGuestPicksDatesAndSeesTheQuote(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := guestProperty(t, s)
	se := s.NewSession(t)
	in := s.Today().AddDate(0, 1, 0)
	month := in.Format("2006-01")

	// Next month through htmx: only the booking box comes back.
	next := se.Do(htmxGet(t, s.URL+"/p/"+p.Slug+"?month="+month))
	require.Equal(t, http.StatusOK, next.Status)
	require.True(t, strings.HasPrefix(strings.TrimSpace(string(next.Body)), `<section id="reserva"`), string(next.Body[:80]))
	require.NotContains(t, string(next.Body), "<html")

	q := url.Values{"month": {month}, "check_in": {booking.FormatDate(in)}, "guests": {"2"}}
	r := se.Get("/p/" + p.Slug + "?" + q.Encode())
	require.Contains(t, string(r.Body), "Ahora elegí la fecha de salida.")

	q.Set("check_out", booking.FormatDate(in.AddDate(0, 0, 1)))
	r = se.Get("/p/" + p.Slug + "/quote?" + q.Encode())
	require.Contains(t, string(r.Body), "La estadía mínima para esas fechas es de 2 noches.")

	q.Set("check_out", booking.FormatDate(in.AddDate(0, 0, 3)))
	r = se.Get("/p/" + p.Slug + "/quote?" + q.Encode())
	body := string(r.Body)
	require.Contains(t, body, "3 noches: del "+in.Format("02/01/2006")+" al "+in.AddDate(0, 0, 3).Format("02/01/2006"))
	require.Contains(t, body, `<td class="num" id="quote-total">$ 35.000,00</td>`)
	require.Contains(t, body, `<td class="num" id="quote-deposit">$ 10.500,00</td>`)
	require.Contains(t, body, "<td>Limpieza</td>")
	require.Contains(t, body, `id="reservar"`, "the hold form comes with a valid quote")

	// Taken nights inside the range are named as the reason.
	s.Hold(t, p.ID, in.AddDate(0, 0, 1), in.AddDate(0, 0, 3))
	r = se.Get("/p/" + p.Slug + "/quote?" + q.Encode())
	require.Contains(t, string(r.Body), "Hay noches ocupadas entre esas fechas. Elegí otras.")
	require.NotContains(t, string(r.Body), `id="reservar"`)
}

func htmxGet(t *testing.T, u string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	req.Header.Set("HX-Request", "true")
	return req
}

func TestGuestHoldFormErrorsThenReservationPage(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := guestProperty(t, s)
	se := s.NewSession(t)
	se.Get("/p/" + p.Slug) // the CSRF cookie comes with the page
	in := s.Today().AddDate(0, 0, 10)
	form := url.Values{"accept_terms": {"true"}, "check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))},
		"guests": {"2"}, "guest_name": {"Lucía Pérez"}, "guest_phone": {"1234"}, "guest_email": {"lucia@example.com"}}

	bad := se.PostForm("/p/"+p.Slug+"/hold", form)
	require.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	require.Contains(t, string(bad.Body), `id="guest_phone-error">Teléfono inválido`)
	require.Contains(t, string(bad.Body), `value="Lucía Pérez"`, "what was typed stays")
	require.Contains(t, string(bad.Body), `value="lucia@example.com"`)

	form.Set("guest_phone", "011 15 5555-1234")
	ok := se.PostForm("/p/"+p.Slug+"/hold", form)
	require.Equal(t, http.StatusSeeOther, ok.Status, string(ok.Body))
	loc := ok.Header.Get("Location")
	m := regexp.MustCompile(`^/r/(RES\d{6}[0-9A-F]{6})\?t=([0-9a-f]{32})$`).FindStringSubmatch(loc)
	require.NotNil(t, m, loc)
	res, err := s.Booking.Get(context.Background(), m[1])
	require.NoError(t, err)
	require.Equal(t, "+5491155551234", res.GuestPhone)
	require.Equal(t, "web", res.Channel)

	page := se.Get(loc)
	require.Equal(t, http.StatusOK, page.Status)
	body := string(page.Body)
	require.Contains(t, body, "Reserva pendiente de seña")
	require.Regexp(t, `<strong id="tiempo-restante">(30:00|29:[0-5]\d)</strong>`, body)
	require.Contains(t, body, "El dueño se va a comunicar con vos para coordinar el pago de la seña de $ 7.500,00")
	require.Contains(t, body, `hx-trigger="every 5s"`, "refreshes itself while pending")
	require.Equal(t, "no-store", page.Header.Get("Cache-Control"))

	require.Equal(t, http.StatusNotFound, se.Get("/r/"+m[1]+"?t=0000").Status)
	require.Equal(t, http.StatusNotFound, se.Get("/r/"+m[1]).Status)

	// Confirmed by the owner: the polled fragment shows it and stops polling.
	_, err = s.Booking.Transition(context.Background(), res.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	st := se.Get("/r/" + m[1] + "/status?t=" + m[2])
	require.Contains(t, string(st.Body), "Reserva confirmada")
	require.Contains(t, string(st.Body), "Entrada desde las 14:00")
	require.NotContains(t, string(st.Body), "every 5s")
}

func TestGuestHoldLosesTheRaceWithAClearMessage(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := guestProperty(t, s)
	in := s.Today().AddDate(0, 0, 4)
	se := s.NewSession(t)
	se.Get("/p/" + p.Slug)
	s.Hold(t, p.ID, in, in.AddDate(0, 0, 2)) // someone else, a moment earlier
	r := se.PostForm("/p/"+p.Slug+"/hold", url.Values{"accept_terms": {"true"}, "check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))},
		"guests": {"2"}, "guest_name": {"Tomás"}, "guest_phone": {"11 5555-1234"}})
	require.Equal(t, http.StatusConflict, r.Status)
	body := string(r.Body)
	require.Contains(t, body, "Esas noches se acaban de ocupar. Elegí otras fechas en el calendario.")
	require.Contains(t, body, `<span aria-label="`+dayLabel(in)+`, ocupada">`, "the calendar shows them taken now")
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations`))
}

func TestGuestHoldNeedsCSRF(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := guestProperty(t, s)
	in := s.Today().AddDate(0, 0, 4)
	se := s.NewSession(t)
	r := se.PostFormNoCSRF("/p/"+p.Slug+"/hold", url.Values{"accept_terms": {"true"}, "check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))},
		"guests": {"2"}, "guest_name": {"Tomás"}, "guest_phone": {"11 5555-1234"}})
	require.Equal(t, http.StatusForbidden, r.Status)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM reservations`))
}

func TestGuestIndexAndPageWeight(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t, func(p *dbq.CreatePropertyParams) { p.Name = `<script>alert(1)</script> Cabaña` })
	se := s.NewSession(t)
	idx := se.Get("/")
	require.Contains(t, string(idx.Body), "&lt;script&gt;alert(1)&lt;/script&gt; Cabaña")
	require.NotContains(t, string(idx.Body), "<script>alert(1)")
	require.Contains(t, string(idx.Body), `href="/p/`+p.Slug+`"`)

	// A second business: the front page lists businesses, each with its own page.
	otherID, _, _ := s.OtherAccount(t)
	other := webtest.PropertyIn(t, s, otherID)
	idx = se.Get("/")
	require.Contains(t, string(idx.Body), `href="/a/`+s.Account.Slug+`"`)
	acc := se.Get("/a/" + s.Account.Slug)
	require.Contains(t, string(acc.Body), `href="/p/`+p.Slug+`"`)
	require.NotContains(t, string(acc.Body), other.Slug)

	// The page, its stylesheets and htmx weigh under 100 KB before photos.
	page := se.Get("/p/" + p.Slug)
	total := len(page.Body)
	for _, asset := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(string(page.Body), -1) {
		a := se.Get(asset[1])
		require.Equal(t, http.StatusOK, a.Status, asset[1])
		total += len(a.Body)
	}
	require.Less(t, total, 100*1024, "page weight in bytes")
}

// While a twin request holds the in-flight lock, the guest's form waits for
// its outcome instead of answering "busy": here the twin wins, so the guest
// is told the nights were taken and sees them taken.
func TestGuestHoldWaitsForTheRequestInFlight(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := guestProperty(t, s)
	in := s.Today().AddDate(0, 0, 4)
	se := s.NewSession(t)
	se.Get("/p/" + p.Slug)
	key := "prereserve:" + strconv.FormatInt(p.ID, 10) + ":" + booking.FormatDate(in) + ":" + booking.FormatDate(in.AddDate(0, 0, 2))
	release, ok, err := s.Shared.TryLock(context.Background(), key, time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	go func() {
		time.Sleep(200 * time.Millisecond)
		s.Hold(t, p.ID, in, in.AddDate(0, 0, 2)) // the twin commits…
		release()                                // …and lets go
	}()
	r := se.PostForm("/p/"+p.Slug+"/hold", url.Values{"accept_terms": {"true"}, "check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))},
		"guests": {"2"}, "guest_name": {"Tomás"}, "guest_phone": {"11 5555-1234"}})
	require.Equal(t, http.StatusConflict, r.Status)
	require.Contains(t, string(r.Body), "Esas noches se acaban de ocupar.")
	require.Contains(t, string(r.Body), `<span aria-label="`+dayLabel(in)+`, ocupada">`)
}

func TestGuestHoldInvalidGuestCountIsAnErrorBesideTheField(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := guestProperty(t, s)
	se := s.NewSession(t)
	se.Get("/p/" + p.Slug)
	in := s.Today().AddDate(0, 0, 10)
	form := url.Values{"accept_terms": {"true"}, "check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))},
		"guest_name": {"Lucía Pérez"}, "guest_phone": {"11 5555-1234"}}
	msg := "Elegí cuántos huéspedes son: de 1 a " + strconv.Itoa(int(p.Capacity)) + "."
	for _, g := range []string{strconv.Itoa(int(p.Capacity) + 1), "0", "dos", "-1"} {
		form.Set("guests", g)
		r := se.PostForm("/p/"+p.Slug+"/hold", form)
		require.Equal(t, http.StatusUnprocessableEntity, r.Status, "guests %q", g)
		body := string(r.Body)
		require.Contains(t, body, `<select id="guests" name="guests" aria-invalid="true" aria-describedby="guests-error">`, "guests %q", g)
		require.Contains(t, body, `<p class="field-error" id="guests-error" role="alert">`+msg+`</p>`, "guests %q", g)
		require.Contains(t, body, `value="Lucía Pérez"`, "what was typed stays")
	}
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM reservations`), "never a hold for a count the guest did not give")

	form.Set("guests", "3")
	ok := se.PostForm("/p/"+p.Slug+"/hold", form)
	require.Equal(t, http.StatusSeeOther, ok.Status, string(ok.Body))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE guests = 3`))
}

func TestGuestHoldNameMustBeAName(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := guestProperty(t, s)
	se := s.NewSession(t)
	se.Get("/p/" + p.Slug)
	in := s.Today().AddDate(0, 0, 10)
	r := se.PostForm("/p/"+p.Slug+"/hold", url.Values{"accept_terms": {"true"}, "check_in": {booking.FormatDate(in)},
		"check_out": {booking.FormatDate(in.AddDate(0, 0, 2))}, "guests": {"2"},
		"guest_name": {"Ganaste, entrá a premio.example"}, "guest_phone": {"11 5555-1234"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), `id="guest_name-error">El nombre no puede tener links ni direcciones web.</p>`)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM reservations`))
}

func TestGuestHoldFromANetworkWithTooManyLiveHolds(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{RateLimit: 10000})
	p := guestProperty(t, s)
	in := s.Today().AddDate(0, 0, 10)
	// Three live holds already came from this network (loopback), with three phones.
	for i := range 3 {
		ci := in.AddDate(0, 0, 3*i)
		b := holdBody(p.ID, ci, ci.AddDate(0, 0, 2))
		b["guest_phone"] = "11 5555-000" + strconv.Itoa(i)
		r := s.Do(t, http.MethodPost, prereservePath, b, nil)
		require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
	}
	se := s.NewSession(t)
	se.Get("/p/" + p.Slug)
	later := in.AddDate(0, 0, 20)
	r := se.PostForm("/p/"+p.Slug+"/hold", url.Values{"accept_terms": {"true"}, "check_in": {booking.FormatDate(later)},
		"check_out": {booking.FormatDate(later.AddDate(0, 0, 2))}, "guests": {"2"},
		"guest_name": {"Tomás Ruiz"}, "guest_phone": {"11 4444-1234"}})
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
	require.Contains(t, string(r.Body), "Desde tu conexión ya hay varias reservas pendientes de seña. Pagá la seña de alguna o esperá a que venza para pedir otra.")
	require.Contains(t, string(r.Body), `value="Tomás Ruiz"`, "what was typed stays")
	require.Equal(t, 3, s.Count(t, `SELECT count(*) FROM reservations`))
}
