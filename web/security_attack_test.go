package web_test

// What attackers try, each against the real server, asserting the exact
// refusal and that nothing was stored. The rest of the security pass lives
// beside it: security_test.go (CSRF per route, sessions, roles, login
// throttling, XSS, headers, cookies), security_idor_test.go (every admin
// route against another account), mercadopago_test.go and whatsapp_test.go
// (forged signatures).

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/ical"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/whatsapp"
	"alojamientos/internal/whatsapp/watest"
	"alojamientos/web/webtest"
)

// Forged and replayed webhooks beyond TestMercadoPagoSignatureRefused and
// TestWhatsAppSignatureRefused: a genuine signature dated in the future, a
// byte-for-byte replay outside the window, and WhatsApp signatures that are
// empty, upper-cased or over another body of the same length.
func TestSecurityAttackWebhookForgeries(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{MercadoPagoURL: "http://127.0.0.1:1", MercadoPagoToken: "TEST-token",
		MercadoPagoSecret: mptest.Secret})
	hook := s.URL + "/webhooks/mercadopago"

	t.Run("Mercado Pago", func(t *testing.T) {
		for name, at := range map[string]time.Time{
			"signed 20 minutes in the future": time.Now().Add(20 * time.Minute),
			"signed a day ago":                time.Now().Add(-24 * time.Hour),
		} {
			d := mptest.NewDelivery(hook, mptest.Secret, "990001", at)
			code, err := d.Send(s.Client)
			require.NoError(t, err)
			require.Equal(t, http.StatusUnauthorized, code, name)
		}
		// A captured genuine delivery, replayed later: accepted once while
		// fresh (and idempotent), refused once the window has passed.
		d := mptest.NewDelivery(hook, mptest.Secret, "990002", time.Now().Add(-9*time.Minute))
		code, err := d.Send(s.Client)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, code)
		code, err = d.Send(s.Client)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, code, "a retry inside the window is a duplicate, not a new event")
		require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE provider = 'mercadopago'`))
		stale := mptest.NewDelivery(hook, mptest.Secret, "990002", time.Now().Add(-11*time.Minute))
		code, err = stale.Send(s.Client)
		require.NoError(t, err)
		require.Equal(t, http.StatusUnauthorized, code)
		// The signature of one payment on another's id.
		forged := mptest.NewDelivery(hook, mptest.Secret, "990003", time.Now())
		forged.V1 = mercadopago.Sign(mptest.Secret, "990004", forged.RequestID, forged.TS)
		code, err = forged.Send(s.Client)
		require.NoError(t, err)
		require.Equal(t, http.StatusUnauthorized, code)
		require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE provider = 'mercadopago'`), "refusals store nothing")
	})

	t.Run("WhatsApp", func(t *testing.T) {
		body := []byte(`{"object":"whatsapp_business_account","entry":[]}`)
		other := bytes.Replace(body, []byte("entry"), []byte("entrY"), 1)
		good := whatsapp.Sign(webtest.WhatsAppSecret, body)
		for name, sig := range map[string]string{
			"empty sha256":               "sha256=",
			"no prefix":                  strings.TrimPrefix(good, "sha256="),
			"upper-case hex of another":  "sha256=" + strings.ToUpper(strings.TrimPrefix(whatsapp.Sign(webtest.WhatsAppSecret, other), "sha256=")),
			"another body, same length":  whatsapp.Sign(webtest.WhatsAppSecret, other),
			"signed with the verify key": whatsapp.Sign(webtest.WhatsAppVerifyToken, body),
			"two signatures":             good + "," + good,
		} {
			r := s.Do(t, http.MethodPost, "/webhooks/whatsapp", body, map[string]string{"X-Hub-Signature-256": sig})
			require.Equal(t, http.StatusUnauthorized, r.Status, name)
			require.Contains(t, string(r.Body), "invalid_signature", name)
		}
		require.Zero(t, s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE provider = 'whatsapp'`))
		require.Equal(t, http.StatusOK, s.Do(t, http.MethodPost, "/webhooks/whatsapp", body,
			map[string]string{"X-Hub-Signature-256": good}).Status, "control: the real signature")
	})
}

// Session fixation: a session id planted in the browser before login (a
// made-up one, or the attacker's own real session) is never the one the
// victim gets, and the planted one does not become the victim's.
func TestSecurityAttackSessionFixation(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	victim, _ := s.User(t, "owner")
	_, attackerEmail, attackerPW := s.OtherAccount(t)
	attacker := s.Login(t, attackerEmail, attackerPW)
	attackerID := sessionCookie(t, s, attacker)

	for name, planted := range map[string]string{
		"made-up id":            "fixated-session-id-0123456789abcdef",
		"the attacker's own id": attackerID,
	} {
		t.Run(name, func(t *testing.T) {
			se := withCookie(t, s, planted)
			r := se.PostForm("/login", url.Values{"email": {victim}, "password": {pw}})
			require.Equal(t, http.StatusSeeOther, r.Status, "%s", r.Body)
			got := sessionCookie(t, s, se)
			require.NotEqual(t, planted, got, "login issues a new session id")
			require.Contains(t, string(se.Get("/admin/users").Body), victim, "control: the victim is in")
			// Whoever holds the planted id is not signed in as the victim.
			page := withCookie(t, s, planted).Get("/admin/users")
			require.NotContains(t, string(page.Body), victim)
		})
	}
	if r := attacker.Get("/admin/users"); r.Status == http.StatusOK {
		require.Contains(t, string(r.Body), attackerEmail, "the attacker is still only themselves")
		require.NotContains(t, string(r.Body), victim)
	}

	t.Run("logout revokes on the server", func(t *testing.T) {
		se := s.Login(t, victim, pw)
		old := sessionCookie(t, s, se)
		require.Equal(t, http.StatusSeeOther, se.PostForm("/logout", nil).Status)
		requireToLogin(t, withCookie(t, s, old).Get("/admin/account"), "the old cookie after logout")
	})
}

// attackPayloads go into every text field: stored verbatim or refused with
// a clear error, always rendered escaped, never breaking a table.
var attackPayloads = map[string]string{
	"sql":         `'; DROP TABLE reservations;--`,
	"script":      `<script>alert(1)</script>`,
	"template":    `{{.}}`,
	"percent nul": `a%00b`,
	"nul byte":    "a\x00b",
	"crlf":        "a\r\nSet-Cookie: x=1",
	"long":        strings.Repeat("ñandú 🏔️ ", 2000),
}

// textField is one free-text field of a form: where it is posted, the rest
// of a valid form, where the value is stored and the page that shows it.
type textField struct {
	form, field string
	post        func(i int, value string) (path string, form url.Values)
	stored      string // SQL counting rows holding $1 verbatim
	shownAt     func(r webtest.Response) string
	// as is what the field stores for a value (nil: the value itself).
	as func(string) any
}

func (tf textField) value(v string) any {
	// PostgreSQL cannot hold a NUL: look for what a server that dropped it would have stored.
	v = strings.ReplaceAll(v, "\x00", "")
	if tf.as != nil {
		return tf.as(v)
	}
	return v
}

func TestSecurityAttackPayloadsInEveryTextField(t *testing.T) {
	t.Parallel()
	graph := watest.NewGraph(t)
	s := webtest.Start(t, webtest.Options{WhatsAppURL: graph.URL})
	ctx := context.Background()
	email, _ := s.User(t, "owner")
	owner := s.Login(t, email, pw)
	guest := s.NewSession(t)
	p := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.Capacity = 6 })
	res := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 3), s.Today().AddDate(0, 0, 5))
	var conv int64
	require.NoError(t, s.Pool.QueryRow(ctx, `INSERT INTO wa_conversations (account_id, wa_id, last_inbound_at)
		VALUES ($1, '5491155550000', now()) RETURNING id`, s.Account.ID).Scan(&conv))
	pid := strconv.FormatInt(p.ID, 10)
	date := func(days int) string { return booking.FormatDate(s.Today().AddDate(0, 0, days)) }
	same := func(path string) func(webtest.Response) string { return func(webtest.Response) string { return path } }

	hold := func(field string) func(int, string) (string, url.Values) {
		return func(i int, v string) (string, url.Values) {
			f := url.Values{"accept_terms": {"true"}, "check_in": {date(20 + 3*i)}, "check_out": {date(22 + 3*i)}, "guests": {"2"},
				"guest_name": {"Juana Pérez"}, "guest_phone": {"11 5555-1234"}, "guest_email": {"juana@example.com"}, "note": {""}}
			f.Set(field, v)
			return "/p/" + p.Slug + "/hold", f
		}
	}
	property := func(field string) func(int, string) (string, url.Values) {
		return func(i int, v string) (string, url.Values) {
			f := url.Values{"name": {"Cabaña " + strconv.Itoa(i)}, "slug": {p.Slug}, "kind": {"cabin"}, "capacity": {"6"},
				"included_guests": {"2"}, "base_price": {"12000"}, "cleaning_fee": {"0"}, "extra_guest_fee": {"0"},
				"deposit_percent": {"30"}, "min_nights": {"1"}, "hold_minutes": {"30"}, "max_anonymous_nights": {"30"}, "check_in_time": {"14:00"},
				"check_out_time": {"10:00"}, "weekend_nights": {"5", "6"}, "active": {"true"}, "description": {""},
				"location": {""}, "house_rules": {""}, "amenities": {""}}
			f.Set(field, v)
			return "/admin/properties/" + pid, f
		}
	}
	guestEdit := func(field string) func(int, string) (string, url.Values) {
		return func(i int, v string) (string, url.Values) {
			f := url.Values{"guest_name": {"Juana Pérez"}, "guest_phone": {"+5491155551234"}, "guest_email": {"j@example.com"},
				"guests": {"2"}, "note": {""}}
			f.Set(field, v)
			return "/admin/reservations/" + res.Code + "/guest", f
		}
	}
	user := func(field string) func(int, string) (string, url.Values) {
		return func(i int, v string) (string, url.Values) {
			f := url.Values{"name": {"Ana"}, "email": {fmt.Sprintf("ana-%d-%s@example.com", i, field)}, "role": {"staff"}}
			f.Set(field, v)
			return "/admin/users", f
		}
	}
	fields := []textField{
		{"guest hold", "guest_name", hold("guest_name"), `SELECT count(*) FROM reservations WHERE guest_name = $1`, nil, nil},
		{"guest hold", "guest_phone", hold("guest_phone"), `SELECT count(*) FROM reservations WHERE guest_phone = $1`, nil, nil},
		{"guest hold", "guest_email", hold("guest_email"), `SELECT count(*) FROM reservations WHERE guest_email = $1`, nil, nil},
		{"guest hold", "note", hold("note"), `SELECT count(*) FROM reservations WHERE note = $1`, nil, nil},
		{"property", "name", property("name"), `SELECT count(*) FROM properties WHERE name = $1`, same("/admin/properties/" + pid + "/edit"), nil},
		{"property", "slug", property("slug"), `SELECT count(*) FROM properties WHERE slug = $1`, same("/admin/properties/" + pid + "/edit"), nil},
		{"property", "description", property("description"), `SELECT count(*) FROM properties WHERE description = $1`, same("/admin/properties/" + pid + "/edit"), nil},
		{"property", "location", property("location"), `SELECT count(*) FROM properties WHERE location = $1`, same("/admin/properties/" + pid + "/edit"), nil},
		{"property", "house_rules", property("house_rules"), `SELECT count(*) FROM properties WHERE house_rules = $1`, same("/admin/properties/" + pid + "/edit"), nil},
		{"property", "amenities", property("amenities"), `SELECT count(*) FROM properties WHERE amenities = $1`, same("/admin/properties/" + pid + "/edit"),
			// A list: split on commas, semicolons and lines, spaces folded.
			func(v string) any { return booking.SplitAmenities(v) }},
		{"season", "name", func(i int, v string) (string, url.Values) {
			return "/admin/properties/" + pid + "/seasons", url.Values{"name": {v}, "starts_on": {date(100 + 10*i)},
				"ends_on": {date(105 + 10*i)}, "nightly_price": {"30000"}, "min_nights": {"1"}}
		}, `SELECT count(*) FROM seasons WHERE name = $1`, same("/admin/properties/" + pid + "/edit"), nil},
		{"reservation guest", "guest_name", guestEdit("guest_name"), `SELECT count(*) FROM reservations WHERE guest_name = $1`, same("/admin/reservations/" + res.Code), nil},
		{"reservation guest", "guest_phone", guestEdit("guest_phone"), `SELECT count(*) FROM reservations WHERE guest_phone = $1`, same("/admin/reservations/" + res.Code), nil},
		{"reservation guest", "guest_email", guestEdit("guest_email"), `SELECT count(*) FROM reservations WHERE guest_email = $1`, same("/admin/reservations/" + res.Code), nil},
		{"reservation guest", "note", guestEdit("note"), `SELECT count(*) FROM reservations WHERE note = $1`, same("/admin/reservations/" + res.Code), nil},
		{"user", "name", user("name"), `SELECT count(*) FROM users WHERE name = $1`, same("/admin/users"), nil},
		{"user", "email", user("email"), `SELECT count(*) FROM users WHERE email = $1`, same("/admin/users"), nil},
		{"whatsapp reply", "text", func(i int, v string) (string, url.Values) {
			return fmt.Sprintf("/admin/whatsapp/%d/responder", conv), url.Values{"text": {v}, "token": {"attack-" + strconv.Itoa(i)}}
		}, `SELECT count(*) FROM wa_messages WHERE body = $1`, same(fmt.Sprintf("/admin/whatsapp/%d", conv)), nil},
	}

	i := 0
	for _, tf := range fields {
		for name, payload := range attackPayloads {
			i++
			t.Run(tf.form+"/"+tf.field+"/"+name, func(t *testing.T) {
				se := owner
				if tf.form == "guest hold" {
					se = guest
				}
				path, form := tf.post(i, payload)
				r := se.PostForm(path, form)
				requireEscaped(t, r.Body)
				switch r.Status {
				case http.StatusSeeOther, http.StatusCreated: // 201: a new user's page with the temporary password
					// Stored: exactly as typed (the DB holds what the user wrote, not an escaped copy).
					require.Equal(t, 1, min(1, s.Count(t, tf.stored, tf.value(payload))), "stored verbatim")
					show := r.Header.Get("Location")
					if r.Status == http.StatusCreated {
						show = path
					}
					if tf.shownAt != nil {
						show = tf.shownAt(r)
					}
					page := se.Get(show)
					require.Equal(t, http.StatusOK, page.Status, "%s: %.300s", show, page.Body)
					requireEscaped(t, page.Body)
					if tf.form == "guest hold" {
						// The owner's page of the new reservation shows everything the guest typed.
						code := strings.TrimPrefix(strings.SplitN(show, "?", 2)[0], "/r/")
						page = owner.Get("/admin/reservations/" + code)
						require.Equal(t, http.StatusOK, page.Status)
						requireEscaped(t, page.Body)
					}
					if name == "script" {
						require.Contains(t, string(page.Body), xssEscaped, "shown, escaped")
					}
				case http.StatusUnprocessableEntity:
					// Refused with the reason beside the field, or for a NUL byte
					// (PostgreSQL cannot store it) the reason on the page, in Spanish.
					if strings.Contains(payload, "\x00") && !strings.Contains(string(r.Body), "field-error") {
						require.Contains(t, string(r.Body), "un carácter que no se puede guardar")
					} else {
						require.Contains(t, string(r.Body), "field-error", "a clear error")
					}
					require.Zero(t, s.Count(t, tf.stored, tf.value(payload)), "nothing stored")
				default:
					t.Fatalf("%s %s=%q: %d %.300s", path, tf.field, payload, r.Status, r.Body)
				}
			})
		}
	}
	// The tables are intact and the owner's pages still work.
	for _, table := range []string{"reservations", "properties", "seasons", "users", "wa_messages", "occupancy"} {
		s.Count(t, "SELECT count(*) FROM "+table)
	}
	require.Equal(t, http.StatusOK, owner.Get("/admin/reservations").Status)
}

