package platform

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the server's Prometheus collectors, on a registry of our own so
// tests can build as many servers as they like.
type Metrics struct {
	Registry *prometheus.Registry

	ReservationsCreated  *prometheus.CounterVec
	ReservationsOverlap  *prometheus.CounterVec
	ReservationsConfirm  prometheus.Counter
	ReservationsExpired  prometheus.Counter
	ReservationsCancel   prometheus.Counter
	PrereserveBusy       prometheus.Counter
	RateLimited          *prometheus.CounterVec
	WebhookEvents        *prometheus.CounterVec
	HTTPRequests         *prometheus.CounterVec
	HTTPDuration         *prometheus.HistogramVec
	SerializationRetries prometheus.Counter
	ICalSyncErrors       prometheus.Counter
	ICalLastSyncAge      *prometheus.GaugeVec
}

// NewMetrics registers every collector, plus Go and process collectors.
func NewMetrics() *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		ReservationsCreated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "reservations_created_total", Help: "Holds created, by channel.",
		}, []string{"channel"}),
		ReservationsOverlap: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "reservations_date_overlap_total", Help: "Holds refused because the nights were taken, by channel.",
		}, []string{"channel"}),
		ReservationsConfirm: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reservations_confirmed_total", Help: "Reservations confirmed.",
		}),
		ReservationsExpired: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reservations_expired_total", Help: "Holds expired and their nights released.",
		}),
		ReservationsCancel: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reservations_cancelled_total", Help: "Reservations cancelled.",
		}),
		PrereserveBusy: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reservations_processing_refused_total", Help: "Pre-reserve requests refused because the same range was in flight.",
		}),
		RateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rate_limited_total", Help: "Requests answered 429, by scope.",
		}, []string{"scope"}),
		WebhookEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "webhook_events_total", Help: "Webhook deliveries, by provider and result.",
		}, []string{"provider", "result"}),
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total", Help: "HTTP requests, by method, route and status.",
		}, []string{"method", "route", "status"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "http_request_duration_seconds", Help: "HTTP request latency, by method and route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
		SerializationRetries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "db_transaction_retries_total", Help: "Transactions retried after a deadlock or serialization failure.",
		}),
		ICalSyncErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ical_sync_errors_total", Help: "Channel feed syncs that failed (previous state kept).",
		}),
		ICalLastSyncAge: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "ical_last_sync_age_minutes", Help: "Minutes since the oldest last successful sync among a property's feeds.",
		}, []string{"property"}),
	}
	r.MustRegister(m.ReservationsCreated, m.ReservationsOverlap, m.ReservationsConfirm, m.ReservationsExpired,
		m.ReservationsCancel, m.PrereserveBusy, m.RateLimited, m.WebhookEvents, m.HTTPRequests, m.HTTPDuration,
		m.SerializationRetries, m.ICalSyncErrors, m.ICalLastSyncAge,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// KnownLabels are the label values known before any event: the channels a
// reservation may come from, and each webhook provider's results.
type KnownLabels struct {
	Channels       []string
	WebhookResults map[string][]string
}

// Known lists every known label combination at 0, as Prometheus'
// instrumentation guidelines ask: a series that appears only with its first
// event hides that event from rate() and increase(), and alerts on it stay
// silent. Calling it again changes nothing.
func (m *Metrics) Known(k KnownLabels) {
	for _, ch := range k.Channels {
		m.ReservationsCreated.WithLabelValues(ch)
		m.ReservationsOverlap.WithLabelValues(ch)
	}
	for provider, results := range k.WebhookResults {
		for _, r := range results {
			m.WebhookEvents.WithLabelValues(provider, r)
		}
	}
}
