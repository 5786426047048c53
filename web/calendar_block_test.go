package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
)

func calBlockForm(propertyID int64, in, out time.Time, note string) url.Values {
	return url.Values{"property_id": {strconv.FormatInt(propertyID, 10)}, "check_in": {booking.FormatDate(in)},
		"check_out": {booking.FormatDate(out)}, "block_note": {note}}
}

func TestBlockCreateFromTheFormThenSeeIt(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 5)

	// A free night's link opens the form with the property and the night filled in.
	r := se.Get(fmt.Sprintf("/admin/reservations/new?property_id=%d&check_in=%s", p.ID, booking.FormatDate(in)))
	require.Equal(t, http.StatusOK, r.Status)
	form := string(r.Body)
	require.Contains(t, form, `<option value="`+strconv.FormatInt(p.ID, 10)+`" selected>`)
	require.Contains(t, form, `name="check_in" type="date" value="`+booking.FormatDate(in)+`"`)
	require.Contains(t, form, `name="check_out" type="date" value="`+booking.FormatDate(in.AddDate(0, 0, 1))+`"`)
	require.Contains(t, form, `formaction="/admin/blocks"`)
	require.Contains(t, form, `formaction="/admin/reservations"`)
	require.Contains(t, form, "Reserva telefónica / en persona")
	require.Contains(t, form, `name="_csrf" value="`)

	// With htmx the form alone comes back, to open in place.
	r = calGetHTMX(t, s, se, fmt.Sprintf("/admin/reservations/new?property_id=%d&check_in=%s", p.ID, booking.FormatDate(in)),
		map[string]string{"HX-Target": "cal-panel", "HX-Current-URL": s.URL + "/admin/calendar?month=" + calMonthOf(in) + "&months=3"})
	require.Equal(t, http.StatusOK, r.Status)
	require.NotContains(t, string(r.Body), "<html")
	require.Contains(t, string(r.Body), `name="back" value="/admin/calendar?month=`+calMonthOf(in)+`&amp;months=3"`,
		"after saving, back to the calendar as it was")

	f := calBlockForm(p.ID, in, in.AddDate(0, 0, 3), "Arreglo del techo")
	f.Set("back", "/admin/calendar?month="+calMonthOf(in)+"&months=3")
	r = se.PostForm("/admin/blocks", f)
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, "/admin/calendar?month="+calMonthOf(in)+"&months=3", r.Header.Get("Location"))

	r = se.Get(r.Header.Get("Location"))
	require.Contains(t, string(r.Body), "Bloqueo creado", "a flash says it worked")
	class, attrs, inner, ok := calCell(r.Body, p.ID, in)
	require.True(t, ok)
	require.Contains(t, class, "e-block")
	require.Contains(t, attrs, `colspan="3"`)
	require.Contains(t, inner, "Arreglo del techo")

	var blockID int64
	var note string
	require.NoError(t, s.Pool.QueryRow(context.Background(),
		`SELECT id, note FROM occupancy WHERE property_id = $1 AND kind = 'block' AND active`, p.ID).Scan(&blockID, &note))
	require.Equal(t, "Arreglo del techo", note)
	var detail []byte
	require.NoError(t, s.Pool.QueryRow(context.Background(),
		`SELECT detail FROM audit_log WHERE action = 'block_created' AND reservation_id IS NULL AND account_id = $1`,
		s.Account.ID).Scan(&detail))
	var d map[string]any
	require.NoError(t, json.Unmarshal(detail, &d))
	require.Equal(t, float64(p.ID), d["property_id"])
	require.Equal(t, booking.FormatDate(in), d["check_in"])
	require.Equal(t, booking.FormatDate(in.AddDate(0, 0, 3)), d["check_out"])

	// Its details, on the page and in the panel.
	r = se.Get(fmt.Sprintf("/admin/calendar?month=%s&block=%d", calMonthOf(in), blockID))
	require.Equal(t, http.StatusOK, r.Status)
	require.Contains(t, string(r.Body), "Eliminar bloqueo")
	require.Contains(t, string(r.Body), fmt.Sprintf(`action="/admin/blocks/%d/delete"`, blockID))
	require.Contains(t, string(r.Body), "3 noches")
	r = calGetHTMX(t, s, se, fmt.Sprintf("/admin/calendar?month=%s&block=%d", calMonthOf(in), blockID),
		map[string]string{"HX-Target": "cal-panel"})
	require.True(t, strings.HasPrefix(string(r.Body), "<article"), string(r.Body))
	require.Contains(t, string(r.Body), "Arreglo del techo")
}

func TestBlockOverTakenNightsRefused(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 5)
	calHold(t, s, p.ID, in, in.AddDate(0, 0, 3), "Ya Reservado")

	r := se.PostForm("/admin/blocks", calBlockForm(p.ID, in.AddDate(0, 0, 2), in.AddDate(0, 0, 6), "No va a entrar"))
	require.Equal(t, http.StatusConflict, r.Status)
	body := string(r.Body)
	require.Contains(t, body, "Esas noches ya están ocupadas")
	require.Contains(t, body, "No va a entrar", "the note typed is kept")
	require.Contains(t, body, `value="`+booking.FormatDate(in.AddDate(0, 0, 6))+`"`, "the dates typed are kept")
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM occupancy WHERE kind = 'block'`))
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'block_created'`))

	// Back to back with the hold is fine: nights are half-open.
	r = se.PostForm("/admin/blocks", calBlockForm(p.ID, in.AddDate(0, 0, 3), in.AddDate(0, 0, 4), ""))
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
}

