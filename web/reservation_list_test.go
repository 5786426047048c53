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
	"alojamientos/web/webtest"
)

// rvGuest is who a test reservation is for.
type rvGuest struct {
	Name, Phone, Email, Channel, Note string
	Guests                            int
}

// rvHold places a hold on [today+from, today+to) through the booking core,
// one simulated second after the previous one so "newest first" is observable.
func rvHold(t *testing.T, s *webtest.Server, propertyID int64, from, to int, g rvGuest) booking.Reservation {
	t.Helper()
	if g.Name == "" {
		g.Name = "Huésped de Prueba"
	}
	if g.Phone == "" {
		g.Phone = "+5491155551234"
	}
	if g.Channel == "" {
		g.Channel = "direct"
	}
	if g.Guests == 0 {
		g.Guests = 2
	}
	s.Clock.Advance(time.Second)
	h, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{
		PropertyID: propertyID, CheckIn: booking.FormatDate(rvDay(s, from)), CheckOut: booking.FormatDate(rvDay(s, to)),
		Guests: g.Guests, GuestName: g.Name, GuestPhone: g.Phone, GuestEmail: g.Email, Note: g.Note,
		// As the owner's own hold: the escaping tests need names no guest may type any more.
		Channel: g.Channel, Actor: "test",
	})
	require.NoError(t, err)
	return h.Reservation
}

func rvDay(s *webtest.Server, n int) time.Time { return s.Today().AddDate(0, 0, n) }

// rvMove applies a state machine action directly, as setup.
func rvMove(t *testing.T, s *webtest.Server, r booking.Reservation, actions ...booking.Action) {
	t.Helper()
	for _, a := range actions {
		_, err := s.Booking.Transition(context.Background(), r.ID, a, "test", "")
		require.NoError(t, err)
	}
}

// rvLogin signs in a new user of the server's account with role.
func rvLogin(t *testing.T, s *webtest.Server, role string) *webtest.Session {
	t.Helper()
	email, password := s.User(t, role)
	return s.Login(t, email, password)
}

var rvCodeRe = regexp.MustCompile(`class="res-code" href="/admin/reservations/(RES[0-9A-F]{12})"`)

// rvCodes lists the reservation codes of a list page, in order.
func rvCodes(t *testing.T, r webtest.Response) []string {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	var out []string
	for _, m := range rvCodeRe.FindAllStringSubmatch(string(r.Body), -1) {
		out = append(out, m[1])
	}
	return out
}

