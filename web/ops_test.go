package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// opsBuffer is a bytes.Buffer safe for the server's goroutines and the test's.
type opsBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *opsBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *opsBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// opsLogLines decodes every JSON log line written so far.
func opsLogLines(t *testing.T, b *opsBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(b.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), "log line is not JSON: %s", line)
		out = append(out, m)
	}
	return out
}

type opsHealth struct {
	Status    string                    `json:"status"`
	Timestamp string                    `json:"timestamp"`
	Checks    map[string]map[string]any `json:"checks"`
}

func opsGetHealth(t *testing.T, s *webtest.Server) (webtest.Response, opsHealth) {
	t.Helper()
	resp := s.Do(t, http.MethodGet, "/healthz", nil, nil)
	var h opsHealth
	resp.JSON(t, &h)
	return resp, h
}

var opsHealthChecks = []string{"database", "redis", "disk", "memory", "ical", "whatsapp", "mercadopago", "runtime"}

func TestOpsHealthzInProcess(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	resp, h := opsGetHealth(t, s)
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
	require.Contains(t, resp.Header.Get("Content-Type"), "application/json")
	require.Equal(t, "ok", h.Status)
	require.NotEmpty(t, h.Timestamp)
	for _, k := range opsHealthChecks {
		require.Contains(t, h.Checks, k, "check %q missing", k)
		require.NotEmpty(t, h.Checks[k]["status"], "check %q has no status", k)
	}
	require.Equal(t, "ok", h.Checks["database"]["status"])
	require.Equal(t, "disabled", h.Checks["redis"]["status"])
	require.Equal(t, "ok", h.Checks["runtime"]["status"])

	ready := s.Do(t, http.MethodGet, "/readyz", nil, nil)
	require.Equal(t, http.StatusOK, ready.Status)
	require.Equal(t, "ready", strings.TrimSpace(string(ready.Body)))
}

func TestOpsHealthzRedis(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{Redis: true})
	resp, h := opsGetHealth(t, s)
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
	require.Equal(t, "ok", h.Checks["redis"]["status"])
	require.Equal(t, "ok", h.Checks["database"]["status"])
	require.Equal(t, "ok", h.Status, string(resp.Body))
}

func TestOpsHealthzRedisDown(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{Redis: true, RedisURL: "redis://127.0.0.1:1/0"})
	resp, h := opsGetHealth(t, s)
	require.Equal(t, http.StatusOK, resp.Status, "a dead Redis only degrades the service")
	require.Equal(t, "degraded", h.Status)
	require.Equal(t, "unhealthy", h.Checks["redis"]["status"])
	require.Equal(t, "ok", h.Checks["database"]["status"])
	for _, k := range opsHealthChecks {
		require.Contains(t, h.Checks, k)
	}
	ready := s.Do(t, http.MethodGet, "/readyz", nil, nil)
	require.Equal(t, http.StatusOK, ready.Status, "Redis is not needed to take traffic")
}

func TestOpsHealthzDatabaseDown(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	s := webtest.Start(t, webtest.Options{Pool: pool})
	resp, h := opsGetHealth(t, s)
	require.Equal(t, http.StatusOK, resp.Status)
	pool.Close()

	resp, h = opsGetHealth(t, s)
	require.Equal(t, http.StatusServiceUnavailable, resp.Status, string(resp.Body))
	require.Equal(t, "unhealthy", h.Status)
	require.Equal(t, "unhealthy", h.Checks["database"]["status"])
	for _, k := range opsHealthChecks {
		require.Contains(t, h.Checks, k)
	}
	ready := s.Do(t, http.MethodGet, "/readyz", nil, nil)
	require.Equal(t, http.StatusServiceUnavailable, ready.Status)
}

// opsMetricLines returns the exposition lines (no comments).
func opsMetricLines(t *testing.T, s *webtest.Server) []string {
	t.Helper()
	resp := s.Do(t, http.MethodGet, "/metrics", nil, nil)
	require.Equal(t, http.StatusOK, resp.Status)
	var out []string
	for _, l := range strings.Split(string(resp.Body), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func opsHasMetric(lines []string, name string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, name+" ") || strings.HasPrefix(l, name+"{") {
			return true
		}
	}
	return false
}

