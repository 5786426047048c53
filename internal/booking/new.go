package booking

import (
	"log/slog"

	"alojamientos/internal/platform"
)

// Deps are what the booking core is built from (internal/app assembles them).
type Deps struct {
	DB      DB
	Clock   platform.Clock
	Metrics *platform.Metrics
	Log     *slog.Logger
	// Properties caches LoadProperty; nil loads every time.
	Properties *PropertyCache
	// Feeds refreshes channel calendars just before nights are taken; nil: no channel sync.
	Feeds FeedRefresher
	// PaymentLinks enqueues the Mercado Pago deposit link's job with every
	// hold (true when Mercado Pago is configured).
	PaymentLinks bool
	// UnlimitedHolds lifts the caps on live anonymous holds (RATE_LIMIT_PER_MINUTE=0).
	UnlimitedHolds bool
	// Rates gives today's exchange rate, locked on every hold in a foreign
	// currency; nil: holds keep no rate.
	Rates Rates
}

// New builds the booking core with everything it needs, so nothing is set
// on it afterwards.
func New(d Deps) *Service {
	return &Service{DB: d.DB, Clock: d.Clock, Metrics: d.Metrics, Log: d.Log, Locations: &Locations{},
		Properties: d.Properties, Feeds: d.Feeds, PaymentLinks: d.PaymentLinks, UnlimitedHolds: d.UnlimitedHolds, Rates: d.Rates}
}
