package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
)

func calPhoneForm(propertyID int64, in, out time.Time) url.Values {
	return url.Values{
		"property_id": {strconv.FormatInt(propertyID, 10)}, "check_in": {booking.FormatDate(in)},
		"check_out": {booking.FormatDate(out)}, "guest_name": {"Carlos Benítez"}, "guest_phone": {"11 4444-5555"},
		"guest_email": {"carlos@example.com"}, "guests": {"3"}, "channel": {"phone"},
		"note": {"Llega tarde"},
	}
}

func TestPhoneReservationCreatedAndConfirmed(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 10)
	f := calPhoneForm(p.ID, in, in.AddDate(0, 0, 3))
	f.Set("confirm", "1")
	f.Set("confirm_note", "Seña en efectivo")
	r := se.PostForm("/admin/reservations", f)
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	loc := r.Header.Get("Location")
	require.True(t, strings.HasPrefix(loc, "/admin/reservations/RES"), loc)
	code := strings.TrimPrefix(loc, "/admin/reservations/")

	res, err := s.Booking.Get(context.Background(), code)
	require.NoError(t, err)
	require.Equal(t, booking.StatusConfirmed, res.Status)
	require.Equal(t, "phone", res.Channel)
	require.Equal(t, "+5491144445555", res.GuestPhone)
	require.Equal(t, 3, res.Guests)
	require.Equal(t, "Llega tarde", res.Note)
	var actor, detail string
	require.NoError(t, s.Pool.QueryRow(context.Background(),
		`SELECT actor, detail->>'note' FROM audit_log WHERE reservation_id = $1 AND action = 'confirm'`, res.ID).Scan(&actor, &detail))
	require.True(t, strings.HasPrefix(actor, "user:"), actor)
	require.Equal(t, "Seña en efectivo", detail)

	r = se.Get("/admin/calendar?month=" + calMonthOf(in) + "&months=3")
	class, attrs, inner, ok := calCell(r.Body, p.ID, in)
	require.True(t, ok)
	require.Contains(t, class, "e-stay")
	require.Contains(t, attrs, `colspan="3"`)
	require.Contains(t, inner, "Carlos Benítez")
	require.Contains(t, inner, "/admin/reservations/"+code)
}

func TestPhoneReservationWalkInWithoutConfirmIsAHold(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 2)
	f := calPhoneForm(p.ID, in, in.AddDate(0, 0, 1))
	f.Set("channel", "walk_in")
	f.Set("guest_email", "")
	r := se.PostForm("/admin/reservations", f)
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	res, err := s.Booking.Get(context.Background(), strings.TrimPrefix(r.Header.Get("Location"), "/admin/reservations/"))
	require.NoError(t, err)
	require.Equal(t, booking.StatusPreReserved, res.Status)
	require.Equal(t, "walk_in", res.Channel)

	r = se.Get("/admin/calendar?month=" + calMonthOf(in) + "&months=3")
	class, _, inner, ok := calCell(r.Body, p.ID, in)
	require.True(t, ok)
	require.Contains(t, class, "e-hold")
	require.Contains(t, inner, "vence en 30 min")
}

func TestPhoneReservationValidationErrorsInPlace(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t) // capacity 4
	in := s.Today().AddDate(0, 0, 4)
	f := calPhoneForm(p.ID, in, in.AddDate(0, 0, 2))
	f.Set("guest_name", "")
	f.Set("guest_phone", "123")
	f.Set("guests", "9")
	f.Set("guest_email", "carlos@example.com")
	f.Set("note", "Quiere cuna")
	f.Set("channel", "airbnb")
	r := se.PostForm("/admin/reservations", f)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	body := string(r.Body)
	for _, field := range []string{"guest_name", "guest_phone", "guests", "channel"} {
		require.Contains(t, body, `id="cal-e-`+field+`"`, field)
	}
	require.Contains(t, body, "Teléfono inválido")
	require.Contains(t, body, "La capacidad máxima es de 4 huéspedes.")
	require.Contains(t, body, `name="guest_phone" type="tel" value="123" aria-invalid="true" aria-describedby="cal-e-guest_phone"`)
	require.Contains(t, body, `value="carlos@example.com"`, "what was typed is kept")
	require.Contains(t, body, "Quiere cuna")
	require.Contains(t, body, `value="`+booking.FormatDate(in)+`"`)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM reservations`))

	// Past dates are the core's error too, beside the date.
	f = calPhoneForm(p.ID, s.Today().AddDate(0, 0, -2), s.Today())
	r = se.PostForm("/admin/reservations", f)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), `id="cal-e-check_in"`)
	require.Contains(t, string(r.Body), "ya pasó")
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM reservations`))
}

func TestPhoneReservationOverTakenNights(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 6)
	r := se.PostForm("/admin/blocks", calBlockForm(p.ID, in, in.AddDate(0, 0, 2), "Mantenimiento"))
	require.Equal(t, http.StatusSeeOther, r.Status)
	r = se.PostForm("/admin/reservations", calPhoneForm(p.ID, in.AddDate(0, 0, 1), in.AddDate(0, 0, 3)))
	require.Equal(t, http.StatusConflict, r.Status)
	require.Contains(t, string(r.Body), "Esas noches ya están ocupadas")
	require.Contains(t, string(r.Body), `value="Carlos Benítez"`)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM reservations`))
}

func TestPhoneReservationOtherAccountPropertyNotFound(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	otherAccount, _, _ := s.OtherAccount(t)
	theirs := s.Property(t, func(p *dbq.CreatePropertyParams) { p.AccountID = otherAccount })
	in := s.Today().AddDate(0, 0, 6)
	r := se.PostForm("/admin/reservations", calPhoneForm(theirs.ID, in, in.AddDate(0, 0, 2)))
	require.Equal(t, http.StatusNotFound, r.Status)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM reservations`))
}
