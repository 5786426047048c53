// Package web is the HTTP side: middleware, the error handler, every route
// (routes.go) and one file per action. Handlers read the request, call the
// rules in internal/*, and render views; no rule lives here, so the same
// rules serve the jobs, the CLI and WhatsApp too.
package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
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
	"alojamientos/internal/rates"
	"alojamientos/internal/receipts"
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
	// Rates are the accounts' exchange rates (page, dashboard warning, /healthz).
	Rates *rates.Service
	// Receipts are the bank-transfer receipts: guest uploads, owner review.
	Receipts *receipts.Service
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
	rates       *rates.Service
	receipts    *receipts.Service

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
	s.rates, s.receipts = d.Rates, d.Receipts
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