// CRLF and iCalendar injection through the names and notes an owner types:
// the export feed stays one calendar with exactly our events.
func TestSecurityAttackICSInjection(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	inject := "Cabaña\r\nEND:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:evil\r\nDTSTART;VALUE=DATE:20300101\r\nDTEND;VALUE=DATE:20300105\r\nSUMMARY:evil\r\nEND:VEVENT\nX-INJ:1"
	p := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.Name = inject; pp.Description = inject; pp.Location = inject })
	d := func(n int) time.Time { return s.Today().AddDate(0, 0, n) }
	_, err := s.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(d(5)),
		CheckOut: booking.FormatDate(d(8)), Guests: 2, GuestName: "Ana Evil", GuestPhone: "+5491155551234", Note: inject,
		Channel: "direct", Actor: "test"})
	require.NoError(t, err)
	_, err = db.Q(s.Pool).CreateBlock(ctx, dbq.CreateBlockParams{PropertyID: p.ID, AccountID: s.Account.ID,
		CheckIn: d(10), CheckOut: d(12), Note: inject, Actor: "test", Now: s.Clock.Now()})
	require.NoError(t, err)

	path := "/ical/" + p.IcsToken + ".ics"
	// The feed cache hears the change a moment after the commit: poll.
	r := s.GetUntil(t, path, nil, func(r webtest.Response) bool {
		return r.Status == http.StatusOK && countLines(icsLines(string(r.Body)), "BEGIN:VEVENT") == 2
	})
	lines := icsLines(string(r.Body))
	require.Equal(t, 2, countLines(lines, "BEGIN:VEVENT"), "the feed shows the two stays: %d %s", r.Status, r.Body)
	body := string(r.Body)
	require.Equal(t, 1, countLines(lines, "BEGIN:VCALENDAR"))
	require.Equal(t, 1, countLines(lines, "END:VCALENDAR"))
	require.Equal(t, "END:VCALENDAR", lines[len(lines)-1], "the calendar ends the body")
	require.True(t, strings.HasSuffix(body, "END:VCALENDAR\r\n"))
	for _, line := range lines {
		// The typed text is there only escaped, inside its own property (\n, \;).
		for _, evil := range []string{"UID:evil", "SUMMARY:evil", "X-INJ", "DTSTART;VALUE=DATE:2030"} {
			require.False(t, strings.HasPrefix(line, evil), "an injected line: %q", line)
		}
		require.NotContains(t, line, "\n", "no bare line feed")
		require.NotContains(t, line, "\r")
	}
	cal, err := ical.Parse(r.Body, time.UTC)
	require.NoError(t, err)
	require.Len(t, cal.Events, 2)
	require.Zero(t, cal.Skipped)
	for _, e := range cal.Events {
		require.NotEqual(t, "evil", e.UID)
		require.True(t, e.Start.Before(d(20)), "only our nights: %v", e.Start)
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			require.NotContains(t, v, "\n", k)
			require.NotContains(t, v, "X-INJ", k)
		}
	}
}