func TestReservationListFiltersAndSearch(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	rio := s.Property(t, func(p *dbq.CreatePropertyParams) { p.Name = "Cabaña del Río" })
	centro := s.Property(t, func(p *dbq.CreatePropertyParams) { p.Name = "Depto Centro" })
	jose := rvHold(t, s, rio.ID, 10, 12, rvGuest{Name: "José Núñez", Phone: "11 5555-1111", Email: "jose@example.com", Channel: "whatsapp"})
	maria := rvHold(t, s, rio.ID, 20, 22, rvGuest{Name: "María Pérez", Phone: "+54 9 351 444 2222", Channel: "airbnb"})
	pedro := rvHold(t, s, centro.ID, 11, 14, rvGuest{Name: "Pedro Gómez", Email: "pg@correo.com.ar"})
	rvMove(t, s, jose, booking.ActionConfirm)
	rvMove(t, s, pedro, booking.ActionCancel)
	se := rvLogin(t, s, "owner")

	list := func(q url.Values) []string {
		t.Helper()
		path := "/admin/reservations"
		if len(q) > 0 {
			path += "?" + q.Encode()
		}
		return rvCodes(t, se.Get(path))
	}

	all := se.Get("/admin/reservations")
	require.Equal(t, []string{pedro.Code, maria.Code, jose.Code}, rvCodes(t, all), "newest first")
	body := string(all.Body)
	require.Contains(t, body, "3 reservas")
	require.Contains(t, body, "José Núñez")
	require.Contains(t, body, "Cabaña del Río")
	require.Contains(t, body, rvDay(s, 10).Format("02/01/2006")+" – "+rvDay(s, 12).Format("02/01/2006"))
	require.Contains(t, body, `<span class="badge confirmed">Confirmada</span>`)
	require.Contains(t, body, `<span class="badge cancelled">Cancelada</span>`)
	require.Contains(t, body, "WhatsApp")
	require.Contains(t, body, "$ 20.000,00")
	require.Contains(t, body, `href="/admin/reservations.csv"`)

	require.Equal(t, []string{jose.Code}, list(url.Values{"estado": {"confirmed"}}))
	require.Equal(t, []string{pedro.Code}, list(url.Values{"alojamiento": {rvID(centro.ID)}}))
	require.Equal(t, []string{maria.Code}, list(url.Values{"canal": {"airbnb"}}))
	// Stays with a night in [desde, hasta]: José's last night is day 11, Pedro's first.
	require.Equal(t, []string{pedro.Code, jose.Code}, list(url.Values{
		"desde": {booking.FormatDate(rvDay(s, 11))}, "hasta": {booking.FormatDate(rvDay(s, 11))}}))
	require.Equal(t, []string{pedro.Code}, list(url.Values{
		"desde": {booking.FormatDate(rvDay(s, 12))}, "hasta": {booking.FormatDate(rvDay(s, 13))}}))
	require.Equal(t, []string{maria.Code}, list(url.Values{"desde": {booking.FormatDate(rvDay(s, 15))}}))
	require.Equal(t, []string{pedro.Code, jose.Code}, list(url.Values{"hasta": {booking.FormatDate(rvDay(s, 11))}}))

	// Search: names without case or accents, phones as typed, email, code.
	require.Equal(t, []string{jose.Code}, list(url.Values{"q": {"nunez"}}))
	require.Equal(t, []string{jose.Code}, list(url.Values{"q": {"NÚÑEZ"}}))
	require.Equal(t, []string{maria.Code}, list(url.Values{"q": {"maria"}}))
	require.Equal(t, []string{maria.Code}, list(url.Values{"q": {"Pérez"}}))
	require.Equal(t, []string{jose.Code}, list(url.Values{"q": {"011 15 5555-1111"}}))
	require.Equal(t, []string{maria.Code}, list(url.Values{"q": {"351 444"}}))
	require.Equal(t, []string{jose.Code}, list(url.Values{"q": {"JOSE@EXAMPLE"}}))
	require.Equal(t, []string{pedro.Code}, list(url.Values{"q": {"correo.com"}}))
	require.Equal(t, []string{maria.Code}, list(url.Values{"q": {strings.ToLower(maria.Code[7:])}}))
	require.Empty(t, list(url.Values{"q": {"100%_"}}))

	// Combined, and what no reservation matches.
	require.Equal(t, []string{maria.Code}, list(url.Values{"alojamiento": {rvID(rio.ID)}, "q": {"maria"}}))
	none := se.Get("/admin/reservations?" + url.Values{"alojamiento": {rvID(centro.ID)}, "q": {"maria"}}.Encode())
	require.Empty(t, rvCodes(t, none))
	require.Contains(t, string(none.Body), "No hay reservas que coincidan.")

	// The form shows what was applied; nonsense values are dropped.
	r := se.Get("/admin/reservations?q=nunez&estado=confirmed&canal=bogus&alojamiento=x&desde=ayer")
	body = string(r.Body)
	require.Equal(t, []string{jose.Code}, rvCodes(t, r))
	require.Contains(t, body, `name="q" value="nunez"`)
	require.Contains(t, body, `<option value="confirmed" selected>Confirmada</option>`)
	require.Contains(t, body, `href="/admin/reservations.csv?estado=confirmed&amp;q=nunez"`)
	require.Contains(t, body, `hx-get="/admin/reservations"`)
	require.Contains(t, body, `hx-push-url="true"`)

	// htmx gets only the results; a history restore gets the whole page.
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/admin/reservations?canal=airbnb", nil)
	req.Header.Set("HX-Request", "true")
	frag := se.Do(req)
	require.Equal(t, http.StatusOK, frag.Status)
	require.True(t, strings.HasPrefix(strings.TrimSpace(string(frag.Body)), `<section id="reservation-results"`), string(frag.Body))
	require.NotContains(t, string(frag.Body), "<html")
	require.Contains(t, string(frag.Body), maria.Code)
	require.Equal(t, "/admin/reservations?canal=airbnb", frag.Header.Get("HX-Push-Url"))
	require.NotContains(t, string(frag.Body), jose.Code)
	req.Header.Set("HX-History-Restore-Request", "true")
	require.Contains(t, string(se.Do(req).Body), "<html")
}

func TestReservationListPagination(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	var codes []string
	for i := 0; i < 53; i++ {
		codes = append(codes, rvHold(t, s, p.ID, 2+i, 3+i, rvGuest{}).Code)
	}
	se := rvLogin(t, s, "staff")

	first := se.Get("/admin/reservations?estado=pre_reserved")
	got := rvCodes(t, first)
	require.Len(t, got, 50)
	require.Equal(t, codes[52], got[0], "newest first")
	require.Equal(t, codes[3], got[49])
	body := string(first.Body)
	require.Contains(t, body, "53 reservas")
	require.Contains(t, body, "Página 1 de 2")
	require.Contains(t, body, `href="/admin/reservations?estado=pre_reserved&amp;pagina=2"`)
	require.Contains(t, body, "siguiente")
	require.NotContains(t, body, "anterior")

	second := se.Get("/admin/reservations?estado=pre_reserved&pagina=2")
	require.Equal(t, []string{codes[2], codes[1], codes[0]}, rvCodes(t, second))
	body = string(second.Body)
	require.Contains(t, body, "Página 2 de 2")
	require.Contains(t, body, `href="/admin/reservations?estado=pre_reserved"`)
	require.Contains(t, body, "anterior")
	require.NotContains(t, body, "siguiente")

	// A page past the end shows the last one.
	require.Equal(t, rvCodes(t, second), rvCodes(t, se.Get("/admin/reservations?estado=pre_reserved&pagina=99")))
}

func rvID(n int64) string { return strconv.FormatInt(n, 10) }
