package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// capsServer runs a server whose limits are on (as in production) and which
// believes X-Forwarded-For from loopback, so a test can speak as any client.
func capsServer(t *testing.T) *webtest.Server {
	t.Helper()
	return webtest.Start(t, webtest.Options{RateLimit: 10000, TrustedProxies: "127.0.0.1/32"})
}

// from is the header that makes a request come from ip.
func from(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }

func postHold(t *testing.T, s *webtest.Server, body map[string]any, header map[string]string) webtest.Response {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	return s.Do(t, http.MethodPost, prereservePath, b, header)
}

func TestPrereserveRefusesAnythingButJSON(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 5)
	body, err := json.Marshal(holdBody(p.ID, in, in.AddDate(0, 0, 2)))
	require.NoError(t, err)

	// What a hostile page can send from a visitor's browser without a CORS preflight.
	for _, ct := range []string{"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
		"multipart/form-data; boundary=x", "", "application/vnd.api+json"} {
		r := s.Do(t, http.MethodPost, prereservePath, body, map[string]string{"Content-Type": ct})
		require.Equal(t, http.StatusUnsupportedMediaType, r.Status, "Content-Type %q", ct)
		require.JSONEq(t, `{"error":"unsupported_media_type","message":"Mandá el pedido como JSON, con Content-Type: application/json."}`,
			string(r.Body), "Content-Type %q", ct)
	}
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM reservations`), "no hold from a non-JSON request")

	r := s.Do(t, http.MethodPost, prereservePath, body, map[string]string{"Content-Type": "application/json; charset=utf-8"})
	require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
}

func TestPrereserveGuestNameMustBeAName(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 5)
	for _, c := range []struct{ name, msg string }{
		{"Ganaste https://premio.example/x", "El nombre no puede tener links ni direcciones web."},
		{"premio.example", "El nombre no puede tener links ni direcciones web."},
		{"Entrá a www.premio.example", "El nombre no puede tener links ni direcciones web."},
		{"juana@example.com", "El nombre no puede ser un email: escribí solo el nombre y el apellido."},
		{"Juana 1155551234", "El nombre no puede tener números."},
		{"<b>Juana</b>", "El nombre solo puede tener letras, espacios, apóstrofos, guiones y puntos de iniciales."},
		{"*Gratis* Juana", "El nombre solo puede tener letras, espacios, apóstrofos, guiones y puntos de iniciales."},
		{"J", "Escribí tu nombre (entre 2 y 120 caracteres)."},
	} {
		b := holdBody(p.ID, in, in.AddDate(0, 0, 2))
		b["guest_name"] = c.name
		r := postHold(t, s, b, nil)
		require.Equal(t, http.StatusUnprocessableEntity, r.Status, c.name)
		var got struct {
			Error  string            `json:"error"`
			Fields map[string]string `json:"fields"`
		}
		r.JSON(t, &got)
		require.Equal(t, "validation", got.Error)
		require.Equal(t, map[string]string{"guest_name": c.msg}, got.Fields, c.name)
	}
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM reservations`))

	// Real names pass, with their spaces tidied.
	for i, name := range []string{"María José O'Neill-Pérez", "J. R. R. Tolkien", "Zoë  Ñañez", "Sra. Ana D’Alessandro"} {
		ci := in.AddDate(0, 0, 3*(i+1))
		b := holdBody(p.ID, ci, ci.AddDate(0, 0, 2))
		b["guest_name"] = name
		b["guest_phone"] = fmt.Sprintf("11 5555-%04d", i)
		r := postHold(t, s, b, nil)
		require.Equal(t, http.StatusCreated, r.Status, "%s: %s", name, r.Body)
	}
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE guest_name = 'Zoë Ñañez'`))
}

func TestPrereserveLiveHoldsCappedPerPhone(t *testing.T) {
	t.Parallel()
	s := capsServer(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 5)
	hold := func(i int) webtest.Response {
		ci := in.AddDate(0, 0, 3*i)
		// Each from another network: only the phone is the same.
		return postHold(t, s, holdBody(p.ID, ci, ci.AddDate(0, 0, 2)), from(fmt.Sprintf("203.0.113.%d", i+1)))
	}
	for i := range 2 {
		r := hold(i)
		require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
	}
	r := hold(2)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.JSONEq(t, `{"error":"validation","fields":{"guest_phone":"Ya hay 2 reservas pendientes de seña con este teléfono. Pagá la seña de una o esperá a que venza para pedir otra."}}`,
		string(r.Body))

	// When the holds end, the phone may hold again.
	s.Clock.Advance(31 * time.Minute)
	r = hold(3)
	require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
}

func TestPrereserveTwentyRequestsFromOneSlash64CannotBlockTheProperty(t *testing.T) {
	t.Parallel()
	s := capsServer(t)
	p := s.Property(t)
	start := s.Today().AddDate(0, 0, 1)
	window := func(i int) (time.Time, time.Time) {
		return start.AddDate(0, 0, 30*i), start.AddDate(0, 0, 30*(i+1))
	}

	// Twenty addresses of one /64, twenty phones, twenty 30-night windows, all at once.
	type answer struct {
		status int
		header http.Header
		body   []byte
	}
	answers := make([]answer, 20)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ci, co := window(i)
			b := holdBody(p.ID, ci, co)
			b["guest_phone"] = fmt.Sprintf("11 5555-%04d", i)
			body, _ := json.Marshal(b)
			req, err := http.NewRequest(http.MethodPost, s.URL+prereservePath, strings.NewReader(string(body)))
			if err != nil {
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("2001:db8:77:1:%x::%x", i*977, i+1))
			res, err := s.Client.Do(req)
			if err != nil {
				return
			}
			defer res.Body.Close()
			out, _ := io.ReadAll(res.Body)
			answers[i] = answer{res.StatusCode, res.Header, out}
		}()
	}
	wg.Wait()
	created, limited := 0, 0
	for i, a := range answers {
		switch a.status {
		case http.StatusCreated:
			created++
		case http.StatusTooManyRequests:
			limited++
			require.JSONEq(t, `{"error":"too_many_holds","message":"Desde tu conexión ya hay varias reservas pendientes de seña. Pagá la seña de alguna o esperá a que venza para pedir otra."}`,
				string(a.body))
			secs, err := strconv.Atoi(a.header.Get("Retry-After"))
			require.NoError(t, err, "request %d: Retry-After %q", i, a.header.Get("Retry-After"))
			require.Positive(t, secs)
			require.LessOrEqual(t, secs, 30*60, "at most until the first hold ends")
		default:
			t.Fatalf("request %d: %d %s", i, a.status, a.body)
		}
	}
	require.Equal(t, 3, created, "three live holds per client network")
	require.Equal(t, 17, limited)
	require.LessOrEqual(t, s.Count(t, `SELECT coalesce(sum(upper(nights) - lower(nights)), 0)::int FROM occupancy WHERE active AND property_id = $1`, p.ID),
		3*30)

	// Anyone else still finds free nights and holds them, inside the next months the attacker wanted.
	free := 0
	for i := range 20 {
		ci, _ := window(i)
		r := postHold(t, s, holdBody(p.ID, ci, ci.AddDate(0, 0, 2)), from("198.51.100.7"))
		if r.Status == http.StatusCreated {
			free++
			require.Less(t, i, 12, "free nights within the year")
			break
		}
		require.Equal(t, http.StatusConflict, r.Status, string(r.Body))
	}
	require.Equal(t, 1, free)
	// Another /64 is another client, not limited by the first one's holds.
	for i := range 20 {
		ci, _ := window(i)
		r := postHold(t, s, holdBody(p.ID, ci.AddDate(0, 0, 10), ci.AddDate(0, 0, 12)), from("2001:db8:78::1"))
		if r.Status == http.StatusCreated {
			return
		}
		require.Equal(t, http.StatusConflict, r.Status, string(r.Body))
	}
	t.Fatal("no free nights for a client of another /64")
}

func TestPrereserveMaximumAnonymousStay(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 3)

	// Default: 30 nights.
	r := postHold(t, s, holdBody(p.ID, in, in.AddDate(0, 0, 31)), nil)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.JSONEq(t, `{"error":"validation","fields":{"check_out":"Para reservar más de 30 noches escribile al alojamiento: lo arreglan directamente."}}`, string(r.Body))
	r = postHold(t, s, holdBody(p.ID, in, in.AddDate(0, 0, 30)), nil)
	require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
	quote := s.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/properties/%d/quote?check_in=%s&check_out=%s&guests=2", p.ID,
		booking.FormatDate(in.AddDate(0, 0, 40)), booking.FormatDate(in.AddDate(0, 0, 71))), nil, nil)
	require.Equal(t, http.StatusUnprocessableEntity, quote.Status)
	require.JSONEq(t, `{"error":"validation","fields":{"check_out":"Para reservar más de 30 noches escribile al alojamiento: lo arreglan directamente."}}`, string(quote.Body))

	// The owner sets another maximum on the property form; a wrong one is said beside the field.
	path := fmt.Sprintf("/admin/properties/%d", p.ID)
	edit := string(se.Get(path + "/edit").Body)
	require.Contains(t, edit, `name="max_anonymous_nights"`)
	require.Contains(t, edit, `value="30"`)
	f := propForm("Cabaña Larga")
	f.Set("slug", p.Slug)
	f.Set("max_anonymous_nights", "0")
	bad := se.PostForm(path, f)
	require.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	require.Contains(t, string(bad.Body), "Ingresá de 1 a 365 noches.")
	require.Contains(t, string(bad.Body), `id="f-max_anonymous_nights" name="max_anonymous_nights" type="number" inputmode="numeric" min="1" max="365" value="0" aria-invalid="true"`)
	f.Set("max_anonymous_nights", "7")
	require.Equal(t, http.StatusSeeOther, se.PostForm(path, f).Status)
	require.Contains(t, string(se.Get(path+"/edit").Body), `value="7"`)

	later := in.AddDate(0, 0, 40)
	// The booking page says so before the guest types anything (polled: the property cache hears the change a moment later).
	pageURL := fmt.Sprintf("/p/%s?check_in=%s&check_out=%s", p.Slug, booking.FormatDate(later), booking.FormatDate(later.AddDate(0, 0, 8)))
	var page string
	dbtest.Eventually(t, "the new maximum on the booking page", func() bool {
		page = string(s.Do(t, http.MethodGet, pageURL, nil, nil).Body)
		return strings.Contains(page, "Para reservar más de 7 noches escribile al alojamiento: lo arreglan directamente.")
	})
	require.NotContains(t, page, `id="reservar"`, "no hold form for a stay it would refuse")

	r = postHold(t, s, holdBody(p.ID, later, later.AddDate(0, 0, 8)), nil)
	require.JSONEq(t, `{"error":"validation","fields":{"check_out":"Para reservar más de 7 noches escribile al alojamiento: lo arreglan directamente."}}`, string(r.Body))
	r = postHold(t, s, holdBody(p.ID, later, later.AddDate(0, 0, 7)), nil)
	require.Equal(t, http.StatusCreated, r.Status, string(r.Body))

	// The owner's own holds from the dashboard are not bounded by it.
	long := in.AddDate(0, 0, 90)
	res := se.PostForm("/admin/reservations", calPhoneForm(p.ID, long, long.AddDate(0, 0, 40)))
	require.Equal(t, http.StatusSeeOther, res.Status, string(res.Body))
}

func TestIdempotencyKeyBelongsToTheClientThatUsedIt(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{TrustedProxies: "127.0.0.1/32"})
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 4)
	body, err := json.Marshal(holdBody(p.ID, in, in.AddDate(0, 0, 2)))
	require.NoError(t, err)
	key := func(ip string) map[string]string {
		return map[string]string{"Idempotency-Key": "clave-compartida", "X-Forwarded-For": ip}
	}

	first := s.Do(t, http.MethodPost, prereservePath, body, key("203.0.113.10"))
	require.Equal(t, http.StatusCreated, first.Status, string(first.Body))
	var mine map[string]any
	first.JSON(t, &mine)
	token := strings.SplitN(mine["guest_url"].(string), "?t=", 2)[1]

	// Another client with the same key and body gets its own answer, never the first one.
	other := s.Do(t, http.MethodPost, prereservePath, body, key("198.51.100.20"))
	require.Equal(t, http.StatusConflict, other.Status, string(other.Body))
	require.Empty(t, other.Header.Get("Idempotent-Replayed"))
	require.NotContains(t, string(other.Body), token)
	require.NotContains(t, string(other.Body), mine["code"].(string))

	// Nor can a client take a key first and block another's: the second client's own request goes through.
	elsewhere, err := json.Marshal(holdBody(p.ID, in.AddDate(0, 0, 10), in.AddDate(0, 0, 12)))
	require.NoError(t, err)
	squat := s.Do(t, http.MethodPost, prereservePath, elsewhere, key("2001:db8:5::1"))
	require.Equal(t, http.StatusCreated, squat.Status, string(squat.Body))
	victim, err := json.Marshal(holdBody(p.ID, in.AddDate(0, 0, 20), in.AddDate(0, 0, 22)))
	require.NoError(t, err)
	own := s.Do(t, http.MethodPost, prereservePath, victim, key("2001:db8:6::1"))
	require.Equal(t, http.StatusCreated, own.Status, string(own.Body))

	// The first client's retry, from another address of its /64 too, replays its answer byte for byte.
	again := s.Do(t, http.MethodPost, prereservePath, body, key("203.0.113.10"))
	require.Equal(t, first.Body, again.Body)
	require.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	v6 := s.Do(t, http.MethodPost, prereservePath, elsewhere, key("2001:db8:5::99"))
	require.Equal(t, squat.Body, v6.Body)
}

func TestSecurityPropertyMaximumAnonymousStayRefusesJunk(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)
	path := fmt.Sprintf("/admin/properties/%d", p.ID)
	for _, v := range []string{"0", "-1", "366", "99999999999999999999", "1e3", "30; DROP TABLE properties", "30.5", "<script>alert(1)</script>", "\x00"} {
		f := propForm("Cabaña Blindada")
		f.Set("slug", p.Slug)
		f.Set("max_anonymous_nights", v)
		r := se.PostForm(path, f)
		require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%q", v)
		body := string(r.Body)
		require.Contains(t, body, `<p class="field-error" id="f-max_anonymous_nights-error">Ingresá de 1 a 365 noches.</p>`, "%q", v)
		require.NotContains(t, body, "<script>alert(1)</script>")
	}
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND max_anonymous_nights = 30 AND name <> 'Cabaña Blindada'`, p.ID),
		"nothing saved")

	// Staff may not change it (owner-only route): the same as every property setting.
	email, password := s.User(t, "staff")
	staff := s.Login(t, email, password)
	f := propForm("Cabaña Blindada")
	f.Set("slug", p.Slug)
	f.Set("max_anonymous_nights", "365")
	require.Equal(t, http.StatusForbidden, staff.PostForm(path, f).Status)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND max_anonymous_nights = 30`, p.ID))
}
