package web_test

// The IDOR suite, generated from the route table: every route the server
// declares under /admin/ (and every /api/ route that takes an id or a code)
// is requested with its path parameters filled with objects of ANOTHER
// account. A route this file cannot classify, or a parameter it cannot fill,
// fails the suite with a message saying what to add: a new route cannot
// escape the authorization check.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/auth"
	"alojamientos/internal/platform"
	"alojamientos/web"
	"alojamientos/web/webtest"
)

// idorRoute says how the suite treats one dashboard route.
type idorRoute struct {
	// owner: the route carries `owner` in routes.go (staff get 403).
	owner bool
	// form is a valid-looking body for a POST (nil: secFixture.form), so
	// that only the authorization check can refuse it.
	form func(f *secFixture) url.Values
	// self: the route acts on the signed-in user only (their own password).
	self bool
}

// idorAdminRoutes classifies every dashboard route, "METHOD path" exactly as
// in routes.go. A route missing here fails TestSecurityIDORRouteTable: add it
// with owner set as in routes.go (and a form for a POST whose handler reads fields).
var idorAdminRoutes = map[string]idorRoute{
	"GET /admin/":                                        {},
	"GET /admin/calendar":                                {},
	"GET /admin/properties/:id/calendar":                 {},
	"POST /admin/blocks":                                 {},
	"POST /admin/blocks/:id/delete":                      {},
	"GET /admin/reservations":                            {},
	"GET /admin/reservations.csv":                        {},
	"GET /admin/reservations/new":                        {},
	"POST /admin/reservations":                           {},
	"GET /admin/reservations/:code":                      {},
	"POST /admin/reservations/:code/confirm":             {},
	"POST /admin/reservations/:code/cancel":              {},
	"POST /admin/reservations/:code/check-in":            {},
	"POST /admin/reservations/:code/complete":            {},
	"POST /admin/reservations/:code/no-show":             {},
	"POST /admin/reservations/:code/guest":               {},
	"POST /admin/reservations/:code/dates":               {},
	"POST /admin/reservations/:code/payments":            {},
	"POST /admin/reservations/:code/payments/:id/refund": {owner: true},
	"POST /admin/reservations/:code/balance-link":        {},
	"POST /admin/reservations/:code/deposito/recibido": {form: func(*secFixture) url.Values {
		return url.Values{"deposit_amount": {"50.000"}, "deposit_method": {"cash"}}
	}},
	"POST /admin/reservations/:code/deposito/devolucion": {owner: true, form: func(*secFixture) url.Values {
		return url.Values{"deducted": {"0"}}
	}},
	"GET /admin/reservations/:code/comprobantes/:rid": {},
	"POST /admin/reservations/:code/comprobantes/:rid/confirmar": {form: func(*secFixture) url.Values {
		return url.Values{"amount": {"1,00"}}
	}},
	"POST /admin/reservations/:code/comprobantes/:rid/rechazar": {form: func(*secFixture) url.Values {
		return url.Values{"reason": {"No llegó la plata"}}
	}},
	// The owner's cancellation (issue 13): the refund preview and the one-click settle.
	"GET /admin/reservations/:code/cancel/preview":            {},
	"POST /admin/reservations/:code/devoluciones/:rid/saldar": {owner: true},

	"GET /admin/settings/mercadopago":       {owner: true},
	"POST /admin/settings/mercadopago/test": {owner: true},
	"GET /admin/settings/whatsapp":          {owner: true},
	"POST /admin/settings/whatsapp": {owner: true, form: func(*secFixture) url.Values {
		return url.Values{"enabled": {"on"}, "phone_number_id": {"123456789012345"}, "language": {"es_AR"}}
	}},
	"POST /admin/settings/whatsapp/prueba": {owner: true},
	"GET /admin/tipo-de-cambio":            {owner: true},
	"POST /admin/tipo-de-cambio": {owner: true, form: func(*secFixture) url.Values {
		return url.Values{"currency": {"USD"}, "rate": {"1185,50"}}
	}},
	"POST /admin/tipo-de-cambio/ajustes": {owner: true, form: func(*secFixture) url.Values {
		return url.Values{"currency": {"USD"}, "mode": {"manual"}, "kind": {"oficial"}, "markup": {"0"}}
	}},
	"GET /admin/properties":                          {},
	"GET /admin/properties/new":                      {owner: true},
	"POST /admin/properties":                         {owner: true},
	"GET /admin/properties/:id/edit":                 {owner: true},
	"POST /admin/properties/:id":                     {owner: true},
	"POST /admin/properties/:id/active":              {owner: true},
	"GET /admin/properties/:id/preview":              {owner: true},
	"POST /admin/properties/:id/photos":              {owner: true},
	"POST /admin/properties/:id/photos/delete":       {owner: true},
	"POST /admin/properties/:id/seasons":             {owner: true},
	"POST /admin/properties/:id/seasons/:sid":        {owner: true},
	"POST /admin/properties/:id/seasons/:sid/delete": {owner: true},
	"GET /admin/properties/:id/cobros":               {owner: true},
	"POST /admin/properties/:id/cobros": {owner: true, form: func(*secFixture) url.Values {
		return url.Values{"pay_transfer": {"true"}, "transfer_alias": {"otra.cuenta"}, "transfer_holder": {"Otro"},
			"mp_surcharge": {"0"}, "receipt_hold_hours": {"12"}}
	}},
	"GET /admin/properties/:id/cancelacion": {owner: true},
	"POST /admin/properties/:id/cancelacion": {owner: true, form: func(*secFixture) url.Values {
		return url.Values{"preset": {"estricta"}}
	}},
	"POST /admin/properties/:id/cancelacion/vista": {owner: true, form: func(*secFixture) url.Values {
		return url.Values{"preset": {"estricta"}, "changed": {"preset"}}
	}},
	"GET /admin/properties/:id/feeds": {},
	"POST /admin/properties/:id/feeds": {owner: true, form: func(*secFixture) url.Values {
		return url.Values{"channel": {"booking"}, "url": {"https://example.invalid/otro.ics"}, "interval": {"15"}}
	}},
	"POST /admin/properties/:id/feeds/rotate":          {owner: true},
	"POST /admin/properties/:id/feeds/:fid/sync":       {},
	"POST /admin/properties/:id/feeds/:fid/delete":     {owner: true},
	"POST /admin/properties/:id/feeds/orphans/release": {owner: true},
	"GET /admin/reports":                               {},
	"GET /admin/whatsapp":                              {},
	"GET /admin/whatsapp/:id":                          {},
	"GET /admin/whatsapp/:id/mensajes":                 {},
	"POST /admin/whatsapp/:id/responder": {form: func(*secFixture) url.Values {
		return url.Values{"text": {"Hola, te escribe la dueña"}, "token": {"idor-reply-token"}}
	}},
	"POST /admin/whatsapp/:id/plantilla": {form: func(*secFixture) url.Values {
		return url.Values{"event": {"follow_up"}, "token": {"idor-template-token"}}
	}},
	"POST /admin/whatsapp/:id/modo": {form: func(*secFixture) url.Values { return url.Values{"mode": {"owner"}} }},
	"GET /admin/users":              {owner: true},
	"POST /admin/users":             {owner: true},
	"POST /admin/users/:id/role":    {owner: true},
	"POST /admin/users/:id/delete":  {owner: true},
	"GET /admin/account":            {},
	"POST /admin/account/password":  {self: true},
}

