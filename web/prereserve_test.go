package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

const prereservePath = "/api/v1/reservations/pre-reserve"

func holdBody(propertyID int64, in, out time.Time) map[string]any {
	return map[string]any{
		"property_id": propertyID, "check_in": booking.FormatDate(in), "check_out": booking.FormatDate(out),
		"guests": 2, "guest_name": "Juana Pérez", "guest_phone": "11 5555-1234", "guest_email": "juana@example.com",
		"channel": "web",
	}
}

func TestPrereserveCreatesHold(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t, func(p *dbq.CreatePropertyParams) { p.CleaningFee = money.FromUnits(5000) })
	in := s.Today().AddDate(0, 0, 10)

	r := s.Do(t, "POST", prereservePath, holdBody(p.ID, in, in.AddDate(0, 0, 3)), nil)
	require.Equal(t, 201, r.Status, string(r.Body))
	var got map[string]any
	r.JSON(t, &got)
	require.Regexp(t, `^RES\d{6}[0-9A-F]{6}$`, got["code"])
	require.Equal(t, "pre_reserved", got["status"])
	require.Equal(t, float64(3), got["nights"])
	require.Equal(t, "35000.00", got["total_price"])
	require.Equal(t, "10500.00", got["deposit_amount"])
	require.Equal(t, "ARS", got["currency"])
	require.Nil(t, got["payment_url"], "no payment link until Mercado Pago is configured: never a fake one")
	exp, err := time.Parse(time.RFC3339, got["expires_at"].(string))
	require.NoError(t, err)
	require.WithinDuration(t, s.Clock.Now().Add(30*time.Minute), exp, time.Second)

	guestURL := got["guest_url"].(string)
	require.True(t, strings.HasPrefix(guestURL, s.URL+"/r/"+got["code"].(string)+"?t="), guestURL)
	token := guestURL[strings.Index(guestURL, "?t=")+3:]

	show := s.Do(t, "GET", "/api/v1/reservations/"+got["code"].(string)+"?t="+token, nil, nil)
	require.Equal(t, 200, show.Status)
	var res map[string]any
	show.JSON(t, &res)
	require.Equal(t, got["code"], res["code"])
	require.Equal(t, "Juana Pérez", res["guest_name"])

	// The phone was normalised to E.164 and stored with the hold.
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE guest_phone = '+5491155551234' AND channel = 'web'`))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM occupancy WHERE active AND nights = daterange($1::date, $2::date)`,
		in, in.AddDate(0, 0, 3)))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM river_job WHERE kind = 'booking.expire_hold'`))
}

func TestPrereserveAcceptsAccommodationIDAlias(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 5)
	b := holdBody(p.ID, in, in.AddDate(0, 0, 2))
	delete(b, "property_id")
	b["accommodation_id"] = p.ID
	r := s.Do(t, "POST", prereservePath, b, nil)
	require.Equal(t, 201, r.Status, string(r.Body))
}

func TestPrereserveValidation(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t, func(p *dbq.CreatePropertyParams) { p.MinNights = 3 })
	inactive := s.Property(t, func(p *dbq.CreatePropertyParams) { p.Active = false })
	today := s.Today()
	in := today.AddDate(0, 0, 7)
	d := booking.FormatDate

	body := func(change func(map[string]any)) map[string]any {
		b := holdBody(p.ID, in, in.AddDate(0, 0, 3))
		change(b)
		return b
	}
	cases := []struct {
		name   string
		body   any
		status int
		want   string
	}{
		{"malformed json", `{"property_id":`, 400,
			`{"error":"malformed_json","message":"El cuerpo del pedido no es un objeto JSON válido."}`},
		{"not an object", `[1,2]`, 400,
			`{"error":"malformed_json","message":"El cuerpo del pedido no es un objeto JSON válido."}`},
		{"unknown field", body(func(b map[string]any) { b["price"] = "1" }), 422,
			`{"error":"validation","fields":{"price":"Campo desconocido."}}`},
		{"wrong type", body(func(b map[string]any) { b["guests"] = "dos" }), 422,
			`{"error":"validation","fields":{"guests":"Tipo de dato inválido."}}`},
		{"check_in equal to check_out", body(func(b map[string]any) { b["check_out"] = d(in) }), 422,
			`{"error":"validation","fields":{"check_out":"La fecha de salida debe ser posterior a la de llegada."}}`},
		{"check_in after check_out", body(func(b map[string]any) { b["check_out"] = d(in.AddDate(0, 0, -2)) }), 422,
			`{"error":"validation","fields":{"check_out":"La fecha de salida debe ser posterior a la de llegada."}}`},
		{"past check_in", body(func(b map[string]any) {
			b["check_in"], b["check_out"] = d(today.AddDate(0, 0, -1)), d(today.AddDate(0, 0, 3))
		}), 422, `{"error":"validation","fields":{"check_in":"La fecha de llegada ya pasó."}}`},
		{"bad date", body(func(b map[string]any) { b["check_in"] = "10/01/2027" }), 422,
			`{"error":"validation","fields":{"check_in":"Fecha de llegada inválida: usá el formato AAAA-MM-DD."}}`},
		{"over 365 nights", body(func(b map[string]any) { b["check_out"] = d(in.AddDate(0, 0, 366)) }), 422,
			`{"error":"validation","fields":{"check_out":"La estadía no puede superar las 365 noches."}}`},
		{"no guests", body(func(b map[string]any) { b["guests"] = 0 }), 422,
			`{"error":"validation","fields":{"guests":"Tiene que haber al menos un huésped."}}`},
		{"too many guests", body(func(b map[string]any) { b["guests"] = 5 }), 422,
			`{"error":"validation","fields":{"guests":"La capacidad máxima es de 4 huéspedes."}}`},
		{"below minimum nights", body(func(b map[string]any) { b["check_out"] = d(in.AddDate(0, 0, 2)) }), 422,
			`{"error":"validation","fields":{"check_out":"La estadía mínima para esas fechas es de 3 noches."}}`},
		{"unknown property", body(func(b map[string]any) { b["property_id"] = 999999 }), 422,
			`{"error":"validation","fields":{"property_id":"El alojamiento no existe o no está disponible."}}`},
		{"inactive property", body(func(b map[string]any) { b["property_id"] = inactive.ID }), 422,
			`{"error":"validation","fields":{"property_id":"El alojamiento no existe o no está disponible."}}`},
		{"missing property", body(func(b map[string]any) { delete(b, "property_id") }), 422,
			`{"error":"validation","fields":{"property_id":"Falta el alojamiento."}}`},
		{"bad phone", body(func(b map[string]any) { b["guest_phone"] = "1234" }), 422,
			`{"error":"validation","fields":{"guest_phone":"Teléfono inválido: escribilo con código de área, por ejemplo 11 5555-1234 o +54 9 11 5555 1234."}}`},
		{"bad email", body(func(b map[string]any) { b["guest_email"] = "juana@" }), 422,
			`{"error":"validation","fields":{"guest_email":"Email inválido."}}`},
		{"missing name", body(func(b map[string]any) { b["guest_name"] = " " }), 422,
			`{"error":"validation","fields":{"guest_name":"Escribí tu nombre (entre 2 y 120 caracteres)."}}`},
		{"unknown channel", body(func(b map[string]any) { b["channel"] = "fax" }), 422,
			`{"error":"validation","fields":{"channel":"Canal desconocido."}}`},
		{"alias disagrees", body(func(b map[string]any) { b["accommodation_id"] = p.ID + 1 }), 422,
			`{"error":"validation","fields":{"accommodation_id":"No coincide con property_id."}}`},
		{"oversized body", body(func(b map[string]any) { b["note"] = strings.Repeat("a", 20<<10) }), 413,
			`{"error":"body_too_large","message":"El pedido es demasiado grande."}`},
		{"several problems at once", body(func(b map[string]any) {
			b["guests"], b["guest_phone"], b["extra"] = 9, "x", true
		}), 422, `{"error":"validation","fields":{"extra":"Campo desconocido.","guest_phone":"Teléfono inválido: escribilo con código de área, por ejemplo 11 5555-1234 o +54 9 11 5555 1234.","guests":"La capacidad máxima es de 4 huéspedes."}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Do(t, "POST", prereservePath, tc.body, nil)
			require.Equal(t, tc.status, r.Status, string(r.Body))
			require.JSONEq(t, tc.want, string(r.Body))
		})
	}
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM reservations`), "a refused request writes nothing")
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM occupancy`))
}

