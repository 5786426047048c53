package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"alojamientos/internal/booking"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/platform"
	"alojamientos/internal/whatsapp"
)

// webhookResults are the results webhook_events_total counts, by provider
// (web/webhook_*.go, internal/whatsapp), so each series exists from the
// first scrape. TestWebhookResultsListed keeps the list whole.
var webhookResults = map[string][]string{
	mercadopago.Provider: {"too_large", "bad_signature", "replay", "error", mercadopago.ResultStored,
		mercadopago.ResultDuplicate, mercadopago.ResultIgnored, "legacy_refetch", "ipn_disabled", "rate_limited",
		"invalid_id", mercadopago.ResultFull},
	whatsapp.Provider: {"verify_refused", "too_large", "bad_signature", "ignored", "error", "accepted", "duplicate",
		"message", "sent"},
}

// metricsOnMain reports whether the main listener serves /metrics: not when
// METRICS_ADDR gives it a listener of its own, and in production only behind
// METRICS_TOKEN. In development, with neither set, it is open as always.
func (s *Server) metricsOnMain() bool {
	return s.config.MetricsAddr == "" && (s.config.MetricsToken != "" || !s.config.Production())
}

// metricsHandler serves the registry; with METRICS_TOKEN set, only to a
// request carrying "Authorization: Bearer <token>".
func (s *Server) metricsHandler() http.Handler {
	channels := make([]string, 0, len(booking.Channels))
	for ch := range booking.Channels {
		channels = append(channels, ch)
	}
	s.metrics.Known(platform.KnownLabels{Channels: channels, WebhookResults: webhookResults})

	h := promhttp.HandlerFor(s.metrics.Registry, promhttp.HandlerOpts{})
	if s.config.MetricsToken == "" {
		return h
	}
	// Hashes of equal length, so the comparison takes the same time
	// whatever the length of what was sent.
	want := sha256.Sum256([]byte(s.config.MetricsToken))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		got := sha256.Sum256([]byte(token))
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", "Bearer")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// MetricsHTTPServer serves GET /metrics alone, for METRICS_ADDR: an address
// Prometheus reaches and the internet does not.
func (s *Server) MetricsHTTPServer() *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metricsHandler())
	return &http.Server{
		Addr:              s.config.MetricsAddr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
}
