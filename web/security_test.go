package web_test

// The dashboard's security suite, written against every route in routes.go:
// CSRF, sessions, isolation between accounts, roles, login throttling, XSS,
// security headers and cookies. A route whose feature is still a placeholder
// answers exactly 501; only then is its subtest skipped, so the day the
// feature lands the subtest runs for real.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/auth"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/internal/platform"
	"alojamientos/internal/receipts"
	"alojamientos/web"
	"alojamientos/web/webtest"
)

const (
	xssScript = `<script>alert(1)</script>`
	xssImg    = `"><img src=x onerror=alert(1)>`
	xss       = xssScript + xssImg
	// What an escaped xssScript looks like in HTML text and attributes.
	xssEscaped = `&lt;script&gt;alert(1)&lt;/script&gt;`

	// Markers of account A's data, looked for in account B's pages.
	markProperty = "Refugio Secreto Alfa"
	markGuest    = "Huesped Secreta Alfa"
	markNote     = "Nota Secreta Alfa"
	markBlock    = "Bloqueo Secreto Alfa"
	markSeason   = "Temporada Secreta Alfa"
	markStaff    = "Empleada Secreta Alfa"
	markPhoto    = "5ec2e7a0a1fa5ec2e7a0a1fa5ec2e7a0.jpg" // the form of a stored photo's name

	// Account B's own data, which B's pages must show (so "A is absent" is not vacuous).
	markPropertyB = "Refugio Beta"
	markGuestB    = "Huesped Beta"

	pw = "clave-de-prueba-123"
)

// secFixture is two accounts: A with an owner, a staff member and data whose
// every free-text field carries an XSS payload; B with an owner and a little data.
type secFixture struct {
	s                                  *webtest.Server
	ownerA, staffA, ownerB             string // emails; every password is pw
	staffAID, ownerAID                 int64
	propA, propA2, propB               dbq.Property
	resA, resB                         booking.Reservation
	blockA, seasonA, seasonB           int64
	feedA                              int64
	accountB                           int64
	paymentA                           int64 // a Mercado Pago payment of resA (refund route)
	receiptA                           int64 // a transfer receipt of resA, waiting for review
	refundA                            int64 // a refund of resA owed by transfer (settle route)
	ownerASess, staffASess, ownerBSess *webtest.Session
}

func newSecFixture(t *testing.T, opts webtest.Options) *secFixture {
	t.Helper()
	s := webtest.Start(t, opts)
	ctx := context.Background()
	q := db.Q(s.Pool)
	f := &secFixture{s: s}

	_, err := s.Pool.Exec(ctx, "UPDATE accounts SET name = $1 WHERE id = $2", "Cuenta Alfa "+xss, s.Account.ID)
	require.NoError(t, err)
	f.ownerA, _ = s.User(t, "owner")
	staff, err := auth.CreateUser(ctx, s.Pool, auth.NewUser{AccountID: s.Account.ID,
		Email: fmt.Sprintf("empleada-%d@example.com", time.Now().UnixNano()), Name: markStaff + " " + xss,
		Password: pw, Role: "staff"})
	require.NoError(t, err)
	f.staffA, f.staffAID = staff.Email, staff.ID
	f.ownerAID = userID(t, s, f.ownerA)

	f.propA = s.Property(t, func(p *dbq.CreatePropertyParams) {
		p.Name = markProperty + " " + xss
		p.Description = "Descripción " + xss
		p.Location = "Ubicación " + xss
	})
	f.propA2 = s.Property(t)
	_, err = s.Pool.Exec(ctx, "UPDATE properties SET photos = $1, house_rules = $2, amenities = $3 WHERE id = $4",
		[]string{markPhoto}, "Reglas "+xss, []string{"Parrilla " + xss}, f.propA.ID)
	require.NoError(t, err)

	today := s.Today()
	hold, err := s.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: f.propA.ID,
		CheckIn: booking.FormatDate(today.AddDate(0, 0, 2)), CheckOut: booking.FormatDate(today.AddDate(0, 0, 5)),
		Guests: 2, GuestName: markGuest + " " + xss, GuestPhone: "+5491155551234", GuestEmail: "secreta@example.com",
		Note: markNote + " " + xss, Channel: "direct", Actor: "test"})
	require.NoError(t, err)
	f.resA = hold.Reservation
	require.NoError(t, s.Pool.QueryRow(ctx, `INSERT INTO payments (account_id, reservation_id, provider, provider_id,
		status, amount, currency) VALUES ($1, $2, 'mercadopago', 'sec-1', 'approved', 100, 'ARS') RETURNING id`,
		f.resA.AccountID, f.resA.ID).Scan(&f.paymentA))
	rs := receipts.New(receipts.Deps{DB: s.Pool, Clock: s.Clock, Log: webtest.Logger(t), Booking: s.Booking})
	receipt, err := rs.Add(ctx, receipts.Upload{AccountID: f.resA.AccountID, ReservationID: f.resA.ID,
		Source: receipts.SourceGuestPage, Data: tinyPNG(t)})
	require.NoError(t, err)
	f.receiptA = receipt.ID
	require.NoError(t, s.Pool.QueryRow(ctx, `INSERT INTO refunds (account_id, reservation_id, reason, method, status,
		amount, currency, actor) VALUES ($1, $2, 'host_cancel', 'transfer', 'owed', 50, 'ARS', 'test') RETURNING id`,
		f.resA.AccountID, f.resA.ID).Scan(&f.refundA))

	f.blockA, err = q.InsertBlock(ctx, dbq.InsertBlockParams{PropertyID: f.propA.ID, CheckIn: today.AddDate(0, 0, 8),
		CheckOut: today.AddDate(0, 0, 10), Kind: "block", Note: markBlock + " " + xss})
	require.NoError(t, err)
	season, err := q.CreateSeason(ctx, dbq.CreateSeasonParams{PropertyID: f.propA.ID, Name: markSeason + " " + xss,
		StartsOn: today.AddDate(0, 1, 0), EndsOn: today.AddDate(0, 2, 0), NightlyPrice: money.FromUnits(20000)})
	require.NoError(t, err)
	f.seasonA = season.ID
	feed, err := q.CreateFeed(ctx, dbq.CreateFeedParams{PropertyID: f.propA.ID, AccountID: f.propA.AccountID,
		Channel: "airbnb", Url: "https://example.invalid/feed.ics", IntervalMinutes: 10})
	require.NoError(t, err)
	f.feedA = feed.ID

	accB, emailB, _ := s.OtherAccount(t)
	f.accountB, f.ownerB = accB, emailB
	f.propB = dbtest.Property(t, s.Pool, accB, func(p *dbq.CreatePropertyParams) { p.Name = markPropertyB })
	hold, err = s.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: f.propB.ID,
		CheckIn: booking.FormatDate(today.AddDate(0, 0, 2)), CheckOut: booking.FormatDate(today.AddDate(0, 0, 4)),
		Guests: 2, GuestName: markGuestB, GuestPhone: "+5491166667777", Channel: "direct", Actor: "test"})
	require.NoError(t, err)
	f.resB = hold.Reservation
	season, err = q.CreateSeason(ctx, dbq.CreateSeasonParams{PropertyID: f.propB.ID, Name: "Temporada Beta",
		StartsOn: today.AddDate(0, 1, 0), EndsOn: today.AddDate(0, 2, 0), NightlyPrice: money.FromUnits(15000)})
	require.NoError(t, err)
	f.seasonB = season.ID

	f.ownerASess = s.Login(t, f.ownerA, pw)
	f.staffASess = s.Login(t, f.staffA, pw)
	f.ownerBSess = s.Login(t, f.ownerB, pw)
	return f
}