// idorParams fills a path parameter with the victim account's object. The
// key is the path segment before the parameter and the parameter: the same
// name (:id) means a property after /properties/ and a user after /users/.
// An unknown key fails the suite: add a factory here (and the object to
// secFixture or idorVictim).
var idorParams = map[string]func(v *idorVictim) string{
	"properties/:id":     func(v *idorVictim) string { return strconv.FormatInt(v.f.propA.ID, 10) },
	"blocks/:id":         func(v *idorVictim) string { return strconv.FormatInt(v.f.blockA, 10) },
	"reservations/:code": func(v *idorVictim) string { return v.f.resA.Code },
	"payments/:id":       func(v *idorVictim) string { return strconv.FormatInt(v.f.paymentA, 10) },
	"comprobantes/:rid":  func(v *idorVictim) string { return strconv.FormatInt(v.f.receiptA, 10) },
	"devoluciones/:rid":  func(v *idorVictim) string { return strconv.FormatInt(v.f.refundA, 10) },
	"seasons/:sid":       func(v *idorVictim) string { return strconv.FormatInt(v.f.seasonA, 10) },
	"feeds/:fid":         func(v *idorVictim) string { return strconv.FormatInt(v.f.feedA, 10) },
	"users/:id":          func(v *idorVictim) string { return strconv.FormatInt(v.f.staffAID, 10) },
	"whatsapp/:id":       func(v *idorVictim) string { return strconv.FormatInt(v.conversation, 10) },
}

