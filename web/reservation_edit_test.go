package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// rvStored reads a reservation as stored.
func rvStored(t *testing.T, s *webtest.Server, code string) booking.Reservation {
	t.Helper()
	r, err := s.Booking.Get(context.Background(), code)
	require.NoError(t, err)
	return r
}

func TestReservationGuestEdit(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := rvHold(t, s, p.ID, 3, 5, rvGuest{Name: "Ana Gómez"})
	se := rvLogin(t, s, "staff")
	path := "/admin/reservations/" + r.Code + "/guest"

	bad := se.PostForm(path, url.Values{"guest_name": {"Ana María Gómez"}, "guest_phone": {"123"},
		"guest_email": {"ana@"}, "guests": {"9"}, "note": {"Llega 22 h"}})
	require.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	body := string(bad.Body)
	require.Contains(t, body, `id="guest-phone-error">Teléfono inválido`)
	require.Contains(t, body, `id="guest-email-error">Email inválido.`)
	require.Contains(t, body, `id="guest-guests-error">La capacidad máxima es de 4 huéspedes.`)
	require.Contains(t, body, `value="123" aria-describedby="guest-phone-error" aria-invalid="true"`)
	require.Contains(t, body, `value="Ana María Gómez"`, "what was typed is kept")
	require.Contains(t, body, `>Llega 22 h</textarea>`)
	require.Equal(t, "Ana Gómez", rvStored(t, s, r.Code).GuestName, "nothing changed")

	require.Equal(t, http.StatusUnprocessableEntity, se.PostForm(path, url.Values{"guest_name": {"Ana"},
		"guest_phone": {"+5491155551234"}, "guests": {"dos"}}).Status)

	rvPost(t, se, r.Code, "guest", url.Values{"guest_name": {"Ana María Gómez"}, "guest_phone": {"0351 15 555-1234"},
		"guest_email": {"Ana@Example.com"}, "guests": {"3"}, "note": {"Llega 22 h"}})
	got := rvStored(t, s, r.Code)
	require.Equal(t, "Ana María Gómez", got.GuestName)
	require.Equal(t, "+5493515551234", got.GuestPhone)
	require.Equal(t, "ana@example.com", got.GuestEmail)
	require.Equal(t, 3, got.Guests)
	require.Equal(t, "Llega 22 h", got.Note)
	body = rvPage(t, se, r.Code)
	require.Contains(t, body, "Datos del huésped guardados.")
	require.Contains(t, body, "Editó los datos del huésped: nombre, teléfono, email, nota, cantidad de huéspedes.")
}

func TestReservationDatesChange(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.Name = "Cabaña Norte" })
	p2 := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.Name = "Cabaña Sur"; pp.BasePrice = money.FromUnits(12000) })
	r := rvHold(t, s, p.ID, 10, 12, rvGuest{})
	blocker := rvHold(t, s, p.ID, 20, 22, rvGuest{})
	rvMove(t, s, r, booking.ActionConfirm)
	se := rvLogin(t, s, "staff")
	path := "/admin/reservations/" + r.Code + "/dates"
	date := func(n int) string { return booking.FormatDate(rvDay(s, n)) }

	// Onto taken nights: 409, the message in place, the input kept, nothing changed.
	taken := se.PostForm(path, url.Values{"property_id": {rvID(p.ID)}, "check_in": {date(19)}, "check_out": {date(21)}})
	require.Equal(t, http.StatusConflict, taken.Status)
	require.Contains(t, string(taken.Body), "Esas noches ya están ocupadas.")
	require.Contains(t, string(taken.Body), `value="`+date(19)+`"`)
	got := rvStored(t, s, r.Code)
	require.Equal(t, rvDay(s, 10), got.CheckIn)
	require.Equal(t, money.FromUnits(20000), got.Total)
	require.Equal(t, booking.StatusPreReserved, rvStored(t, s, blocker.Code).Status)

	// Rules: minimum, past, order.
	bad := se.PostForm(path, url.Values{"property_id": {rvID(p.ID)}, "check_in": {date(-3)}, "check_out": {date(-4)}})
	require.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	require.Contains(t, string(bad.Body), `id="stay-check-in-error">La fecha de llegada ya pasó.`)

	// Onto free nights: moved, re-priced, the old nights free again.
	rvPost(t, se, r.Code, "dates", url.Values{"property_id": {rvID(p.ID)}, "check_in": {date(30)}, "check_out": {date(33)}})
	got = rvStored(t, s, r.Code)
	require.Equal(t, rvDay(s, 30), got.CheckIn)
	require.Equal(t, rvDay(s, 33), got.CheckOut)
	require.Equal(t, money.FromUnits(30000), got.Total)
	require.Equal(t, booking.StatusConfirmed, got.Status)
	rvHold(t, s, p.ID, 10, 12, rvGuest{})
	body := rvPage(t, se, r.Code)
	require.Contains(t, body, "Estadía cambiada. Nuevo total: $ 30.000,00.")
	require.Contains(t, body, "Cambió la estadía: Cabaña Norte, "+rvDay(s, 10).Format("02/01/2006")+" – "+
		rvDay(s, 12).Format("02/01/2006")+", $ 20.000,00 → Cabaña Norte, "+rvDay(s, 30).Format("02/01/2006")+" – "+
		rvDay(s, 33).Format("02/01/2006")+", $ 30.000,00.")

	// To another property of the account.
	rvPost(t, se, r.Code, "dates", url.Values{"property_id": {rvID(p2.ID)}, "check_in": {date(30)}, "check_out": {date(33)}})
	got = rvStored(t, s, r.Code)
	require.Equal(t, p2.ID, got.PropertyID)
	require.Equal(t, money.FromUnits(36000), got.Total)
	require.Contains(t, rvPage(t, se, r.Code), "Cabaña Sur")

	// To another account's property: refused as a field error, nothing changed.
	otherAccount, _, _ := s.OtherAccount(t)
	foreign := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.AccountID = otherAccount })
	res := se.PostForm(path, url.Values{"property_id": {rvID(foreign.ID)}, "check_in": {date(40)}, "check_out": {date(42)}})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	require.Contains(t, string(res.Body), `id="stay-property-error">Elegí un alojamiento de tu cuenta.`)
	require.NotContains(t, string(res.Body), foreign.Name)
	require.Equal(t, p2.ID, rvStored(t, s, r.Code).PropertyID)
}
