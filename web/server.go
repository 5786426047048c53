// Package web is the HTTP side: middleware, the error handler, every route
// (routes.go) and one file per action.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"alojamientos/db"
	"alojamientos/internal/auth"
	"alojamientos/internal/booking"
	"alojamientos/internal/ical"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/platform"
	"alojamientos/internal/whatsapp"
)

// Deps are everything a handler may use, given once to New (internal/app
// assembles them).
type Deps struct {
	Config platform.Config
	Pool   *db.Pool
	// Booking is the booking core: quotes, holds, reservation states.
	Booking *booking.Service
	// MercadoPago is the payment side: webhook, links, refunds.
	MercadoPago *mercadopago.Service
	// WhatsApp is the Cloud API side: webhook, assistant, outbound queue, inbox.
	WhatsApp *whatsapp.Service
	Sessions *auth.SessionStore
	Shared   platform.Shared
	Metrics  *platform.Metrics
	Log      *slog.Logger
	Clock    platform.Clock
	// StartedAt is when the process started (shown by /healthz).
	StartedAt time.Time
	// ICalExport serves the export feeds (cached); ICalSync imports channel feeds.
	ICalExport *ical.Exporter
	ICalSync   *ical.Syncer
}

// Server holds the dependencies of every handler, fixed by New.
type Server struct {
	config      platform.Config
	pool        *db.Pool
	booking     *booking.Service
	mercadoPago *mercadopago.Service
	whatsApp    *whatsapp.Service
	sessions    *auth.SessionStore
	shared      platform.Shared
	metrics     *platform.Metrics
	log         *slog.Logger
	clock       platform.Clock
	startedAt   time.Time
	icalExport  *ical.Exporter
	icalSync    *ical.Syncer

	// draining is set when shutdown starts so /readyz sends traffic elsewhere.
	draining atomic.Bool
	// migrated remembers a successful schema check: a running binary's schema only moves forward.
	migrated atomic.Bool
}

// New builds the server from its dependencies; nothing is set on it afterwards.
func New(d Deps) *Server {
	s := &Server{}
	s.config, s.pool, s.booking, s.mercadoPago, s.whatsApp = d.Config, d.Pool, d.Booking, d.MercadoPago, d.WhatsApp
	s.sessions, s.shared, s.metrics, s.log, s.clock = d.Sessions, d.Shared, d.Metrics, d.Log, d.Clock
	s.startedAt, s.icalExport, s.icalSync = d.StartedAt, d.ICalExport, d.ICalSync
	return s
}

// Drain marks the server as going away.
func (s *Server) Drain() { s.draining.Store(true) }

// Handler builds the echo instance with middleware and routes.
func (s *Server) Handler() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = ipExtractor(s.config.TrustedProxies)
	secure := s.secureCookies()
	e.Use(s.traceMiddleware, s.recoverMiddleware, s.metricsMiddleware, securityHeaders, middleware.BodyLimit("16M"),
		func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				c.Set(secureCookiesKey, secure)
				return next(c)
			}
		})
	s.routes(e)
	return e
}