// idorAPIRoutes are the public API routes taking an id or a code, and the
// answer another account's object gets without its secret: the API has no
// account of its own (properties are public while active; a reservation
// needs its guest token), so the checks are "inactive is not found" and "no
// token is not found".
var idorAPIRoutes = map[string]string{
	"GET /api/v1/properties/:id/availability": "inactive property",
	"GET /api/v1/properties/:id/quote":        "inactive property",
	"GET /api/v1/reservations/:code":          "no guest token",
	"POST /api/v1/reservations/:code/cancel":  "no guest token, JSON",
}

// idorVictim is account A of secFixture (the victim: every kind of object,
// each free-text field carrying a marker) plus a WhatsApp conversation; the
// attacker is account B's owner and a staff member of B.
type idorVictim struct {
	f            *secFixture
	conversation int64
	staffB       *webtest.Session
}

var routeParamRe = regexp.MustCompile(`([^/]*)/:([a-z_]+)`)

// fill replaces every parameter of route with the victim's objects, or
// reports the parameters it does not know.
func (v *idorVictim) fill(route string) (string, []string) {
	var unknown []string
	out := routeParamRe.ReplaceAllStringFunc(route, func(m string) string {
		sub := routeParamRe.FindStringSubmatch(m)
		key := sub[1] + "/:" + sub[2]
		factory, ok := idorParams[key]
		if !ok {
			unknown = append(unknown, key)
			return m
		}
		return sub[1] + "/" + factory(v)
	})
	return out, unknown
}

func (v *idorVictim) form(c string, route string) url.Values {
	if r := idorAdminRoutes[c]; r.form != nil {
		return r.form(v.f)
	}
	return v.f.form(route)
}

type routeKey struct{ method, path string }

// serverRoutes are the routes the real server declares, from echo's table.
func serverRoutes(t *testing.T) []routeKey {
	t.Helper()
	srv := web.New(web.Deps{Metrics: platform.NewMetrics(), Log: webtest.Logger(t)})
	var out []routeKey
	seen := map[routeKey]bool{}
	for _, r := range srv.Handler().Routes() {
		k := routeKey{r.Method, r.Path}
		// HEAD mirrors a GET; echo_route_not_found is the group's own 404.
		if seen[k] || r.Method == http.MethodHead || r.Method == "echo_route_not_found" {
			continue
		}
		seen[k] = true
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path+out[i].method < out[j].path+out[j].method })
	return out
}