// icsLines unfolds an iCalendar body (RFC 5545 §3.1) into its content lines.
func icsLines(body string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if strings.HasPrefix(l, " ") && len(out) > 0 {
			out[len(out)-1] += l[1:]
			continue
		}
		out = append(out, l)
	}
	return out
}

func countLines(lines []string, want string) int {
	n := 0
	for _, l := range lines {
		if l == want {
			n++
		}
	}
	return n
}

// No user string becomes a response header raw: the CSV export's
// Content-Disposition, the login's ?next= redirect, the guest hold's redirect.
func TestSecurityAttackHeaderInjection(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, _ := s.User(t, "owner")
	_ = s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.Name = "Casa\r\nSet-Cookie: evil=1" })
	owner := s.Login(t, email, pw)
	requireClean := func(t *testing.T, r webtest.Response) {
		t.Helper()
		require.Empty(t, r.Header.Values("X-Injected"))
		for _, c := range r.Header.Values("Set-Cookie") {
			require.False(t, strings.HasPrefix(c, "evil="), c)
		}
		for k, vs := range r.Header {
			for _, v := range vs {
				require.NotContains(t, v, "\r", k)
				require.NotContains(t, v, "\n", k)
			}
		}
	}
	for _, q := range []string{"?q=%0d%0aX-Injected:%201", "?estado=x%0d%0aX-Injected:%201&desde=%0d%0a",
		"?filename=evil%0d%0aX-Injected:%201"} {
		r := owner.Get("/admin/reservations.csv" + q)
		require.Equal(t, http.StatusOK, r.Status)
		requireClean(t, r)
		require.Regexp(t, `^attachment; filename="reservas-\d{8}\.csv"$`, r.Header.Get("Content-Disposition"))
	}
	for _, next := range []string{"/admin/%0d%0aX-Injected:%201", "/admin/\r\nX-Injected: 1", "//evil.example/%0d%0a",
		"/\\evil.example", "https://evil.example/"} {
		se := s.NewSession(t)
		r := se.PostForm("/login", url.Values{"email": {email}, "password": {pw}, "next": {next}})
		require.Equal(t, http.StatusSeeOther, r.Status)
		requireClean(t, r)
		loc := r.Header.Get("Location")
		require.True(t, strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") && !strings.HasPrefix(loc, "/\\"),
			"stays on this site: %q", loc)
	}
	requireClean(t, s.NewSession(t).Get("/login?next=%0d%0aX-Injected:%201"))
}