// path fills a route of routes.go with account A's ids: :id is the property,
// block or user the route is about, :code the reservation, :sid the season.
func (f *secFixture) path(route string) string {
	id := f.propA.ID
	switch {
	case strings.HasPrefix(route, "/admin/blocks/"):
		id = f.blockA
	case strings.HasPrefix(route, "/admin/users/"):
		id = f.staffAID
	case strings.HasSuffix(route, "/refund"):
		id = f.paymentA
	}
	return strings.NewReplacer(":id", strconv.FormatInt(id, 10), ":code", f.resA.Code,
		":sid", strconv.FormatInt(f.seasonA, 10), ":fid", strconv.FormatInt(f.feedA, 10)).Replace(route)
}

// form is a valid-looking form for a POST route, so that only the check
// under test can refuse it.
func (f *secFixture) form(route string) url.Values {
	today := f.s.Today()
	date := func(days int) string { return booking.FormatDate(today.AddDate(0, 0, days)) }
	prop := strconv.FormatInt(f.propA.ID, 10)
	property := url.Values{"name": {"Cambiado"}, "slug": {"cambiado-" + prop + "-" + strconv.Itoa(len(route))},
		"kind": {"cabin"}, "capacity": {"4"},
		"included_guests": {"2"}, "base_price": {"12000"}, "cleaning_fee": {"0"}, "extra_guest_fee": {"0"},
		"deposit_percent": {"30"}, "min_nights": {"1"}, "hold_minutes": {"30"}, "check_in_time": {"14:00"},
		"check_out_time": {"10:00"}, "weekend_nights": {"5", "6"}, "active": {"true"}}
	season := url.Values{"name": {"Cambiada"}, "starts_on": {date(60)}, "ends_on": {date(70)},
		"nightly_price": {"30000"}, "min_nights": {"2"}}
	switch {
	case route == "/login":
		return url.Values{"email": {f.ownerA}, "password": {pw}}
	case route == "/logout":
		return url.Values{}
	case route == "/admin/blocks":
		return url.Values{"property_id": {prop}, "check_in": {date(20)}, "check_out": {date(22)}, "block_note": {"x"},
			"note": {"x"}}
	case route == "/admin/reservations":
		return url.Values{"property_id": {prop}, "check_in": {date(20)}, "check_out": {date(22)},
			"guest_name": {"Nuevo Huésped"}, "guest_phone": {"+5491155550000"}, "guests": {"2"}, "channel": {"phone"}}
	case strings.HasSuffix(route, "/confirm"):
		return url.Values{"note": {"seña por transferencia"}}
	case strings.HasSuffix(route, "/cancel"):
		return url.Values{"reason": {"pidió cancelar"}}
	case strings.HasSuffix(route, "/guest"):
		return url.Values{"guest_name": {"Cambiado"}, "guest_phone": {"+5491155550000"}, "guest_email": {"c@example.com"},
			"guests": {"2"}, "note": {"cambiada"}}
	case strings.HasSuffix(route, "/dates"):
		return url.Values{"property_id": {prop}, "check_in": {date(30)}, "check_out": {date(32)}}
	case strings.HasSuffix(route, "/payments"):
		return url.Values{"amount": {"1000"}, "method": {"cash"}, "note": {"efectivo"}}
	case route == "/admin/properties" || route == "/admin/properties/:id":
		return property
	case strings.HasSuffix(route, "/active"):
		return url.Values{"active": {"false"}}
	case strings.HasSuffix(route, "/photos/delete"):
		return url.Values{"photo": {markPhoto}}
	case strings.HasSuffix(route, "/seasons") || strings.HasSuffix(route, "/seasons/:sid"):
		return season
	case route == "/admin/users":
		return url.Values{"name": {"Intrusa"}, "email": {"intrusa@example.com"}, "role": {"owner"}}
	case strings.HasSuffix(route, "/role"):
		return url.Values{"role": {"owner"}}
	case route == "/admin/account/password":
		return url.Values{"current": {pw}, "new": {"una-clave-nueva"}, "repeat": {"una-clave-nueva"}}
	}
	return url.Values{}
}

// postRoutes are every state-changing route of the dashboard, as in routes.go.
var postRoutes = []string{
	"/login", "/logout",
	"/admin/blocks", "/admin/blocks/:id/delete",
	"/admin/reservations", "/admin/reservations/:code/confirm", "/admin/reservations/:code/cancel",
	"/admin/reservations/:code/check-in", "/admin/reservations/:code/complete", "/admin/reservations/:code/no-show",
	"/admin/reservations/:code/guest", "/admin/reservations/:code/dates", "/admin/reservations/:code/payments",
	"/admin/properties", "/admin/properties/:id", "/admin/properties/:id/active", "/admin/properties/:id/photos",
	"/admin/properties/:id/photos/delete", "/admin/properties/:id/seasons", "/admin/properties/:id/seasons/:sid",
	"/admin/properties/:id/seasons/:sid/delete",
	"/admin/properties/:id/feeds", "/admin/properties/:id/feeds/rotate", "/admin/properties/:id/feeds/:fid/sync",
	"/admin/properties/:id/feeds/:fid/delete", "/admin/properties/:id/feeds/orphans/release",
	"/admin/users", "/admin/users/:id/role", "/admin/users/:id/delete", "/admin/account/password",
	"/admin/reservations/:code/payments/:id/refund", "/admin/reservations/:code/balance-link",
	"/admin/settings/mercadopago/test",
}

