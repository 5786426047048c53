package mercadopago

import (
	"log/slog"
	"sync/atomic"
	"time"

	"alojamientos/internal/booking"
	"alojamientos/internal/platform"
)

// Provider names Mercado Pago in the inbox, payments and metrics.
const Provider = "mercadopago"

// Queue is the River queue of payment jobs (links and notifications): calls
// to Mercado Pago that turn slow must not hold up anything else.
const Queue = booking.PaymentsQueue

// UnsignedQueue is the lane of unsigned notifications (legacy IPN, a guest's
// return from Checkout Pro): anyone can send them, so their re-fetches run
// apart, with few workers, and never slow down a signed webhook.
const UnsignedQueue = "payments_unsigned"

// Bounds on unsigned notifications.
const (
	// DefaultUnsignedCeiling is how many may wait at once; past it they are refused.
	DefaultUnsignedCeiling = 100
	// UnsignedAttempts is how often one is tried: a made-up payment id is
	// given up after this many "not found" answers.
	UnsignedAttempts = 2
	// IPNPerMinute is how many legacy IPN one client network may send a minute.
	IPNPerMinute = 30
)

// Defaults of the configurable durations.
const (
	DefaultTolerance     = 10 * time.Minute
	DefaultHoldExtension = 60 * time.Minute
)

// Service is the Mercado Pago side of the program. Build it in main.
type Service struct {
	DB      booking.DB
	Booking *booking.Service
	Client  *Client
	Clock   platform.Clock
	Log     *slog.Logger
	Metrics *platform.Metrics
	// BaseURL is the public address for notification_url and back_urls.
	BaseURL string
	// Secret is MERCADOPAGO_WEBHOOK_SECRET.
	Secret string
	// Tolerance is how far a signature's ts may be from now (default 10 min).
	Tolerance time.Duration
	// HoldExtension is how much longer a hold with a pending payment is kept, once (default 60 min).
	HoldExtension time.Duration
	// AcceptIPN takes legacy IPN notifications (MERCADOPAGO_ACCEPT_IPN).
	AcceptIPN bool
	// UnsignedCeiling bounds the unsigned notifications waiting (default DefaultUnsignedCeiling).
	UnsignedCeiling int

	// unsignedFullUntil (unix ns): the ceiling was reached moments ago, so
	// unsigned notifications are refused without asking the database.
	unsignedFullUntil atomic.Int64
}

func (s *Service) unsignedCeiling() int64 {
	if s.UnsignedCeiling > 0 {
		return int64(s.UnsignedCeiling)
	}
	return DefaultUnsignedCeiling
}

func (s *Service) tolerance() time.Duration {
	if s.Tolerance > 0 {
		return s.Tolerance
	}
	return DefaultTolerance
}

func (s *Service) holdExtension() time.Duration {
	if s.HoldExtension > 0 {
		return s.HoldExtension
	}
	return DefaultHoldExtension
}

// Deps are what the payment side is built from (internal/app assembles them).
type Deps struct {
	Config  platform.Config
	DB      booking.DB
	Booking *booking.Service
	Clock   platform.Clock
	Log     *slog.Logger
	Metrics *platform.Metrics
	// RetryBackoff is the API client's first wait between attempts; 0 keeps the client's default.
	RetryBackoff time.Duration
}

// New builds the service from the configuration (MERCADOPAGO_*, BASE_URL).
func New(d Deps) *Service {
	client := NewClient(d.Config.MercadoPagoAPIBaseURL, d.Config.MercadoPagoAccess, d.Log)
	if d.RetryBackoff > 0 {
		client.Backoff = d.RetryBackoff
	}
	return &Service{DB: d.DB, Booking: d.Booking, Clock: d.Clock, Log: d.Log, Metrics: d.Metrics, BaseURL: d.Config.BaseURL,
		Client: client, Secret: d.Config.MercadoPagoSecret, Tolerance: d.Config.MercadoPagoTolerance,
		HoldExtension: d.Config.MercadoPagoHoldExtension, AcceptIPN: d.Config.MercadoPagoAcceptIPN}
}

// Configured reports whether cfg has a Mercado Pago account to make deposit links with.
func Configured(cfg platform.Config) bool { return cfg.MercadoPagoAccess != "" }