// multipartPhoto posts a photo upload with any file name and content.
func multipartPhoto(t *testing.T, s *webtest.Server, se *webtest.Session, id int64, filename string, content []byte) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	require.NoError(t, w.WriteField("_csrf", se.CSRF()))
	part, err := w.CreateFormFile("photo", filename)
	require.NoError(t, err)
	_, _ = part.Write(content)
	require.NoError(t, w.Close())
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/admin/properties/%d/photos", s.URL, id), &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return se.Do(req)
}

// Uploads decide by content, name files themselves and never leave the
// photo folder; the media route serves only names it made.
func TestSecurityAttackPathTraversal(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, _ := s.User(t, "owner")
	owner := s.Login(t, email, pw)
	p := s.Property(t)
	marker := filepath.Join(os.TempDir(), fmt.Sprintf("aloj-traversal-%d.png", time.Now().UnixNano()))
	png := tinyPNG(t)

	for _, name := range []string{"../../../../../../" + strings.TrimPrefix(marker, "/"), marker, "..%2f..%2f" + filepath.Base(marker),
		"..\\..\\" + filepath.Base(marker), "foto.png\x00.sh", "/etc/passwd"} {
		r := multipartPhoto(t, s, owner, p.ID, name, png)
		// 403: a NUL in the part header makes the form unreadable, token included.
		require.Contains(t, []int{http.StatusSeeOther, http.StatusForbidden, http.StatusUnprocessableEntity}, r.Status,
			"%q: %.300s", name, r.Body)
		_, err := os.Stat(marker)
		require.True(t, errors.Is(err, os.ErrNotExist), "nothing written at %s by %q", marker, name)
	}
	var photos []string
	require.NoError(t, s.Pool.QueryRow(context.Background(), "SELECT photos FROM properties WHERE id = $1", p.ID).Scan(&photos))
	for _, ph := range photos {
		require.Regexp(t, `^[0-9a-f]{32}\.png$`, ph, "the server names stored files")
	}

	// Content pretending to be an image.
	for name, content := range map[string][]byte{
		"foto.png":  []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`),
		"foto.svg":  []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"foto.jpg":  []byte("<html><script>alert(1)</script></html>"),
		"foto.html": append([]byte("<html>"), png...),
		"foto.webp": append([]byte("RIFF\x00\x00\x00\x00WEBP"), []byte("<script>alert(1)</script>")...),
	} {
		before := len(photos)
		r := multipartPhoto(t, s, owner, p.ID, name, content)
		require.Equal(t, http.StatusUnprocessableEntity, r.Status, name)
		require.Contains(t, string(r.Body), "El archivo no es una foto JPEG, PNG o WebP.")
		requireEscaped(t, r.Body)
		require.NoError(t, s.Pool.QueryRow(context.Background(), "SELECT photos FROM properties WHERE id = $1", p.ID).Scan(&photos))
		require.Len(t, photos, before, "nothing stored for %s", name)
	}

	// The media route, by raw request line (no client-side cleaning of the path).
	for _, target := range []string{"/media/../../../../etc/passwd", "/media/..%2f..%2f..%2f..%2fetc%2fpasswd",
		"/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/media/..%252f..%252fetc%252fpasswd", "/media//etc/passwd",
		"/media/%2fetc%2fpasswd", "/media/..%5c..%5cetc%5cpasswd", "/media/passwd%00.png", "/media/" + url.PathEscape(marker),
		"/media/....//....//etc/passwd", "/static/../../../../etc/passwd", "/static/..%2f..%2f..%2fgo.mod",
		"/static/%2e%2e/%2e%2e/go.mod"} {
		status, body := rawGet(t, s, target)
		require.Contains(t, []int{301, 400, 404}, status, target)
		require.NotContains(t, body, "root:", target)
		require.NotContains(t, body, "module alojamientos", target)
	}
}

// rawGet sends a request line exactly as given.
func rawGet(t *testing.T, s *webtest.Server, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", target)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b)
}

// declaredBody sends headers announcing size bytes and only a few of them,
// and returns the status the server answers without waiting for the rest.
func declaredBody(t *testing.T, s *webtest.Server, path, contentType string, size int64, header map[string]string) int {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	var h strings.Builder
	for k, v := range header {
		fmt.Fprintf(&h, "%s: %s\r\n", k, v)
	}
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: %s\r\nContent-Length: %d\r\n%s\r\n{\"a\":",
		path, contentType, size, h.String())
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "the server answers before the body is sent")
	resp.Body.Close()
	return resp.StatusCode
}

// Oversized bodies on every POST family: refused with 413, announced sizes
// refused before the body is read (the server does not buffer it), streamed
// ones cut at the family's limit, nothing stored.
func TestSecurityAttackOversizedBodies(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{MercadoPagoURL: "http://127.0.0.1:1", MercadoPagoToken: "TEST-token",
		MercadoPagoSecret: mptest.Secret})
	email, _ := s.User(t, "owner")
	owner := s.Login(t, email, pw)
	p := s.Property(t)
	res := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 3), s.Today().AddDate(0, 0, 5))
	guest := s.NewSession(t)
	cookieHeader := func(se *webtest.Session) string {
		u, _ := url.Parse(s.URL)
		var parts []string
		for _, c := range se.Client.Jar.Cookies(u) {
			parts = append(parts, c.Name+"="+c.Value)
		}
		return strings.Join(parts, "; ")
	}
	guestHdr := map[string]string{"Cookie": cookieHeader(guest), "X-CSRF-Token": guest.CSRF()}
	guestHdr["Cookie"] = cookieHeader(guest)
	ownerHdr := map[string]string{"Cookie": cookieHeader(owner), "X-CSRF-Token": owner.CSRF()}
	form := "application/x-www-form-urlencoded"

	t.Run("announced: 1 GB", func(t *testing.T) {
		for _, c := range []struct {
			path, contentType string
			header            map[string]string
		}{
			{"/api/v1/reservations/pre-reserve", "application/json", nil},
			{"/api/v1/reservations/" + res.Code + "/cancel?t=" + res.GuestToken, "application/json", nil},
			{"/login", form, guestHdr},
			{"/p/" + p.Slug + "/hold", form, guestHdr},
			{booking.GuestPath(res.Code, res.GuestToken, "comprobantes"), "multipart/form-data; boundary=x", guestHdr},
			{"/webhooks/mercadopago?data.id=1&type=payment", "application/json", nil},
			{"/webhooks/whatsapp", "application/json", map[string]string{"X-Hub-Signature-256": "sha256=00"}},
			{fmt.Sprintf("/admin/properties/%d/photos", p.ID), "multipart/form-data; boundary=x", ownerHdr},
			{fmt.Sprintf("/admin/properties/%d", p.ID), form, ownerHdr},
			{"/admin/users", form, ownerHdr},
		} {
			require.Equal(t, http.StatusRequestEntityTooLarge, declaredBody(t, s, c.path, c.contentType, 1<<30, c.header), c.path)
		}
	})

	t.Run("streamed past each family's limit", func(t *testing.T) {
		big := func(n int) []byte { return append(append([]byte(`{"x":"`), bytes.Repeat([]byte("a"), n)...), '"', '}') }
		r := s.Do(t, http.MethodPost, "/api/v1/reservations/pre-reserve", big(20<<10), nil)
		require.Equal(t, http.StatusRequestEntityTooLarge, r.Status, "JSON API: 16 KB")
		r = s.Do(t, http.MethodPost, "/api/v1/reservations/"+res.Code+"/cancel?t="+res.GuestToken, big(20<<10), nil)
		require.Equal(t, http.StatusRequestEntityTooLarge, r.Status, "JSON API, a guest's cancellation: 16 KB")
		r = s.Do(t, http.MethodPost, "/webhooks/mercadopago?data.id=1&type=payment", big(100<<10), nil)
		require.Equal(t, http.StatusRequestEntityTooLarge, r.Status, "Mercado Pago: 64 KB")
		r = s.Do(t, http.MethodPost, "/webhooks/whatsapp", big(2<<20), map[string]string{"X-Hub-Signature-256": "sha256=00"})
		require.Equal(t, http.StatusRequestEntityTooLarge, r.Status, "WhatsApp: 1 MB")
		// Chunked (no Content-Length): the 16 MB limit cuts the read; the form
		// parser then sees no token (403) — refused, nothing stored, at most 16 MB read.
		req, err := http.NewRequest(http.MethodPost, s.URL+"/admin/users",
			io.MultiReader(strings.NewReader("_csrf="+owner.CSRF()+"&name="), io.LimitReader(zeroReader{}, 20<<20)))
		require.NoError(t, err)
		req.ContentLength = -1
		req.Header.Set("Content-Type", form)
		require.Contains(t, []int{http.StatusForbidden, http.StatusRequestEntityTooLarge}, owner.Do(req).Status, "dashboard forms: 16 MB")
	})
	require.Zero(t, s.Count(t, "SELECT count(*) FROM webhook_inbox"))
	require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM reservations"), "only the test's hold")
	require.Zero(t, s.Count(t, "SELECT count(*) FROM receipts"))
	require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM users"), "no user created")
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