// getRoutes are every page of the dashboard, as in routes.go.
var getRoutes = []string{
	"/admin/", "/admin/calendar", "/admin/properties/:id/calendar",
	"/admin/reservations", "/admin/reservations.csv", "/admin/reservations/new", "/admin/reservations/:code",
	"/admin/properties", "/admin/properties/new", "/admin/properties/:id/edit", "/admin/properties/:id/preview",
	"/admin/properties/:id/feeds",
	"/admin/reports", "/admin/users", "/admin/account",
	"/admin/settings/mercadopago",
}

// ownerOnly are the routes carrying `owner` in routes.go.
var ownerOnly = []string{
	"GET /admin/properties/new", "POST /admin/properties", "GET /admin/properties/:id/edit",
	"POST /admin/properties/:id", "POST /admin/properties/:id/active", "GET /admin/properties/:id/preview",
	"POST /admin/properties/:id/photos", "POST /admin/properties/:id/photos/delete",
	"POST /admin/properties/:id/seasons", "POST /admin/properties/:id/seasons/:sid",
	"POST /admin/properties/:id/seasons/:sid/delete",
	"POST /admin/properties/:id/feeds", "POST /admin/properties/:id/feeds/rotate", "POST /admin/properties/:id/feeds/:fid/delete",
	"POST /admin/properties/:id/feeds/orphans/release",
	"GET /admin/users", "POST /admin/users", "POST /admin/users/:id/role", "POST /admin/users/:id/delete",
	"POST /admin/reservations/:code/payments/:id/refund", "GET /admin/settings/mercadopago",
	"POST /admin/settings/mercadopago/test",
}

// TestSecurityRoutesAllCovered fails when the lists above name a route the
// server no longer declares. Every route the server declares, including ones
// not listed here, is checked by the generated suite of security_idor_test.go
// (login, account scope, roles and CSRF).
func TestSecurityRoutesAllCovered(t *testing.T) {
	t.Parallel()
	srv := web.New(web.Deps{Metrics: platform.NewMetrics(), Log: webtest.Logger(t)})
	var posts, gets []string
	for _, r := range srv.Handler().Routes() {
		switch {
		case r.Method == http.MethodPost && (strings.HasPrefix(r.Path, "/admin") || r.Path == "/login" || r.Path == "/logout"):
			posts = append(posts, r.Path)
		case r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/admin"):
			gets = append(gets, r.Path)
		}
	}
	require.Subset(t, posts, postRoutes, "every route in postRoutes exists")
	require.Subset(t, gets, getRoutes, "every route in getRoutes exists")
}

// dbState fingerprints every table a dashboard request could change (login
// times aside), table by table, so a difference names the table.
func dbState(t *testing.T, s *webtest.Server) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, q := range map[string]string{
		"users":        "SELECT id, account_id, email, name, password_hash, role, session_version FROM users",
		"accounts":     "SELECT * FROM accounts",
		"properties":   "SELECT * FROM properties",
		"seasons":      "SELECT * FROM seasons",
		"occupancy":    "SELECT * FROM occupancy",
		"reservations": "SELECT * FROM reservations",
		"payments":     "SELECT * FROM payments",
	} {
		var v string
		require.NoError(t, s.Pool.QueryRow(context.Background(),
			"SELECT coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '') FROM ("+q+") x").Scan(&v))
		out[name] = v
	}
	return out
}

// request is a POST built by hand: form or multipart body, token wherever
// the test wants it, any header.
type request struct {
	form      url.Values
	multipart bool
	header    map[string]string
}

func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))))
	return b.Bytes()
}

func send(t *testing.T, s *webtest.Server, se *webtest.Session, method, path string, r request) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	contentType := "application/x-www-form-urlencoded"
	if r.multipart {
		w := multipart.NewWriter(&body)
		for k, vs := range r.form {
			for _, v := range vs {
				require.NoError(t, w.WriteField(k, v))
			}
		}
		fw, err := w.CreateFormFile("photo", "foto.png")
		require.NoError(t, err)
		_, _ = fw.Write(tinyPNG(t))
		require.NoError(t, w.Close())
		contentType = w.FormDataContentType()
	} else if r.form != nil {
		body.WriteString(r.form.Encode())
	}
	req, err := http.NewRequest(method, s.URL+path, &body)
	require.NoError(t, err)
	if method != http.MethodGet {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "text/html")
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	return se.Do(req)
}

func with(form url.Values, k, v string) url.Values {
	out := url.Values{}
	for key, vs := range form {
		out[key] = slices.Clone(vs)
	}
	out.Set(k, v)
	return out
}

func TestSecurityCSRF(t *testing.T) {
	t.Parallel()
	f := newSecFixture(t, webtest.Options{})
	s, owner := f.s, f.ownerASess
	other := f.ownerBSess.CSRF() // a real token, of another browser
	require.NotEqual(t, owner.CSRF(), other)

	for _, route := range postRoutes {
		t.Run(route, func(t *testing.T) {
			se := owner
			if route == "/login" {
				se = s.NewSession(t)
				se.CSRF() // has a CSRF cookie, like any browser that opened the login page
			}
			path, form := f.path(route), f.form(route)
			multi := strings.HasSuffix(route, "/photos")
			before := dbState(t, s)
			for name, r := range map[string]request{
				"no token":                    {form: form},
				"wrong token":                 {form: with(form, "_csrf", strings.Repeat("x", 32))},
				"empty token":                 {form: with(form, "_csrf", "")},
				"another browser's token":     {form: with(form, "_csrf", other)},
				"wrong header token":          {form: form, header: map[string]string{"X-CSRF-Token": strings.Repeat("y", 32)}},
				"cross-site browser":          {form: form, header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}},
				"same-site browser, no token": {form: form, header: map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "https://evil." + strings.TrimPrefix(s.URL, "http://")}},
				"cross-site with a token":     {form: with(form, "_csrf", other), header: map[string]string{"Sec-Fetch-Site": "cross-site"}},
			} {
				r.multipart = multi
				resp := send(t, s, se, http.MethodPost, path, r)
				require.Equal(t, http.StatusForbidden, resp.Status, "%s: %s", name, resp.Body)
			}
			require.Equal(t, before, dbState(t, s), "a refused request changes nothing")
			if route == "/login" {
				require.Equal(t, http.StatusSeeOther, se.Get("/admin/").Status, "no session was started")
			} else {
				require.Equal(t, http.StatusOK, owner.Get("/admin/account").Status, "still signed in")
			}
		})
	}
}