// TestSecurityIDORRouteTable fails when the server declares a dashboard
// route, or an API route with a parameter, this suite does not know, or a
// parameter it cannot fill. It runs without a database, so it fails fast.
func TestSecurityIDORRouteTable(t *testing.T) {
	t.Parallel()
	v := &idorVictim{f: &secFixture{}}
	admin := 0
	for _, r := range serverRoutes(t) {
		c := r.method + " " + r.path
		switch {
		case strings.HasPrefix(r.path, "/admin"):
			admin++
			if _, ok := idorAdminRoutes[c]; !ok {
				t.Errorf("%s is not in idorAdminRoutes (web/security_idor_test.go): add it, with owner: true if routes.go "+
					"gives it the owner middleware, so the IDOR suite checks its authorization", c)
			}
		case strings.HasPrefix(r.path, "/api/") && strings.Contains(r.path, ":"):
			if _, ok := idorAPIRoutes[c]; !ok {
				t.Errorf("%s takes an id or a code and is not in idorAPIRoutes (web/security_idor_test.go): add it", c)
			}
		default:
			continue
		}
		if _, unknown := v.fill(r.path); len(unknown) > 0 {
			t.Errorf("%s: no factory for path parameter(s) %v in idorParams (web/security_idor_test.go): add one that "+
				"returns an object of the victim account", c, unknown)
		}
	}
	require.Positive(t, admin)
	t.Logf("IDOR route table: %d dashboard routes classified", admin)
}

// idorState fingerprints every table an admin request could change, beyond
// dbState: feeds, export tokens, WhatsApp, audit log and queued jobs.
func idorState(t *testing.T, s *webtest.Server) map[string]string {
	t.Helper()
	out := dbState(t, s)
	for name, q := range map[string]string{
		"channel_feeds":          "SELECT id, account_id, property_id, channel, url, interval_minutes FROM channel_feeds",
		"property_export_tokens": "SELECT * FROM property_export_tokens",
		"wa_conversations":       "SELECT id, account_id, wa_id, profile_name, mode, handoff_at, unread FROM wa_conversations",
		"wa_messages":            "SELECT * FROM wa_messages",
		"whatsapp_settings":      "SELECT * FROM whatsapp_settings",
		"audit_log":              "SELECT * FROM audit_log",
		"river_job":              "SELECT id, kind, args FROM river_job",
		"payment_links":          "SELECT * FROM payment_links",
		"receipts":               "SELECT id, status, payment_id, reject_reason, reviewed_at FROM receipts",
		"refunds":                "SELECT id, status, settled_by, settled_at FROM refunds",
	} {
		var v string
		require.NoError(t, s.Pool.QueryRow(context.Background(),
			"SELECT coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '') FROM ("+q+") x").Scan(&v))
		out[name] = v
	}
	return out
}