// HTTPServer wraps the handler with timeouts fit for the open internet.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Addr:              s.config.Addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		// echo's default reads X-Forwarded-For from anyone (GO-2026-6872): never.
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._:\-]{1,128}$`)
var traceparentRe = regexp.MustCompile(`^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$`)

// traceID takes the caller's trace id (W3C traceparent, then X-Request-ID)
// or makes one.
func traceID(r *http.Request) string {
	if m := traceparentRe.FindStringSubmatch(strings.TrimSpace(r.Header.Get("traceparent"))); m != nil &&
		m[1] != strings.Repeat("0", 32) {
		return m[1]
	}
	if id := strings.TrimSpace(r.Header.Get(echo.HeaderXRequestID)); requestIDRe.MatchString(id) {
		return id
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Server) traceMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := traceID(c.Request())
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		log := s.log.With(slog.String("trace_id", id))
		c.SetRequest(c.Request().WithContext(platform.WithLogger(c.Request().Context(), log)))
		return next(c)
	}
}

func (s *Server) recoverMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = fmt.Errorf("panic: %s\n%s", toString(r), debug.Stack())
			}
		}()
		return next(c)
	}
}

func toString(v any) string {
	if e, ok := v.(error); ok {
		return e.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	return "unknown panic value"
}

func (s *Server) metricsMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// Let the error handler write the answer now, so the status we count is the real one.
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := strconv.Itoa(c.Response().Status)
		s.metrics.HTTPRequests.WithLabelValues(c.Request().Method, route, status).Inc()
		s.metrics.HTTPDuration.WithLabelValues(c.Request().Method, route).Observe(time.Since(start).Seconds())
		return nil
	}
}

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		if c.Request().TLS != nil || c.Request().Header.Get("X-Forwarded-Proto") == "https" {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// logger is the request's logger, carrying its trace id.
func (s *Server) logger(c echo.Context) *slog.Logger {
	return platform.Logger(c.Request().Context(), s.log)
}

// apiError is a JSON error answer with an optional field map.
type apiError struct {
	Status  int
	Code    string
	Fields  map[string]string
	Message string
	Extra   map[string]any
}

func (e *apiError) Error() string { return "web: " + e.Code }

// handleError is the one place errors become answers: 5xx are logged as
// errors, 4xx as warnings, and users never see err.Error().
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	log := s.logger(c)
	var ae *apiError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &he):
		ae = &apiError{Status: he.Code, Code: httpCode(he.Code)}
	case unstorableText(err) != nil:
		ae = unstorableText(err)
	case errors.Is(err, auth.ErrSessionsUnavailable):
		c.Response().Header().Set("Retry-After", "5")
		ae = &apiError{Status: http.StatusServiceUnavailable, Code: "sessions_unavailable",
			Message: "No pudimos leer tu sesión por un problema momentáneo. Probá de nuevo en unos segundos."}
	case errors.Is(err, context.Canceled):
		// The client went away; nobody will read the answer.
		ae = &apiError{Status: 499, Code: "client_closed_request"}
	default:
		ae = &apiError{Status: http.StatusInternalServerError, Code: "internal_error"}
	}
	attrs := []any{slog.String("method", c.Request().Method), slog.String("path", c.Request().URL.Path),
		slog.Int("status", ae.Status)}
	if ae.Status >= 500 {
		log.Error("request failed", append(attrs, slog.Any("error", err))...)
	} else {
		log.Warn("request refused", append(attrs, slog.String("error", ae.Code))...)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(ae.Status)
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") || strings.HasPrefix(c.Request().URL.Path, "/webhooks/") ||
		!strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/html") {
		_ = writeJSON(c, ae.Status, ae.body())
		return
	}
	_ = c.HTML(ae.Status, errorPage(ae.Status, ae.Message))
}

func (e *apiError) body() map[string]any {
	b := map[string]any{"error": e.Code}
	if e.Fields != nil {
		b["fields"] = e.Fields
	}
	if e.Message != "" {
		b["message"] = e.Message
	}
	for k, v := range e.Extra {
		b[k] = v
	}
	return b
}

func httpCode(status int) string {
	switch status {
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "body_too_large"
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusServiceUnavailable:
		return "unavailable"
	}
	if status >= 500 {
		return "internal_error"
	}
	return "bad_request"
}

// errorPage is the whole page of a refusal; message, when set, is the
// reason in Spanish (plain text, escaped here).
func errorPage(status int, message string) string {
	msg := "Algo salió mal de nuestro lado. Probá de nuevo en unos minutos."
	switch {
	case message != "" && (status < 500 || status == http.StatusServiceUnavailable):
		msg = html.EscapeString(message)
	case status == http.StatusNotFound:
		msg = "No encontramos esta página."
	case status == http.StatusRequestEntityTooLarge:
		msg = "Lo que enviaste es demasiado grande."
	case status == http.StatusTooManyRequests:
		msg = "Demasiados pedidos seguidos. Esperá un minuto y probá de nuevo."
	case status < 500:
		msg = "No pudimos procesar el pedido."
	}
	return `<!doctype html><html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>` +
		strconv.Itoa(status) + ` · Alojamientos</title></head><body><main><h1>` + msg + `</h1><p><a href="/">Volver al inicio</a></p></main></body></html>`
}