// The control experiment: the very requests refused above, with the token,
// get through to their handlers as the account's owner (so a 403 above is the
// CSRF check, and a 404 in the isolation test is the account scope, not a
// request the handler would refuse anyway).
func TestSecurityCSRFTokenAccepted(t *testing.T) {
	t.Parallel()
	f := newSecFixture(t, webtest.Options{})
	for _, route := range postRoutes {
		if route == "/login" || route == "/logout" {
			continue
		}
		t.Run(route, func(t *testing.T) {
			r := send(t, f.s, f.ownerASess, http.MethodPost, f.path(route), request{
				form: with(f.form(route), "_csrf", f.ownerASess.CSRF()), multipart: strings.HasSuffix(route, "/photos")})
			require.NotContains(t, []int{http.StatusForbidden, http.StatusNotFound}, r.Status, "%.400s", r.Body)
			require.Less(t, r.Status, 500)
		})
	}
}

var csrfFieldRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
var hxHeadersRe = regexp.MustCompile(`hx-headers="{&#34;X-CSRF-Token&#34;: &#34;([^&]+)&#34;}"`)

func TestSecurityCSRFTokenFromThePageWorks(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, _ := s.User(t, "owner")
	se := s.NewSession(t)

	page := se.Get("/login")
	require.Equal(t, http.StatusOK, page.Status)
	m := csrfFieldRe.FindSubmatch(page.Body)
	require.NotNil(t, m, "the login form carries the token")
	r := se.PostFormNoCSRF("/login", url.Values{"_csrf": {string(m[1])}, "email": {email}, "password": {pw}})
	require.Equal(t, http.StatusSeeOther, r.Status, "the login page's token works")

	page = se.Get("/admin/account")
	require.Equal(t, http.StatusOK, page.Status)
	m = csrfFieldRe.FindSubmatch(page.Body)
	require.NotNil(t, m)
	r = se.PostFormNoCSRF("/admin/account/password", url.Values{"_csrf": {string(m[1])}, "current": {"mala-clave-123"},
		"new": {"una-clave-nueva"}, "repeat": {"una-clave-nueva"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status, "a dashboard form's token reaches the handler")

	h := hxHeadersRe.FindSubmatch(page.Body)
	require.NotNil(t, h, "htmx sends the token as a header")
	r = send(t, s, se, http.MethodPost, "/admin/account/password", request{form: url.Values{"current": {"mala-clave-123"},
		"new": {"una-clave-nueva"}, "repeat": {"una-clave-nueva"}}, header: map[string]string{"X-CSRF-Token": string(h[1]), "HX-Request": "true"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status, "the header token reaches the handler")
}

func sessionCookie(t *testing.T, s *webtest.Server, se *webtest.Session) string {
	t.Helper()
	u, _ := url.Parse(s.URL)
	for _, c := range se.Client.Jar.Cookies(u) {
		if c.Name == auth.SessionCookie {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func withCookie(t *testing.T, s *webtest.Server, value string) *webtest.Session {
	se := s.NewSession(t)
	u, _ := url.Parse(s.URL)
	se.Client.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookie, Value: value, Path: "/"}})
	return se
}

func requireToLogin(t *testing.T, r webtest.Response, msg string) {
	t.Helper()
	require.Equal(t, http.StatusSeeOther, r.Status, msg)
	require.True(t, strings.HasPrefix(r.Header.Get("Location"), "/login"), "%s: %s", msg, r.Header.Get("Location"))
}

func TestSecuritySessions(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, _ := s.User(t, "owner")
	staffEmail, _ := s.User(t, "staff")

	t.Run("logout revokes the session on the server", func(t *testing.T) {
		se := s.Login(t, email, pw)
		copied := withCookie(t, s, sessionCookie(t, s, se))
		require.Equal(t, http.StatusOK, copied.Get("/admin/account").Status)
		// No logout by GET: an <img> on any site could do it.
		require.Contains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, se.Get("/logout").Status)
		require.Equal(t, http.StatusOK, se.Get("/admin/account").Status, "still signed in")
		require.Equal(t, http.StatusSeeOther, se.PostForm("/logout", nil).Status)
		requireToLogin(t, copied.Get("/admin/account"), "the old cookie is worthless")
		requireToLogin(t, se.Get("/admin/"), "signed out")
		r := copied.PostFormNoCSRF("/admin/account/password", url.Values{"_csrf": {copied.CSRF()}, "current": {pw},
			"new": {"una-clave-nueva"}, "repeat": {"una-clave-nueva"}})
		requireToLogin(t, r, "writes too")
	})

	t.Run("a forged or tampered cookie is not a session", func(t *testing.T) {
		se := s.Login(t, email, pw)
		c := sessionCookie(t, s, se)
		requireToLogin(t, withCookie(t, s, c[:len(c)-2]+"AA").Get("/admin/"), "tampered")
		requireToLogin(t, withCookie(t, s, "MTIzNDU2Nzg5MA==").Get("/admin/"), "forged")
		requireToLogin(t, withCookie(t, s, "").Get("/admin/"), "empty")
	})

	t.Run("a password change signs out the other browsers only", func(t *testing.T) {
		email, _ := s.User(t, "owner")
		here, there := s.Login(t, email, pw), s.Login(t, email, pw)
		oldHere := sessionCookie(t, s, here)
		r := here.PostForm("/admin/account/password", url.Values{"current": {pw}, "new": {"una-clave-nueva"},
			"repeat": {"una-clave-nueva"}})
		require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
		require.Equal(t, http.StatusOK, here.Get("/admin/account").Status, "the changing browser stays in")
		requireToLogin(t, there.Get("/admin/account"), "the other browser is out")
		requireToLogin(t, withCookie(t, s, oldHere).Get("/admin/account"), "the changing browser's old session id is dead")
		require.NotEqual(t, oldHere, sessionCookie(t, s, here), "a new session id")
	})

	t.Run("a removed user is out at once, a demoted owner loses owner pages at once", func(t *testing.T) {
		owner := s.Login(t, email, pw)
		email2, _ := s.User(t, "owner")
		second := s.Login(t, email2, pw)
		staff := s.Login(t, staffEmail, pw)
		require.Equal(t, http.StatusOK, second.Get("/admin/users").Status)
		r := owner.PostForm("/admin/users/"+strconv.FormatInt(userID(t, s, email2), 10)+"/role", url.Values{"role": {"staff"}})
		require.Equal(t, http.StatusSeeOther, r.Status)
		require.Equal(t, http.StatusForbidden, second.Get("/admin/users").Status)
		r = owner.PostForm("/admin/users/"+strconv.FormatInt(userID(t, s, staffEmail), 10)+"/delete", nil)
		require.Equal(t, http.StatusSeeOther, r.Status)
		requireToLogin(t, staff.Get("/admin/"), "removed")
	})
}

func TestSecurityIsolation(t *testing.T) {
	t.Parallel()
	f := newSecFixture(t, webtest.Options{})
	s, b := f.s, f.ownerBSess

	t.Run("another account's objects are not found", func(t *testing.T) {
		var cases []string
		for _, r := range getRoutes {
			if strings.Contains(r, ":") {
				cases = append(cases, "GET "+r)
			}
		}
		for _, r := range postRoutes {
			if strings.Contains(r, ":") {
				cases = append(cases, "POST "+r)
			}
		}
		for _, c := range cases {
			method, route, _ := strings.Cut(c, " ")
			t.Run(c, func(t *testing.T) {
				before := dbState(t, s)
				var r webtest.Response
				if method == http.MethodGet {
					r = b.Get(f.path(route))
				} else {
					r = send(t, s, b, method, f.path(route), request{form: with(f.form(route), "_csrf", b.CSRF()),
						multipart: strings.HasSuffix(route, "/photos")})
				}
				require.Equal(t, http.StatusNotFound, r.Status, "%s %s: %.300s", method, f.path(route), r.Body)
				require.Equal(t, before, dbState(t, s))
				for _, m := range []string{markProperty, markGuest, markNote, markBlock, markSeason, f.resA.Code} {
					require.NotContains(t, string(r.Body), m)
				}
			})
		}
	})

	// Mixing one's own object with another account's: B's property with A's
	// season, B's reservation moved onto A's property, A's property in B's forms.
	t.Run("another account's ids inside one's own routes", func(t *testing.T) {
		propB, seasonA := strconv.FormatInt(f.propB.ID, 10), strconv.FormatInt(f.seasonA, 10)
		today := s.Today()
		date := func(days int) string { return booking.FormatDate(today.AddDate(0, 0, days)) }
		for _, c := range []struct {
			path   string
			form   url.Values
			status []int
		}{
			{"/admin/properties/" + propB + "/seasons/" + seasonA, f.form("/admin/properties/:id/seasons/:sid"), []int{404}},
			{"/admin/properties/" + propB + "/seasons/" + seasonA + "/delete", url.Values{}, []int{404}},
			{"/admin/reservations/" + f.resB.Code + "/dates", url.Values{"property_id": {strconv.FormatInt(f.propA.ID, 10)},
				"check_in": {date(40)}, "check_out": {date(42)}}, []int{404, 422}},
			{"/admin/blocks", f.form("/admin/blocks"), []int{404, 422}},
			{"/admin/reservations", f.form("/admin/reservations"), []int{404, 422}},
			{"/admin/properties/" + propB + "/photos/delete", url.Values{"photo": {markPhoto}}, []int{303, 404, 422}},
		} {
			t.Run(c.path, func(t *testing.T) {
				before := dbState(t, s)
				r := b.PostForm(c.path, c.form)
				require.Contains(t, c.status, r.Status, "%.300s", r.Body)
				require.Equal(t, before, dbState(t, s))
			})
		}
	})

	t.Run("lists, calendar and export show only one's own account", func(t *testing.T) {
		pA, blockA := strconv.FormatInt(f.propA.ID, 10), strconv.FormatInt(f.blockA, 10)
		for _, c := range []struct {
			path string
			must []string // B's own data, so that the page is not simply empty
		}{
			{"/admin/", nil},
			{"/admin/calendar", []string{markPropertyB}},
			{"/admin/reservations", []string{markGuestB, f.resB.Code}},
			{"/admin/reservations.csv", []string{markGuestB, f.resB.Code}},
			{"/admin/properties", []string{markPropertyB}},
			{"/admin/reports", nil},
			{"/admin/users", []string{f.ownerB}},
			{"/admin/reservations/new", []string{markPropertyB}},
			// Filters naming A's objects.
			{"/admin/calendar?property_id=" + pA + "&property=" + pA + "&alojamiento=" + pA, nil},
			{"/admin/calendar?block=" + blockA, nil},
			{"/admin/properties/" + strconv.FormatInt(f.propB.ID, 10) + "/calendar?block=" + blockA, nil},
			{"/admin/reservations?alojamiento=" + pA + "&q=" + f.resA.Code, nil},
			{"/admin/reservations?q=" + url.QueryEscape(markGuest), nil},
			{"/admin/reservations.csv?alojamiento=" + pA + "&q=" + f.resA.Code, nil},
			{"/admin/reservations/new?property_id=" + pA + "&alojamiento=" + pA, nil},
			{"/admin/reports?property_id=" + pA + "&alojamiento=" + pA, nil},
		} {
			t.Run(c.path, func(t *testing.T) {
				r := b.Get(c.path)
				if len(c.must) > 0 {
					require.Equal(t, http.StatusOK, r.Status, "%.300s", r.Body)
				} else {
					require.Contains(t, []int{200, 404, 422}, r.Status, "%.300s", r.Body)
				}
				body := string(r.Body)
				for _, m := range c.must {
					require.Contains(t, body, m)
				}
				asked, _ := url.QueryUnescape(c.path)
				for _, m := range []string{markProperty, markGuest, markNote, markBlock, markSeason, markStaff,
					f.resA.Code, f.ownerA, f.staffA, "secreta@example.com", "+5491155551234"} {
					if strings.Contains(asked, m) {
						continue // a search box shows back what was searched
					}
					require.NotContains(t, body, m, "account A's data in account B's page")
				}
			})
		}
	})
}

// staffHidden are links and forms a staff member must not be shown.
var staffHidden = []*regexp.Regexp{
	regexp.MustCompile(`"/admin/settings/mercadopago[^"]*"`),
	regexp.MustCompile(`/refund"`),
	regexp.MustCompile(`"/admin/properties/new"`),
	regexp.MustCompile(`action="/admin/properties"`),
	regexp.MustCompile(`"/admin/properties/\d+(/edit|/preview|/active|/photos[^"]*|/seasons[^"]*)?"`),
	regexp.MustCompile(`"/admin/users[^"]*"`),
}

func TestSecurityRoles(t *testing.T) {
	t.Parallel()
	f := newSecFixture(t, webtest.Options{})
	s, staff := f.s, f.staffASess

	t.Run("staff are refused every owner-only route", func(t *testing.T) {
		for _, c := range ownerOnly {
			method, route, _ := strings.Cut(c, " ")
			t.Run(c, func(t *testing.T) {
				before := dbState(t, s)
				var r webtest.Response
				if method == http.MethodGet {
					r = staff.Get(f.path(route))
				} else {
					r = send(t, s, staff, method, f.path(route), request{form: with(f.form(route), "_csrf", staff.CSRF()),
						multipart: strings.HasSuffix(route, "/photos")})
				}
				require.Equal(t, http.StatusForbidden, r.Status, "%.300s", r.Body)
				require.Equal(t, before, dbState(t, s))
			})
		}
	})

	t.Run("owners are not refused them", func(t *testing.T) {
		for _, c := range ownerOnly {
			method, route, _ := strings.Cut(c, " ")
			if method != http.MethodGet {
				continue
			}
			r := f.ownerASess.Get(f.path(route))
			require.NotEqual(t, http.StatusForbidden, r.Status, c)
		}
	})

	t.Run("staff pages show no link to owner-only routes", func(t *testing.T) {
		for _, route := range getRoutes {
			if slices.Contains(ownerOnly, "GET "+route) || route == "/admin/reservations.csv" {
				continue
			}
			t.Run(route, func(t *testing.T) {
				r := staff.Get(f.path(route))
				require.Equal(t, http.StatusOK, r.Status, "%.300s", r.Body)
				for _, re := range staffHidden {
					require.Nil(t, re.Find(r.Body), "%s shows %s to staff", route, re.Find(r.Body))
				}
			})
		}
	})
}

// login posts the login form with a CSRF token and extra headers.
func login(t *testing.T, s *webtest.Server, se *webtest.Session, email, password string, header map[string]string) webtest.Response {
	t.Helper()
	return send(t, s, se, http.MethodPost, "/login", request{
		form: url.Values{"_csrf": {se.CSRF()}, "email": {email}, "password": {password}}, header: header})
}

const throttledMsg = "Demasiados intentos de ingreso. Esperá 15 minutos y probá de nuevo."

func requireThrottled(t *testing.T, r webtest.Response) {
	t.Helper()
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	require.Contains(t, string(r.Body), throttledMsg)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
	for _, c := range r.Header.Values("Set-Cookie") {
		require.False(t, strings.HasPrefix(c, auth.SessionCookie+"="), "no session: %s", c)
	}
}

func TestSecurityLoginThrottling(t *testing.T) {
	t.Parallel()

	t.Run("per account, whatever the email's case or spaces", func(t *testing.T) {
		t.Parallel()
		s := webtest.Start(t, webtest.Options{})
		email, _ := s.User(t, "owner")
		other, _ := s.User(t, "staff")
		se := s.NewSession(t)
		variants := []string{email, strings.ToUpper(email), " " + email + " ", strings.ToUpper(email[:1]) + email[1:]}
		for i := 0; i < 10; i++ {
			r := login(t, s, se, variants[i%len(variants)], "mala-clave-"+strconv.Itoa(i), nil)
			require.Equal(t, http.StatusUnauthorized, r.Status, "attempt %d", i+1)
		}
		requireThrottled(t, login(t, s, se, email, pw, nil))
		requireThrottled(t, login(t, s, s.NewSession(t), strings.ToUpper(email), pw, nil))
		require.Equal(t, http.StatusSeeOther, login(t, s, s.NewSession(t), other, pw, nil).Status,
			"another account from the same address is not locked out")
		s.Clock.Advance(16 * time.Minute)
		require.Equal(t, http.StatusSeeOther, login(t, s, s.NewSession(t), email, pw, nil).Status, "the window passes")
	})

	t.Run("per IP, and X-Forwarded-For does not change the IP", func(t *testing.T) {
		t.Parallel()
		s := webtest.Start(t, webtest.Options{})
		email, _ := s.User(t, "owner")
		se := s.NewSession(t)
		for i := 0; i < 30; i++ {
			ip := fmt.Sprintf("203.0.113.%d", i+1)
			r := login(t, s, se, fmt.Sprintf("nadie-%d@example.com", i), "mala-clave-123",
				map[string]string{"X-Forwarded-For": ip, "X-Real-IP": ip, "Forwarded": "for=" + ip, "True-Client-IP": ip})
			require.Equal(t, http.StatusUnauthorized, r.Status, "attempt %d", i+1)
		}
		requireThrottled(t, login(t, s, s.NewSession(t), email, pw,
			map[string]string{"X-Forwarded-For": "198.51.100.7", "X-Real-IP": "198.51.100.7"}))
		requireThrottled(t, login(t, s, s.NewSession(t), email, pw, nil))
	})

	// The contrast: behind a trusted proxy, the forwarded address is the client's.
	t.Run("per forwarded IP behind a trusted proxy", func(t *testing.T) {
		t.Parallel()
		s := webtest.Start(t, webtest.Options{TrustedProxies: "127.0.0.1/32"})
		email, _ := s.User(t, "owner")
		se := s.NewSession(t)
		for i := 0; i < 31; i++ {
			r := login(t, s, se, fmt.Sprintf("nadie-%d@example.com", i), "mala-clave-123",
				map[string]string{"X-Forwarded-For": fmt.Sprintf("203.0.113.%d", i+1)})
			require.Equal(t, http.StatusUnauthorized, r.Status, "attempt %d", i+1)
		}
		for i := 0; i < 30; i++ {
			login(t, s, se, "nadie@example.com", "mala", map[string]string{"X-Forwarded-For": "198.51.100.9"})
		}
		requireThrottled(t, login(t, s, se, email, pw, map[string]string{"X-Forwarded-For": "198.51.100.9"}))
		require.Equal(t, http.StatusSeeOther, login(t, s, s.NewSession(t), email, pw,
			map[string]string{"X-Forwarded-For": "198.51.100.10"}).Status)
	})
}

// With Redis away every throttle keeps counting in process: login attempts
// per account and the public limits per client. They used to let everything
// through ("fail open").
func TestSecurityThrottlesHoldWithoutRedis(t *testing.T) {
	t.Parallel()

	t.Run("login, Redis cut mid-test", func(t *testing.T) {
		t.Parallel()
		rs := newRedisSwitch(t)
		s := webtest.Start(t, webtest.Options{Redis: true, RedisURL: "redis://" + rs.ln.Addr().String() + "/13"})
		email, _ := s.User(t, "owner")
		se := s.NewSession(t)
		for i := 0; i < 3; i++ {
			require.Equal(t, http.StatusUnauthorized, login(t, s, se, email, "mala-clave-"+strconv.Itoa(i), nil).Status)
		}
		rs.cut()
		for i := 0; i < 10; i++ {
			r := login(t, s, se, email, "mala-clave-"+strconv.Itoa(i), nil)
			require.Equal(t, http.StatusServiceUnavailable, r.Status, "attempt %d: sessions cannot be stored", i+1)
		}
		requireThrottled(t, login(t, s, se, email, pw, nil))
		requireThrottled(t, login(t, s, s.NewSession(t), email, pw, nil))
	})

	t.Run("public API, Redis never there", func(t *testing.T) {
		t.Parallel()
		s := webtest.Start(t, webtest.Options{Redis: true, RedisURL: "redis://127.0.0.1:1/0", RateLimit: 3})
		for i := 0; i < 3; i++ {
			require.Equal(t, http.StatusOK, s.Do(t, http.MethodGet, "/api/v1/properties", nil, nil).Status, "request %d", i+1)
		}
		opsRequireLimited(t, s.Do(t, http.MethodGet, "/api/v1/properties", nil, nil))
		lines := opsMetricLines(t, s)
		require.Contains(t, lines, `rate_limited_total{scope="api"} 1`)
	})
}

// While sessions cannot be stored, the right password and a wrong one get
// the same answer: a login page that says to retry, with the same status,
// headers and body. Otherwise anyone could test passwords for free while
// Redis is away (503 meant right, 401 wrong).
func TestSecurityLoginSameAnswerWithoutSessions(t *testing.T) {
	t.Parallel()
	rs := newRedisSwitch(t)
	s := webtest.Start(t, webtest.Options{Redis: true, RedisURL: "redis://" + rs.ln.Addr().String() + "/13"})
	email, _ := s.User(t, "owner")
	se := s.NewSession(t)
	se.CSRF()
	rs.cut()

	right := login(t, s, se, email, pw, nil)
	wrong := login(t, s, se, email, "mala-clave-123", nil)
	unknown := login(t, s, se, "nadie@example.com", pw, nil)
	require.Equal(t, http.StatusServiceUnavailable, right.Status, "%s", right.Body)
	require.Contains(t, string(right.Body), "No pudimos iniciar tu sesión por un problema momentáneo. Probá de nuevo en unos segundos.")
	require.Contains(t, string(right.Body), `value="`+email+`"`, "the form keeps the email")
	require.Equal(t, "5", right.Header.Get("Retry-After"))
	require.Equal(t, right.Status, wrong.Status)
	require.Equal(t, right.Header.Get("Retry-After"), wrong.Header.Get("Retry-After"))
	require.Equal(t, string(right.Body), string(wrong.Body))
	require.Equal(t, right.Status, unknown.Status, "an unknown email too")
	require.Equal(t, strings.ReplaceAll(string(right.Body), email, "nadie@example.com"), string(unknown.Body))
	for _, r := range []webtest.Response{right, wrong, unknown} {
		for _, c := range r.Header.Values("Set-Cookie") {
			require.False(t, strings.HasPrefix(c, auth.SessionCookie+"="), "no session: %s", c)
		}
	}

	rs.restore()
	require.Equal(t, http.StatusSeeOther, login(t, s, se, email, pw, nil).Status, "back with Redis")
}

// requireEscaped fails when a page carries a payload as markup.
func requireEscaped(t *testing.T, body []byte) {
	t.Helper()
	for _, raw := range []string{"<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>"} {
		if i := bytes.Index(body, []byte(raw)); i >= 0 {
			t.Fatalf("raw %q in the page: …%s…", raw, body[max(0, i-120):min(len(body), i+80)])
		}
	}
}

func TestSecurityXSSEscaped(t *testing.T) {
	t.Parallel()
	f := newSecFixture(t, webtest.Options{})
	code := f.resA.Code
	for _, c := range []struct {
		path string
		as   *webtest.Session
		must []string // escaped payloads the page has to show
	}{
		{"/admin/", f.ownerASess, nil},
		{"/admin/calendar", f.ownerASess, []string{markProperty + " " + xssEscaped}},
		{f.path("/admin/properties/:id/calendar"), f.ownerASess, []string{markProperty + " " + xssEscaped}},
		{f.path("/admin/properties/:id/calendar") + "?block=" + strconv.FormatInt(f.blockA, 10), f.ownerASess,
			[]string{markBlock + " " + xssEscaped}},
		{"/admin/reservations", f.ownerASess, []string{markGuest + " " + xssEscaped, markProperty + " " + xssEscaped}},
		{"/admin/reservations?q=" + url.QueryEscape(xss), f.ownerASess, nil},
		{"/admin/reservations/" + code, f.ownerASess, []string{markGuest + " " + xssEscaped,
			markProperty + " " + xssEscaped, markNote + " " + xssEscaped}},
		{"/admin/reservations/new", f.ownerASess, []string{markProperty + " " + xssEscaped}},
		{"/admin/properties", f.ownerASess, []string{markProperty + " " + xssEscaped}},
		{f.path("/admin/properties/:id/edit"), f.ownerASess, []string{markProperty + " " + xssEscaped, markSeason + " " + xssEscaped}},
		{f.path("/admin/properties/:id/preview"), f.ownerASess, []string{markProperty + " " + xssEscaped}},
		{"/admin/reports", f.ownerASess, nil},
		{"/admin/users", f.ownerASess, []string{markStaff + " " + xssEscaped}},
		{"/admin/account", f.staffASess, []string{markStaff + " " + xssEscaped}},
		{"/login?next=" + url.QueryEscape(`/admin/"><script>alert(1)</script>`), f.s.NewSession(t), nil},
		// The same data on the guests' public pages.
		{"/", f.s.NewSession(t), []string{"Cuenta Alfa " + xssEscaped}}, // two accounts: the index lists them
		{"/a/" + f.s.Account.Slug, f.s.NewSession(t), []string{markProperty + " " + xssEscaped}},
		{"/p/" + f.propA.Slug, f.s.NewSession(t), []string{markProperty + " " + xssEscaped}},
		{"/r/" + code + "?t=" + f.resA.GuestToken, f.s.NewSession(t), []string{markGuest + " " + xssEscaped}},
	} {
		t.Run(c.path, func(t *testing.T) {
			r := c.as.Get(c.path)
			require.Equal(t, http.StatusOK, r.Status, "%.300s", r.Body)
			requireEscaped(t, r.Body)
			if strings.HasPrefix(c.path, "/admin") {
				require.Contains(t, string(r.Body), "Cuenta Alfa "+xssEscaped, "the account name, escaped")
			}
			for _, m := range c.must {
				require.Contains(t, string(r.Body), m)
			}
			// The htmx fragment of the same page too.
			req, err := http.NewRequest(http.MethodGet, f.s.URL+c.path, nil)
			require.NoError(t, err)
			req.Header.Set("HX-Request", "true")
			requireEscaped(t, c.as.Do(req).Body)
		})
	}

	t.Run("a refused form keeps what was typed, escaped", func(t *testing.T) {
		r := f.ownerASess.PostForm("/admin/users", url.Values{"name": {xss}, "email": {xss}, "role": {"staff"}})
		require.Equal(t, http.StatusUnprocessableEntity, r.Status)
		requireEscaped(t, r.Body)
		require.Contains(t, string(r.Body), `value="`+xssEscaped)
		r = f.ownerASess.PostForm(f.path("/admin/reservations/:code/guest"), url.Values{"guest_name": {xss + xss + xss + xss + xss},
			"guest_phone": {xss}, "guest_email": {xss}, "guests": {xss}, "note": {xss}})
		requireEscaped(t, r.Body)
	})

	t.Run("the CSV export is not HTML", func(t *testing.T) {
		r := f.ownerASess.Get("/admin/reservations.csv")
		require.Equal(t, http.StatusOK, r.Status)
		require.True(t, strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv"), r.Header.Get("Content-Type"))
		require.Contains(t, r.Header.Get("Content-Disposition"), "attachment")
		require.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"))
	})
}

func requireSecurityHeaders(t *testing.T, r webtest.Response, authenticated bool) {
	t.Helper()
	csp := r.Header.Get("Content-Security-Policy")
	require.Contains(t, csp, "default-src 'self'")
	require.Contains(t, csp, "frame-ancestors 'none'")
	require.NotContains(t, csp, "unsafe-inline")
	require.NotContains(t, csp, "unsafe-eval")
	require.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"))
	require.Contains(t, []string{"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"},
		r.Header.Get("Referrer-Policy"))
	if authenticated {
		require.Contains(t, r.Header.Get("Cache-Control"), "no-store")
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	f := newSecFixture(t, webtest.Options{})
	for _, route := range getRoutes {
		t.Run(route, func(t *testing.T) {
			r := f.ownerASess.Get(f.path(route))
			requireSecurityHeaders(t, r, true)
			if r.Status != http.StatusNotImplemented {
				require.Equal(t, http.StatusOK, r.Status, "%.300s", r.Body)
			}
		})
	}
	t.Run("errors and redirects", func(t *testing.T) {
		requireSecurityHeaders(t, f.ownerASess.Get("/admin/reservations/RES000101ABCDEF"), true)
		requireSecurityHeaders(t, f.staffASess.Get("/admin/users"), true)
		requireSecurityHeaders(t, f.ownerBSess.Get(f.path("/admin/reservations/:code")), true)
		requireSecurityHeaders(t, f.s.NewSession(t).Get("/admin/"), false)
		requireSecurityHeaders(t, f.s.NewSession(t).Get("/login"), false)
	})
	t.Run("htmx fragments", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodGet, f.s.URL+"/admin/account", nil)
		require.NoError(t, err)
		req.Header.Set("HX-Request", "true")
		requireSecurityHeaders(t, f.ownerASess.Do(req), true)
	})
	t.Run("media files do not leave the upload folder", func(t *testing.T) {
		for _, p := range []string{"/media/..%2f..%2f..%2fetc%2fpasswd", "/media/..%5c..%5cetc%5cpasswd", "/media/%2e%2e"} {
			r := f.s.NewSession(t).Get(p)
			require.Contains(t, []int{400, 404}, r.Status, p)
			require.NotContains(t, string(r.Body), "root:")
		}
	})
}

// cookies parses the Set-Cookie headers of an answer by name.
func cookies(r *http.Response) map[string]*http.Cookie {
	out := map[string]*http.Cookie{}
	for _, c := range r.Cookies() {
		out[c.Name] = c
	}
	return out
}

func requireCookie(t *testing.T, c *http.Cookie, secure bool) {
	t.Helper()
	require.NotNil(t, c)
	require.True(t, c.HttpOnly, "%s HttpOnly", c.Name)
	require.Equal(t, http.SameSiteLaxMode, c.SameSite, "%s SameSite=Lax", c.Name)
	require.Equal(t, secure, c.Secure, "%s Secure", c.Name)
	require.Empty(t, c.Domain, "%s host-only", c.Name)
}

func TestSecurityCookies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		baseURL string
		secure  bool
	}{{"", false}, {"https://reservas.example.com", true}} {
		t.Run("BASE_URL="+tc.baseURL, func(t *testing.T) {
			t.Parallel()
			s := webtest.Start(t, webtest.Options{BaseURL: tc.baseURL})
			email, _ := s.User(t, "owner")
			// By hand: a cookie jar would not send Secure cookies over plain HTTP.
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			do := func(method, path string, form url.Values, jar map[string]*http.Cookie) *http.Response {
				req, err := http.NewRequest(method, s.URL+path, strings.NewReader(form.Encode()))
				require.NoError(t, err)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				for _, c := range jar {
					req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
				}
				resp, err := client.Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				return resp
			}
			resp := do(http.MethodGet, "/login", nil, nil)
			jar := cookies(resp)
			requireCookie(t, jar["aloj_csrf"], tc.secure)
			token := jar["aloj_csrf"].Value

			resp = do(http.MethodPost, "/login", url.Values{"_csrf": {token}, "email": {email}, "password": {pw}}, jar)
			require.Equal(t, http.StatusSeeOther, resp.StatusCode)
			got := cookies(resp)
			requireCookie(t, got[auth.SessionCookie], tc.secure)
			require.Equal(t, "/", got[auth.SessionCookie].Path)
			jar[auth.SessionCookie] = got[auth.SessionCookie]

			resp = do(http.MethodPost, "/admin/account/password", url.Values{"_csrf": {token}, "current": {pw},
				"new": {"una-clave-nueva"}, "repeat": {"una-clave-nueva"}}, jar)
			require.Equal(t, http.StatusSeeOther, resp.StatusCode)
			got = cookies(resp)
			requireCookie(t, got[auth.SessionCookie], tc.secure)
			requireCookie(t, got["aloj_flash"], tc.secure)
		})
	}
}