func TestOpsMetrics(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	ci, co := s.Today().AddDate(0, 0, 5), s.Today().AddDate(0, 0, 8)
	s.Hold(t, p.ID, ci, co)
	_, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{
		PropertyID: p.ID, CheckIn: booking.FormatDate(ci), CheckOut: booking.FormatDate(co), Guests: 2,
		GuestName: "Segunda Huésped", GuestPhone: "+5491166667777", Channel: "direct", Actor: "test",
	})
	require.ErrorIs(t, err, booking.ErrDateOverlap)
	require.Equal(t, http.StatusOK, s.Do(t, http.MethodGet, "/healthz", nil, nil).Status)
	require.Equal(t, http.StatusNotFound, s.Do(t, http.MethodGet, "/no/such/page-12345", nil, nil).Status)

	lines := opsMetricLines(t, s)
	for _, name := range []string{"reservations_created_total", "reservations_date_overlap_total",
		"reservations_confirmed_total", "reservations_expired_total", "http_requests_total",
		"http_request_duration_seconds_bucket", "http_request_duration_seconds_count"} {
		require.True(t, opsHasMetric(lines, name), "metric %s missing from /metrics", name)
	}
	require.Contains(t, lines, `reservations_created_total{channel="direct"} 1`)
	require.Contains(t, lines, `reservations_date_overlap_total{channel="direct"} 1`)
	require.Contains(t, lines, `reservations_confirmed_total 0`)
	require.Contains(t, lines, `reservations_expired_total 0`)
	require.Contains(t, lines, `http_requests_total{method="GET",route="/healthz",status="200"} 1`)
	require.Contains(t, lines, `http_request_duration_seconds_count{method="GET",route="/healthz"} 1`)
	for _, l := range lines {
		require.NotContains(t, l, "page-12345", "unmatched paths must not become label values")
	}

	// webhook_events_total counts from the 0 it starts at.
	s.Metrics.WebhookEvents.WithLabelValues("mercadopago", "processed").Inc()
	lines = opsMetricLines(t, s)
	require.Contains(t, lines, `webhook_events_total{provider="mercadopago",result="processed"} 1`)

	// An expiry shows on /metrics (internal/booking counts it exactly once,
	// TestExpireHoldConcurrent).
	s.Clock.Advance(31 * time.Minute)
	codes, err := s.Booking.ExpireDue(context.Background())
	require.NoError(t, err)
	require.Len(t, codes, 1)
	require.Contains(t, opsMetricLines(t, s), `reservations_expired_total 1`)
}

// On a fresh server every counter whose labels are known is listed at 0,
// as Prometheus' instrumentation guidelines ask: rate() and the alerts see
// the series from the first scrape, not only after the first event.
func TestOpsMetricsStartAtZero(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	lines := opsMetricLines(t, s)
	require.GreaterOrEqual(t, len(booking.Channels), 9)
	for ch := range booking.Channels {
		require.Contains(t, lines, `reservations_created_total{channel="`+ch+`"} 0`)
		require.Contains(t, lines, `reservations_date_overlap_total{channel="`+ch+`"} 0`)
	}
	for _, want := range []string{
		`webhook_events_total{provider="mercadopago",result="accepted"} 0`,
		`webhook_events_total{provider="mercadopago",result="bad_signature"} 0`,
		`webhook_events_total{provider="mercadopago",result="replay"} 0`,
		`webhook_events_total{provider="mercadopago",result="legacy_refetch"} 0`,
		`webhook_events_total{provider="whatsapp",result="accepted"} 0`,
		`webhook_events_total{provider="whatsapp",result="bad_signature"} 0`,
		`webhook_events_total{provider="whatsapp",result="message"} 0`,
		`webhook_events_total{provider="whatsapp",result="sent"} 0`,
		`rate_limited_total{scope="api"} 0`,
		`rate_limited_total{scope="login"} 0`,
		`rate_limited_total{scope="pages"} 0`,
		`reservations_confirmed_total 0`,
		`reservations_expired_total 0`,
		`ical_sync_errors_total 0`,
	} {
		require.Contains(t, lines, want)
	}
}