// Slow-loris: headers one byte a second are cut off by ReadHeaderTimeout
// (5 s in web.Server.HTTPServer), so a few such clients cannot hold the
// server's connections forever.
func TestSecurityAttackSlowLoris(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	start := time.Now()
	cut := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(conn) // returns when the server closes the connection
		cut <- err
	}()
	req := "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + strings.Repeat("a", 60) + "\r\n\r\n"
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	sent := 0
	for sent < len(req) {
		select {
		case <-cut:
			elapsed := time.Since(start)
			require.Less(t, sent, len(req), "cut off before the headers were complete")
			require.Less(t, elapsed, 12*time.Second, "cut off by the header timeout")
			t.Logf("slow client cut off after %s and %d bytes", elapsed.Round(100*time.Millisecond), sent)
			return
		case <-ticker.C:
			if _, err := conn.Write([]byte{req[sent]}); err != nil {
				t.Logf("write refused after %s: %v", time.Since(start), err)
				return
			}
			sent++
		}
		if time.Since(start) > 14*time.Second {
			t.Fatal("a client sending a header byte per second still holds its connection after 14 s")
		}
	}
	t.Fatal("the whole slow request was accepted")
}

// Brute force beyond TestSecurityLoginThrottling: credential stuffing on one
// account from many addresses (behind the trusted proxy) is throttled by
// account, the right password included; an unknown email is throttled the
// same way and answered like a wrong password, so neither reveals who has an
// account. (Throttling shared between instances through Redis is tested with
// the two-instance suite.)
func TestSecurityAttackBruteForceLogin(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{TrustedProxies: "127.0.0.1/32"})
	email, _ := s.User(t, "owner")
	ip := func(i int) map[string]string {
		return map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i+1)}
	}

	wrong := login(t, s, s.NewSession(t), email, "mala-clave-0", ip(200))
	unknown := login(t, s, s.NewSession(t), "nadie-aca@example.com", "mala-clave-0", ip(201))
	require.Equal(t, http.StatusUnauthorized, wrong.Status)
	require.Equal(t, wrong.Status, unknown.Status)
	for _, r := range []webtest.Response{wrong, unknown} {
		require.Contains(t, string(r.Body), "Email o contraseña incorrectos.")
	}

	for _, target := range []string{email, "nadie-aca@example.com"} {
		for i := 0; i < 10; i++ {
			login(t, s, s.NewSession(t), target, fmt.Sprintf("mala-clave-%d", i+1), ip(i))
		}
		r := login(t, s, s.NewSession(t), target, pw, ip(150))
		requireThrottled(t, r)
	}
	require.Equal(t, http.StatusTooManyRequests, login(t, s, s.NewSession(t), strings.ToUpper(email), pw, ip(151)).Status,
		"the right password, from yet another address, still waits")
	s.Clock.Advance(16 * time.Minute)
	require.Equal(t, http.StatusSeeOther, login(t, s, s.NewSession(t), email, pw, ip(152)).Status, "the window passes")
}