func TestPrereserveIdempotencyKeyReplaysFirstAnswer(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 3)
	body, err := json.Marshal(holdBody(p.ID, in, in.AddDate(0, 0, 2)))
	require.NoError(t, err)
	key := map[string]string{"Idempotency-Key": "retry-42"}

	first := s.Do(t, "POST", prereservePath, body, key)
	require.Equal(t, 201, first.Status, string(first.Body))
	second := s.Do(t, "POST", prereservePath, body, key)
	require.Equal(t, 201, second.Status)
	require.Equal(t, first.Body, second.Body, "byte for byte")
	require.Equal(t, "true", second.Header.Get("Idempotent-Replayed"))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations`))

	// Without the key the same body is a new request, refused by the constraint.
	third := s.Do(t, "POST", prereservePath, body, nil)
	require.Equal(t, 409, third.Status)
	require.JSONEq(t, `{"error":"date_overlap","message":"Esas noches se acaban de ocupar. Elegí otras fechas."}`, string(third.Body))

	// The same key with another body is a client bug, said plainly.
	other, err := json.Marshal(holdBody(p.ID, in.AddDate(0, 0, 5), in.AddDate(0, 0, 7)))
	require.NoError(t, err)
	reused := s.Do(t, "POST", prereservePath, other, key)
	require.Equal(t, 422, reused.Status)
	require.JSONEq(t, `{"error":"idempotency_key_reused","message":"Esta Idempotency-Key ya se usó con otro pedido."}`, string(reused.Body))

	// A refusal is an answer too, and replays as such.
	bad := []byte(`{"property_id":` + fmt.Sprint(p.ID) + `,"guests":0}`)
	k2 := map[string]string{"Idempotency-Key": "bad-1"}
	b1 := s.Do(t, "POST", prereservePath, bad, k2)
	b2 := s.Do(t, "POST", prereservePath, bad, k2)
	require.Equal(t, 422, b1.Status)
	require.Equal(t, 422, b2.Status)
	require.Equal(t, b1.Body, b2.Body)
}

func TestBackToBackStaysAndReleasedNights(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	d := s.Today().AddDate(0, 0, 20)

	a := s.Do(t, "POST", prereservePath, holdBody(p.ID, d, d.AddDate(0, 0, 3)), nil)
	require.Equal(t, 201, a.Status, string(a.Body))
	// Check-out day of one stay is the check-in day of the next: [d, d+3) and [d+3, d+5).
	b := s.Do(t, "POST", prereservePath, holdBody(p.ID, d.AddDate(0, 0, 3), d.AddDate(0, 0, 5)), nil)
	require.Equal(t, 201, b.Status, string(b.Body))
	// And the night before.
	c := s.Do(t, "POST", prereservePath, holdBody(p.ID, d.AddDate(0, 0, -1), d), nil)
	require.Equal(t, 201, c.Status, string(c.Body))
	// One shared night is refused.
	x := s.Do(t, "POST", prereservePath, holdBody(p.ID, d.AddDate(0, 0, 2), d.AddDate(0, 0, 4)), nil)
	require.Equal(t, 409, x.Status)

	// Cancel the first: its nights can be held again at once (no lingering lock).
	var first struct{ Code string }
	a.JSON(t, &first)
	r, err := s.Booking.Get(context.Background(), first.Code)
	require.NoError(t, err)
	_, err = s.Booking.Transition(context.Background(), r.ID, booking.ActionCancel, "test", "")
	require.NoError(t, err)
	again := s.Do(t, "POST", prereservePath, holdBody(p.ID, d, d.AddDate(0, 0, 3)), nil)
	require.Equal(t, 201, again.Status, string(again.Body))

	// Let that hold expire: the nights are free again at once too.
	s.Clock.Advance(31 * time.Minute)
	codes, err := s.Booking.ExpireDue(context.Background())
	require.NoError(t, err)
	require.Len(t, codes, 3, "the three holds still pending expire; the cancelled one is untouched")
	s.Clock.Advance(-31 * time.Minute)
	after := s.Do(t, "POST", prereservePath, holdBody(p.ID, d, d.AddDate(0, 0, 5)), nil)
	require.Equal(t, 201, after.Status, string(after.Body))
}