// With METRICS_TOKEN set, /metrics answers only a bearer of that token.
func TestOpsMetricsToken(t *testing.T) {
	t.Parallel()
	const token = "metrics-token-de-prueba-0123456789"
	s := webtest.Start(t, webtest.Options{MetricsToken: token})
	for name, auth := range map[string]string{"none": "", "wrong": "Bearer otro-token", "prefix": "Bearer " + token[:10],
		"longer": "Bearer " + token + "x", "basic": "Basic " + token, "bare": token} {
		header := map[string]string{}
		if auth != "" {
			header["Authorization"] = auth
		}
		r := s.Do(t, http.MethodGet, "/metrics", nil, header)
		require.Equal(t, http.StatusUnauthorized, r.Status, name)
		require.Equal(t, "Bearer", r.Header.Get("WWW-Authenticate"), name)
		require.NotContains(t, string(r.Body), "reservations_created_total", name)
	}
	r := s.Do(t, http.MethodGet, "/metrics", nil, map[string]string{"Authorization": "Bearer " + token})
	require.Equal(t, http.StatusOK, r.Status)
	require.Contains(t, string(r.Body), `reservations_created_total{channel="direct"} 0`)
	r = s.Do(t, http.MethodGet, "/metrics", nil, map[string]string{"Authorization": "bearer " + token})
	require.Equal(t, http.StatusOK, r.Status, "the scheme is case-insensitive (RFC 9110)")
}