func TestSecurityIDORAllAdminRoutes(t *testing.T) {
	t.Parallel()
	f := newSecFixture(t, webtest.Options{})
	s, ctx := f.s, context.Background()
	v := &idorVictim{f: f}
	// A conversation of the victim, with one inbound message carrying a marker.
	require.NoError(t, s.Pool.QueryRow(ctx, `INSERT INTO wa_conversations (account_id, wa_id, profile_name, unread,
		last_inbound_at, last_preview) VALUES ($1, '5491155551234', $2, 1, now(), $2) RETURNING id`,
		s.Account.ID, markGuest).Scan(&v.conversation))
	_, err := s.Pool.Exec(ctx, `INSERT INTO wa_messages (account_id, conversation_id, direction, wamid, kind, body, status)
		VALUES ($1, $2, 'in', 'wamid.idor-1', 'text', $3, 'received')`, s.Account.ID, v.conversation, markNote)
	require.NoError(t, err)
	staffB, err := auth.CreateUser(ctx, s.Pool, auth.NewUser{AccountID: f.accountB,
		Email: fmt.Sprintf("staff-b-%d@example.com", time.Now().UnixNano()), Name: "Staff Beta", Password: pw, Role: "staff"})
	require.NoError(t, err)
	v.staffB = s.Login(t, staffB.Email, pw)
	attacker := f.ownerBSess
	secrets := []string{markProperty, markGuest, markNote, markBlock, markSeason, markStaff, f.resA.Code}

	var admin, withParams, writes int
	for _, r := range serverRoutes(t) {
		if !strings.HasPrefix(r.path, "/admin") {
			continue
		}
		c := r.method + " " + r.path
		cls, ok := idorAdminRoutes[c]
		require.True(t, ok, "%s is not classified: see TestSecurityIDORRouteTable", c)
		path, unknown := v.fill(r.path)
		require.Empty(t, unknown, "%s: add the parameters to idorParams", c)
		admin++
		if r.method != http.MethodGet {
			writes++
		}
		t.Run(c, func(t *testing.T) {
			do := func(se *webtest.Session, token string) webtest.Response {
				if r.method == http.MethodGet {
					return se.Get(path)
				}
				form := v.form(c, r.path)
				if token != "" {
					form = with(form, "_csrf", token)
				}
				return send(t, s, se, r.method, path, request{form: form, multipart: strings.HasSuffix(r.path, "/photos")})
			}
			before := idorState(t, s)

			// Nobody signed in: to the login page, whatever the route.
			requireToLogin(t, do(s.NewSession(t), ""), c+" without a session")

			if strings.Contains(r.path, ":") {
				withParams++
				// The other account's owner, with a valid CSRF token: not found, nothing revealed.
				resp := do(attacker, attacker.CSRF())
				require.Equal(t, http.StatusNotFound, resp.Status, "%s as another account's owner: %.300s", path, resp.Body)
				for _, m := range secrets {
					require.NotContains(t, string(resp.Body), m)
				}
			}
			// The other account's staff: 403 on owner-only routes, 404 on the
			// victim's objects elsewhere.
			if cls.owner || strings.Contains(r.path, ":") {
				resp := do(v.staffB, v.staffB.CSRF())
				if cls.owner {
					require.Equal(t, http.StatusForbidden, resp.Status, "%s as staff of another account: %.300s", path, resp.Body)
				} else {
					require.Equal(t, http.StatusNotFound, resp.Status, "%s as staff of another account: %.300s", path, resp.Body)
				}
				for _, m := range secrets {
					require.NotContains(t, string(resp.Body), m)
				}
			} else if r.method != http.MethodGet && !cls.self {
				// No object in the path: the victim's ids in the form (property_id…)
				// are not found or invalid, never acted upon.
				resp := do(attacker, attacker.CSRF())
				require.Contains(t, []int{http.StatusNotFound, http.StatusUnprocessableEntity}, resp.Status,
					"%s with the other account's ids in the form: %.300s", c, resp.Body)
			}
			// CSRF, on every write: the victim's own owner on their own objects
			// (a request that would otherwise go through) is refused without
			// the session's token or from another site.
			if r.method != http.MethodGet {
				owner, form := f.ownerASess, v.form(c, r.path)
				evil := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
				for name, rq := range map[string]request{
					"no token":                  {form: form},
					"another session's token":   {form: with(form, "_csrf", attacker.CSRF())},
					"a made-up token":           {form: with(form, "_csrf", strings.Repeat("z", 32))},
					"cross-site with its token": {form: with(form, "_csrf", owner.CSRF()), header: evil},
					"same-site, no token": {form: form, header: map[string]string{"Sec-Fetch-Site": "same-site",
						"Origin": "https://evil." + strings.TrimPrefix(s.URL, "http://")}},
				} {
					rq.multipart = strings.HasSuffix(r.path, "/photos")
					resp := send(t, s, owner, r.method, path, rq)
					require.Equal(t, http.StatusForbidden, resp.Status, "%s, %s: %.300s", c, name, resp.Body)
				}
			}
			if !cls.self {
				require.Equal(t, before, idorState(t, s), "%s: a refused request changes nothing", c)
			}
		})
	}

	// The control: the victim's own owner reaches every page with the same
	// path (so the 404s above are the account scope, not a missing object).
	t.Run("control: the victim's owner sees the same pages", func(t *testing.T) {
		for _, r := range serverRoutes(t) {
			if r.method != http.MethodGet || !strings.HasPrefix(r.path, "/admin") {
				continue
			}
			path, _ := v.fill(r.path)
			resp := f.ownerASess.Get(path)
			// 303: a fragment asked without htmx sends to its page.
			require.Contains(t, []int{http.StatusOK, http.StatusSeeOther}, resp.Status, "%s: %.300s", path, resp.Body)
			require.NotContains(t, resp.Header.Get("Location"), "/login", path)
		}
	})
	fmt.Printf("IDOR suite: %d/%d dashboard routes covered (%d with object parameters, %d writes)\n",
		admin, admin, withParams, writes)
}

