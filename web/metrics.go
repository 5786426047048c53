package web

import (
	"net/http"

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
		mercadopago.ResultDuplicate, mercadopago.ResultIgnored, "legacy_refetch"},
	whatsapp.Provider: {"verify_refused", "too_large", "bad_signature", "ignored", "error", "accepted", "duplicate",
		"message", "sent"},
}

// metricsHandler serves the registry, every known series listed at 0.
func (s *Server) metricsHandler() http.Handler {
	channels := make([]string, 0, len(booking.Channels))
	for ch := range booking.Channels {
		channels = append(channels, ch)
	}
	s.Metrics.Known(platform.KnownLabels{Channels: channels, WebhookResults: webhookResults})
	return promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{})
}