func TestBlockValidation(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	today := s.Today()
	for _, tc := range []struct {
		name     string
		in, out  string
		note     string
		field    string
		contains string
	}{
		{"past", booking.FormatDate(today.AddDate(0, 0, -1)), booking.FormatDate(today.AddDate(0, 0, 2)), "", "check_in", "ya pasaron"},
		{"reversed", booking.FormatDate(today.AddDate(0, 0, 3)), booking.FormatDate(today.AddDate(0, 0, 3)), "", "check_out", "posterior"},
		{"too long", booking.FormatDate(today), booking.FormatDate(today.AddDate(0, 0, 366)), "", "check_out", "365 noches"},
		{"not a date", "mañana", booking.FormatDate(today.AddDate(0, 0, 3)), "", "check_in", "AAAA-MM-DD"},
		{"long note", booking.FormatDate(today), booking.FormatDate(today.AddDate(0, 0, 1)), strings.Repeat("x", 501), "block_note", "demasiado larga"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := se.PostForm("/admin/blocks", url.Values{"property_id": {strconv.FormatInt(p.ID, 10)},
				"check_in": {tc.in}, "check_out": {tc.out}, "block_note": {tc.note}})
			require.Equal(t, http.StatusUnprocessableEntity, r.Status)
			body := string(r.Body)
			require.Contains(t, body, `id="cal-e-`+tc.field+`"`)
			require.Contains(t, body, tc.contains)
			require.Contains(t, body, `aria-invalid="true"`)
			require.Contains(t, body, `value="`+tc.in+`"`, "what was typed is kept")
		})
	}
	// A whole year is fine.
	r := se.PostForm("/admin/blocks", calBlockForm(p.ID, today, today.AddDate(0, 0, 365), "Temporada cerrada"))
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM occupancy WHERE kind = 'block'`))
}

func TestBlockDeleteFreesTheNights(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 7)
	out := in.AddDate(0, 0, 2)
	r := se.PostForm("/admin/blocks", calBlockForm(p.ID, in, out, "Visita familiar"))
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	var blockID int64
	require.NoError(t, s.Pool.QueryRow(context.Background(),
		`SELECT id FROM occupancy WHERE property_id = $1 AND kind = 'block' AND active`, p.ID).Scan(&blockID))

	availability := func() []bool {
		r := s.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/properties/%d/availability?from=%s&to=%s", p.ID,
			booking.FormatDate(in), booking.FormatDate(out)), nil, nil)
		require.Equal(t, http.StatusOK, r.Status, string(r.Body))
		var a struct {
			Nights []struct {
				Available bool `json:"available"`
			} `json:"nights"`
		}
		r.JSON(t, &a)
		var out []bool
		for _, n := range a.Nights {
			out = append(out, n.Available)
		}
		return out
	}
	require.Equal(t, []bool{false, false}, availability())

	// Without the CSRF token nothing happens.
	r = se.PostFormNoCSRF(fmt.Sprintf("/admin/blocks/%d/delete", blockID), nil)
	require.Equal(t, http.StatusForbidden, r.Status)
	require.Equal(t, []bool{false, false}, availability())

	back := "/admin/properties/" + strconv.FormatInt(p.ID, 10) + "/calendar?month=" + calMonthOf(in)
	r = se.PostForm(fmt.Sprintf("/admin/blocks/%d/delete", blockID), url.Values{"back": {back}})
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, back, r.Header.Get("Location"))
	require.Equal(t, []bool{true, true}, availability())
	r = se.Get(back)
	require.Contains(t, string(r.Body), "Bloqueo eliminado")
	require.NotContains(t, string(r.Body), "Visita familiar")
	require.Equal(t, 1, s.Count(t,
		`SELECT count(*) FROM audit_log WHERE action = 'block_deleted' AND reservation_id IS NULL AND (detail->>'block_id')::bigint = $1`, blockID))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM occupancy WHERE id = $1 AND NOT active AND released_at IS NOT NULL`, blockID))

	// Twice is not found; so is its panel.
	require.Equal(t, http.StatusNotFound, se.PostForm(fmt.Sprintf("/admin/blocks/%d/delete", blockID), nil).Status)
	require.Equal(t, http.StatusNotFound, se.Get(fmt.Sprintf("/admin/calendar?block=%d", blockID)).Status)

	// An open redirect through back is refused.
	r = se.PostForm("/admin/blocks", calBlockForm(p.ID, in, out, ""))
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.NoError(t, s.Pool.QueryRow(context.Background(),
		`SELECT id FROM occupancy WHERE property_id = $1 AND kind = 'block' AND active`, p.ID).Scan(&blockID))
	r = se.PostForm(fmt.Sprintf("/admin/blocks/%d/delete", blockID), url.Values{"back": {"//evil.example/admin"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Equal(t, "/admin/calendar?month="+calMonthOf(in), r.Header.Get("Location"))
}

func TestBlockCreateNeedsCSRF(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 3)
	se.Get("/admin/calendar") // the CSRF cookie exists; only the token is missing
	r := se.PostFormNoCSRF("/admin/blocks", calBlockForm(p.ID, in, in.AddDate(0, 0, 2), "Sin token"))
	require.Equal(t, http.StatusForbidden, r.Status)
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM occupancy`))
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM audit_log`))
}

func TestBlockConcurrentRequestsOneWins(t *testing.T) {
	t.Parallel()
	s, se := calOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 3)
	const n = 8
	statuses := make(chan int, n)
	form := calBlockForm(p.ID, in, in.AddDate(0, 0, 2), "Carrera")
	form.Set("_csrf", se.CSRF())
	for range n {
		go func() {
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/admin/blocks", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", "text/html")
			resp, err := se.Client.Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	counts := map[int]int{}
	for range n {
		counts[<-statuses]++
	}
	require.Equal(t, map[int]int{http.StatusSeeOther: 1, http.StatusConflict: n - 1}, counts)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM occupancy WHERE kind = 'block' AND active`))
}