// The API has no accounts: properties are public while active and a
// reservation needs its guest token. Another account's inactive property
// and a code without its token are the same 404 as an unknown id.
func TestSecurityIDORAPIRoutes(t *testing.T) {
	t.Parallel()
	f := newSecFixture(t, webtest.Options{})
	s, ctx := f.s, context.Background()
	_, err := s.Pool.Exec(ctx, "UPDATE properties SET active = false WHERE id = $1", f.propA2.ID)
	require.NoError(t, err)
	today := s.Today()
	q := fmt.Sprintf("?from=%s&to=%s&check_in=%s&check_out=%s&guests=2", today.AddDate(0, 0, 10).Format(time.DateOnly),
		today.AddDate(0, 0, 12).Format(time.DateOnly), today.AddDate(0, 0, 10).Format(time.DateOnly),
		today.AddDate(0, 0, 12).Format(time.DateOnly))
	for _, r := range serverRoutes(t) {
		c := r.method + " " + r.path
		kind, ok := idorAPIRoutes[c]
		if !ok {
			continue
		}
		t.Run(c, func(t *testing.T) {
			switch kind {
			case "inactive property":
				inactive := strings.Replace(r.path, ":id", strconv.FormatInt(f.propA2.ID, 10), 1) + q
				active := strings.Replace(r.path, ":id", strconv.FormatInt(f.propB.ID, 10), 1) + q
				// Polls: the property cache hears the change a moment after the commit.
				require.Eventually(t, func() bool {
					return s.Do(t, r.method, inactive, nil, nil).Status == http.StatusNotFound
				}, 10*time.Second, 50*time.Millisecond, inactive)
				got := s.Do(t, r.method, active, nil, nil)
				require.NotEqual(t, http.StatusNotFound, got.Status, "control: an active property is public: %s", got.Body)
			case "no guest token":
				base := strings.Replace(r.path, ":code", f.resA.Code, 1)
				for _, p := range []string{base, base + "?t=", base + "?t=" + f.resB.GuestToken, base + "?t=" + strings.Repeat("a", 32)} {
					got := s.Do(t, r.method, p, nil, nil)
					require.Equal(t, http.StatusNotFound, got.Status, p)
					require.NotContains(t, string(got.Body), markGuest)
				}
				require.Equal(t, http.StatusOK, s.Do(t, r.method, base+"?t="+f.resA.GuestToken, nil, nil).Status, "control")
			case "no guest token, JSON":
				// A write with the guest token: a preview ({"confirm": false}) changes nothing.
				base := strings.Replace(r.path, ":code", f.resA.Code, 1)
				before := idorState(t, s)
				for _, p := range []string{base, base + "?t=", base + "?t=" + f.resB.GuestToken, base + "?t=" + strings.Repeat("a", 32)} {
					for _, body := range []string{`{"confirm":false}`, `{"confirm":true,"expected_refund":"0.00"}`} {
						got := s.Do(t, r.method, p, body, nil)
						require.Equal(t, http.StatusNotFound, got.Status, p)
						require.NotContains(t, string(got.Body), markGuest)
					}
				}
				require.Equal(t, before, idorState(t, s), "a refused request changes nothing")
				got := s.Do(t, r.method, base+"?t="+f.resA.GuestToken, `{"confirm":false}`, nil)
				require.Equal(t, http.StatusOK, got.Status, "control: %s", got.Body)
			default:
				t.Fatalf("unknown kind %q", kind)
			}
		})
	}
}