var opsHex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestOpsTraceIDs(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})

	resp := s.Do(t, http.MethodGet, "/healthz", nil, map[string]string{"X-Request-ID": "abc-123"})
	require.Equal(t, "abc-123", resp.Header.Get("X-Request-ID"))

	resp = s.Do(t, http.MethodGet, "/healthz", nil,
		map[string]string{"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
	require.Equal(t, "4bf92f3577b34da6a3ce929d0e0e4736", resp.Header.Get("X-Request-ID"))

	a := s.Do(t, http.MethodGet, "/healthz", nil, nil).Header.Get("X-Request-ID")
	b := s.Do(t, http.MethodGet, "/api/v1/properties", nil, nil).Header.Get("X-Request-ID")
	require.Regexp(t, opsHex32, a)
	require.Regexp(t, opsHex32, b)
	require.NotEqual(t, a, b)

	// A caller's id that could forge log content is replaced, not echoed.
	resp = s.Do(t, http.MethodGet, "/healthz", nil, map[string]string{"X-Request-ID": `x" y<script>`})
	require.Regexp(t, opsHex32, resp.Header.Get("X-Request-ID"))
}

func TestOpsRefusedRequestLogsTraceID(t *testing.T) {
	t.Parallel()
	var buf opsBuffer
	s := webtest.Start(t, webtest.Options{LogWriter: &buf})
	p := s.Property(t)
	resp := s.Do(t, http.MethodPost, "/api/v1/reservations/pre-reserve", map[string]any{
		"property_id": p.ID, "check_in": booking.FormatDate(s.Today().AddDate(0, 0, -3)),
		"check_out": booking.FormatDate(s.Today().AddDate(0, 0, -1)), "guests": 2, "guest_name": "Ana Pérez",
		"guest_phone": "+5491155551234",
	}, nil)
	require.Equal(t, http.StatusUnprocessableEntity, resp.Status, string(resp.Body))
	id := resp.Header.Get("X-Request-ID")
	require.Regexp(t, opsHex32, id)

	found := false
	for _, l := range opsLogLines(t, &buf) {
		if l["trace_id"] == id {
			found = true
			require.EqualValues(t, 422, l["status"], "%v", l)
		}
	}
	require.True(t, found, "no log line with trace_id %s in:\n%s", id, buf.String())
}

func TestOpsLogsMaskPersonalData(t *testing.T) {
	t.Parallel()
	var buf opsBuffer
	s := webtest.Start(t, webtest.Options{LogWriter: &buf})
	p := s.Property(t)
	const phone, email = "+5491155551234", "juan.perez@example.com"
	body := map[string]any{
		"property_id": p.ID, "check_in": booking.FormatDate(s.Today().AddDate(0, 0, -2)),
		"check_out": booking.FormatDate(s.Today().AddDate(0, 0, 2)), "guests": 2, "guest_name": "Juan Pérez",
		"guest_phone": phone, "guest_email": email, "note": "llamar al " + phone + " o escribir a " + email,
	}
	require.Equal(t, http.StatusUnprocessableEntity, s.Do(t, http.MethodPost, "/api/v1/reservations/pre-reserve", body, nil).Status)
	body["check_in"] = booking.FormatDate(s.Today().AddDate(0, 0, 3))
	body["check_out"] = booking.FormatDate(s.Today().AddDate(0, 0, 5))
	require.Equal(t, http.StatusCreated, s.Do(t, http.MethodPost, "/api/v1/reservations/pre-reserve", body, nil).Status)
	require.Equal(t, http.StatusConflict, s.Do(t, http.MethodPost, "/api/v1/reservations/pre-reserve", body, nil).Status)
	// Paths are logged with refusals: these carry the phone and the email themselves.
	require.Equal(t, http.StatusNotFound, s.Do(t, http.MethodGet, "/api/v1/reservations/"+phone, nil, nil).Status)
	require.Equal(t, http.StatusNotFound, s.Do(t, http.MethodGet, "/api/v1/reservations/"+email, nil, nil).Status)

	logs := buf.String()
	require.Contains(t, logs, "/api/v1/reservations/***34", "the refused path was not logged (masked)")
	require.Contains(t, logs, "j***@example.com", "the refused path was not logged (masked)")
	require.NotContains(t, logs, phone)
	require.NotContains(t, logs, strings.TrimPrefix(phone, "+"))
	require.NotContains(t, logs, email)
}

// DESIGN.md: "log/slog JSON, trace id on every line". A request whose
// health check logs a warning must carry that request's trace id.
func TestOpsHealthLogLinesCarryTraceID(t *testing.T) {
	t.Parallel()
	var buf opsBuffer
	s := webtest.Start(t, webtest.Options{Redis: true, RedisURL: "redis://127.0.0.1:1/0", LogWriter: &buf})
	before := len(opsLogLines(t, &buf))
	resp := s.Do(t, http.MethodGet, "/healthz", nil, map[string]string{"X-Request-ID": "health-trace-1"})
	require.Equal(t, http.StatusOK, resp.Status)
	lines := opsLogLines(t, &buf)[before:]
	require.NotEmpty(t, lines, "the unhealthy Redis check logged nothing")
	for _, l := range lines {
		require.Equal(t, "health-trace-1", l["trace_id"], "log line without the request's trace id: %v", l)
	}
}

func TestOpsSecurityHeadersAndErrors(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	for _, path := range []string{"/healthz", "/api/v1/properties", "/no-such-route"} {
		resp := s.Do(t, http.MethodGet, path, nil, nil)
		require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"), path)
		require.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"), path)
		require.NotEmpty(t, resp.Header.Get("Content-Security-Policy"), path)
	}

	resp := s.Do(t, http.MethodGet, "/no-such-route", nil, nil)
	require.Equal(t, http.StatusNotFound, resp.Status)
	require.Contains(t, resp.Header.Get("Content-Type"), "application/json")
	require.JSONEq(t, `{"error":"not_found"}`, string(resp.Body))

	resp = s.Do(t, http.MethodGet, "/no-such-route", nil, map[string]string{"Accept": "text/html,application/xhtml+xml"})
	require.Equal(t, http.StatusNotFound, resp.Status)
	require.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	require.Contains(t, string(resp.Body), `lang="es"`)
	require.Contains(t, string(resp.Body), "No encontramos")

	// An unknown API route stays JSON even for a browser.
	resp = s.Do(t, http.MethodGet, "/api/v1/no-such-route", nil, map[string]string{"Accept": "text/html"})
	require.Equal(t, http.StatusNotFound, resp.Status)
	require.JSONEq(t, `{"error":"not_found"}`, string(resp.Body))
}

func TestOpsHomeAndStatic(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	s.Property(t, func(p *dbq.CreatePropertyParams) { p.Name = "Cabaña del Lago Escondido" })
	s.Property(t, func(p *dbq.CreatePropertyParams) { p.Name = "Depto Dado de Baja"; p.Active = false })

	resp := s.Do(t, http.MethodGet, "/", nil, map[string]string{"Accept": "text/html"})
	require.Equal(t, http.StatusOK, resp.Status)
	require.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	require.Contains(t, string(resp.Body), "Cabaña del Lago Escondido")
	require.NotContains(t, string(resp.Body), "Depto Dado de Baja")

	resp = s.Do(t, http.MethodGet, "/static/css/app.css", nil, nil)
	require.Equal(t, http.StatusOK, resp.Status)
	require.Contains(t, resp.Header.Get("Content-Type"), "text/css")
	require.Contains(t, resp.Header.Get("Cache-Control"), "max-age")
	require.NotEmpty(t, resp.Body)

	resp = s.Do(t, http.MethodGet, "/static/css/no-such.css", nil, nil)
	require.Equal(t, http.StatusNotFound, resp.Status)
}

// opsRequireLimited checks a 429 answer.
func opsRequireLimited(t *testing.T, resp webtest.Response) {
	t.Helper()
	require.Equal(t, http.StatusTooManyRequests, resp.Status, string(resp.Body))
	ra, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.NoError(t, err, "Retry-After %q", resp.Header.Get("Retry-After"))
	require.GreaterOrEqual(t, ra, 1)
	require.LessOrEqual(t, ra, 60)
	var body map[string]any
	resp.JSON(t, &body)
	require.Equal(t, "rate_limited", body["error"])
}

func opsRateLimit(t *testing.T, redis bool) {
	t.Run("limit", func(t *testing.T) {
		t.Parallel()
		s := webtest.Start(t, webtest.Options{RateLimit: 5, Redis: redis})
		for i := 0; i < 5; i++ {
			resp := s.Do(t, http.MethodGet, "/api/v1/properties", nil, nil)
			require.Equal(t, http.StatusOK, resp.Status, "request %d", i+1)
		}
		opsRequireLimited(t, s.Do(t, http.MethodGet, "/api/v1/properties", nil, nil))
	})
	t.Run("untrusted X-Forwarded-For", func(t *testing.T) {
		t.Parallel()
		s := webtest.Start(t, webtest.Options{RateLimit: 5, Redis: redis})
		for i := 0; i < 5; i++ {
			resp := s.Do(t, http.MethodGet, "/api/v1/properties", nil,
				map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i+1)})
			require.Equal(t, http.StatusOK, resp.Status, "request %d", i+1)
		}
		opsRequireLimited(t, s.Do(t, http.MethodGet, "/api/v1/properties", nil,
			map[string]string{"X-Forwarded-For": "198.51.100.99"}))
	})
	t.Run("trusted proxy", func(t *testing.T) {
		t.Parallel()
		s := webtest.Start(t, webtest.Options{RateLimit: 5, Redis: redis, TrustedProxies: "127.0.0.0/8"})
		one := map[string]string{"X-Forwarded-For": "203.0.113.1"}
		for i := 0; i < 5; i++ {
			resp := s.Do(t, http.MethodGet, "/api/v1/properties", nil, one)
			require.Equal(t, http.StatusOK, resp.Status, "request %d", i+1)
		}
		opsRequireLimited(t, s.Do(t, http.MethodGet, "/api/v1/properties", nil, one))
		resp := s.Do(t, http.MethodGet, "/api/v1/properties", nil, map[string]string{"X-Forwarded-For": "203.0.113.2"})
		require.Equal(t, http.StatusOK, resp.Status, "another client behind the proxy has its own bucket")
	})
}

func TestOpsRateLimitInProcess(t *testing.T) {
	t.Parallel()
	opsRateLimit(t, false)
}

func TestOpsRateLimitRedis(t *testing.T) {
	t.Parallel()
	opsRateLimit(t, true)
}

type opsProperty struct {
	ID       int64  `json:"id"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Capacity int    `json:"capacity"`
}

func TestOpsAPIProperties(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	active := s.Property(t)
	inactive := s.Property(t, func(p *dbq.CreatePropertyParams) { p.Active = false })

	resp := s.Do(t, http.MethodGet, "/api/v1/properties", nil, nil)
	require.Equal(t, http.StatusOK, resp.Status)
	require.Contains(t, resp.Header.Get("Content-Type"), "application/json")
	var list []opsProperty
	resp.JSON(t, &list)
	require.Equal(t, []opsProperty{{ID: active.ID, Slug: active.Slug, Name: active.Name, Capacity: 4}}, list)
	for _, p := range list {
		require.NotEqual(t, inactive.ID, p.ID)
	}
}

type opsAvailability struct {
	PropertyID int64  `json:"property_id"`
	From       string `json:"from"`
	To         string `json:"to"`
	Nights     []struct {
		Date      string `json:"date"`
		Available bool   `json:"available"`
	} `json:"nights"`
}

func TestOpsAPIAvailability(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	today := s.Today()
	s.Hold(t, p.ID, today.AddDate(0, 0, 3), today.AddDate(0, 0, 5))
	from, to := today.AddDate(0, 0, 1), today.AddDate(0, 0, 8)
	path := func(id any, from, to string) string {
		return fmt.Sprintf("/api/v1/properties/%v/availability?from=%s&to=%s", id, from, to)
	}

	resp := s.Do(t, http.MethodGet, path(p.ID, booking.FormatDate(from), booking.FormatDate(to)), nil, nil)
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
	var av opsAvailability
	resp.JSON(t, &av)
	require.Equal(t, p.ID, av.PropertyID)
	require.Equal(t, booking.FormatDate(from), av.From)
	require.Equal(t, booking.FormatDate(to), av.To)
	require.Len(t, av.Nights, 7, "to is exclusive")
	for i, n := range av.Nights {
		d := from.AddDate(0, 0, i)
		require.Equal(t, booking.FormatDate(d), n.Date)
		held := i == 2 || i == 3 // today+3 and today+4
		require.Equal(t, !held, n.Available, "night %s", n.Date)
	}

	// A stay that began before from still blocks its later nights; a cancelled one blocks nothing.
	s.Hold(t, p.ID, today, today.AddDate(0, 0, 2))
	cancelled := s.Hold(t, p.ID, today.AddDate(0, 0, 6), today.AddDate(0, 0, 8))
	_, err := s.Booking.Transition(context.Background(), cancelled.ID, booking.ActionCancel, "test", "")
	require.NoError(t, err)
	resp = s.Do(t, http.MethodGet, path(p.ID, booking.FormatDate(from), booking.FormatDate(to)), nil, nil)
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
	av = opsAvailability{}
	resp.JSON(t, &av)
	require.Len(t, av.Nights, 7)
	for i, n := range av.Nights {
		held := i == 0 || i == 2 || i == 3 // today+1, today+3, today+4
		require.Equal(t, !held, n.Available, "night %s", n.Date)
	}

	// The longest request allowed.
	resp = s.Do(t, http.MethodGet, path(p.ID, booking.FormatDate(today), booking.FormatDate(today.AddDate(0, 0, 366))), nil, nil)
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
	resp.JSON(t, &av)
	require.Len(t, av.Nights, 366)

	for _, q := range [][2]string{
		{"2025-13-01", "2026-01-05"},
		{"mañana", booking.FormatDate(to)},
		{booking.FormatDate(from), ""},
		{booking.FormatDate(from), booking.FormatDate(from)},
		{booking.FormatDate(to), booking.FormatDate(from)},
		{booking.FormatDate(today), booking.FormatDate(today.AddDate(0, 0, 367))},
	} {
		resp := s.Do(t, http.MethodGet, path(p.ID, q[0], q[1]), nil, nil)
		require.Equal(t, http.StatusUnprocessableEntity, resp.Status, "from=%s to=%s: %s", q[0], q[1], resp.Body)
		var body map[string]any
		resp.JSON(t, &body)
		require.Equal(t, "validation", body["error"])
	}

	inactive := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.Active = false })
	for _, id := range []any{999999999, inactive.ID, "abc"} {
		resp := s.Do(t, http.MethodGet, path(id, booking.FormatDate(from), booking.FormatDate(to)), nil, nil)
		require.Equal(t, http.StatusNotFound, resp.Status, "id %v", id)
		require.JSONEq(t, `{"error":"not_found"}`, string(resp.Body))
	}
}

type opsQuote struct {
	Nights        int    `json:"nights"`
	TotalPrice    string `json:"total_price"`
	DepositAmount string `json:"deposit_amount"`
	Currency      string `json:"currency"`
	Breakdown     []struct {
		Date  string `json:"date"`
		Price string `json:"price"`
	} `json:"breakdown"`
}

func TestOpsAPIQuote(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t, func(pp *dbq.CreatePropertyParams) {
		pp.BasePrice = money.FromUnits(10000)
		pp.CleaningFee = money.FromUnits(5000)
	})
	today := s.Today()
	quote := func(id any, ci, co time.Time, guests int) webtest.Response {
		return s.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/properties/%v/quote?check_in=%s&check_out=%s&guests=%d",
			id, booking.FormatDate(ci), booking.FormatDate(co), guests), nil, nil)
	}
	ci := today.AddDate(0, 0, 10)
	resp := quote(p.ID, ci, ci.AddDate(0, 0, 3), 2)
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
	var q opsQuote
	resp.JSON(t, &q)
	require.Equal(t, 3, q.Nights)
	require.Equal(t, "35000.00", q.TotalPrice)
	require.Equal(t, "10500.00", q.DepositAmount)
	require.Equal(t, "ARS", q.Currency)
	require.Len(t, q.Breakdown, 3)
	for i, n := range q.Breakdown {
		require.Equal(t, booking.FormatDate(ci.AddDate(0, 0, i)), n.Date)
		require.Equal(t, "10000.00", n.Price)
	}
	// Money is a decimal string on the wire, never a float.
	var raw map[string]json.RawMessage
	resp.JSON(t, &raw)
	require.Equal(t, `"35000.00"`, string(raw["total_price"]))
	require.Equal(t, `"10500.00"`, string(raw["deposit_amount"]))

	fieldOf := func(resp webtest.Response) map[string]any {
		var body struct {
			Error  string         `json:"error"`
			Fields map[string]any `json:"fields"`
		}
		resp.JSON(t, &body)
		require.Equal(t, "validation", body.Error, string(resp.Body))
		return body.Fields
	}
	minThree := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.MinNights = 3 })
	resp = quote(minThree.ID, ci, ci.AddDate(0, 0, 2), 2)
	require.Equal(t, http.StatusUnprocessableEntity, resp.Status, string(resp.Body))
	require.Contains(t, fieldOf(resp), "check_out")

	resp = quote(p.ID, ci, ci.AddDate(0, 0, 2), 5)
	require.Equal(t, http.StatusUnprocessableEntity, resp.Status, string(resp.Body))
	require.Contains(t, fieldOf(resp), "guests")

	s.Hold(t, p.ID, today.AddDate(0, 0, 20), today.AddDate(0, 0, 22))
	resp = quote(p.ID, today.AddDate(0, 0, 19), today.AddDate(0, 0, 23), 2)
	require.Equal(t, http.StatusUnprocessableEntity, resp.Status, string(resp.Body))
	var taken struct {
		Error       string   `json:"error"`
		TakenNights []string `json:"taken_nights"`
	}
	resp.JSON(t, &taken)
	require.Equal(t, "date_overlap", taken.Error)
	require.Equal(t, []string{booking.FormatDate(today.AddDate(0, 0, 20)), booking.FormatDate(today.AddDate(0, 0, 21))},
		taken.TakenNights)

	// Back-to-back stays are allowed: the hold's check-out night is free.
	resp = quote(p.ID, today.AddDate(0, 0, 22), today.AddDate(0, 0, 24), 2)
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))

	resp = quote(p.ID, today.AddDate(0, 0, -1), today.AddDate(0, 0, 2), 2)
	require.Equal(t, http.StatusUnprocessableEntity, resp.Status, string(resp.Body))
	require.Contains(t, fieldOf(resp), "check_in")

	resp = quote("abc", ci, ci.AddDate(0, 0, 3), 2)
	require.Equal(t, http.StatusNotFound, resp.Status)
}

func TestOpsAPIReservationShow(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 4), s.Today().AddDate(0, 0, 6))

	resp := s.Do(t, http.MethodGet, "/api/v1/reservations/"+r.Code+"?t="+r.GuestToken, nil, nil)
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
	var body map[string]any
	resp.JSON(t, &body)
	require.Equal(t, r.Code, body["code"])
	require.Equal(t, "pre_reserved", body["status"])

	wrong := s.Do(t, http.MethodGet, "/api/v1/reservations/"+r.Code+"?t=not-the-token", nil, nil)
	missing := s.Do(t, http.MethodGet, "/api/v1/reservations/"+r.Code, nil, nil)
	unknown := s.Do(t, http.MethodGet, "/api/v1/reservations/RES000101ABCDEF?t="+r.GuestToken, nil, nil)
	for _, resp := range []webtest.Response{wrong, missing, unknown} {
		require.Equal(t, http.StatusNotFound, resp.Status)
		require.Equal(t, string(unknown.Body), string(resp.Body), "a 404 must not tell a bad token from an unknown code")
	}
	require.JSONEq(t, `{"error":"not_found"}`, string(unknown.Body))
}
