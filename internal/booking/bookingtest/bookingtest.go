// Package bookingtest builds the booking core on a fresh test database, so
// tests of internal/booking and of the packages that read its rows (stats)
// run against real PostgreSQL without starting the HTTP server.
package bookingtest

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/platform"
	"alojamientos/internal/rates"
)

// Env is a booking service on its own database with a movable clock, and an
// account (Buenos Aires, ARS) to create properties in.
type Env struct {
	Pool    *pgxpool.Pool
	Clock   *platform.TestClock
	Metrics *platform.Metrics
	Booking *booking.Service
	// Rates is the exchange-rate service the booking core locks rates from.
	Rates   *rates.Service
	Account dbq.Account
}

// Options change what New builds.
type Options struct {
	// PropertyCache caches LoadProperty and keeps the cache fresh with its
	// NOTIFY listener, as the server does.
	PropertyCache bool
	// HoldCaps keeps the caps on live anonymous holds (UnlimitedHolds off).
	HoldCaps bool
}

// New builds the service as the server does, without channel feeds or
// Mercado Pago (no payment-link jobs).
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	pool := dbtest.New(t)
	clock := platform.NewTestClock(time.Now())
	metrics := platform.NewMetrics()
	log := platform.NewLogger(testWriter{t}, "error")
	var cache *booking.PropertyCache
	if opts.PropertyCache {
		cache = booking.NewPropertyCache()
		Listen(t, cache, pool)
	}
	rs := &rates.Service{DB: pool, Clock: clock, Log: log}
	svc := booking.New(booking.Deps{DB: pool, Clock: clock, Metrics: metrics, Log: log, Properties: cache,
		UnlimitedHolds: !opts.HoldCaps, Rates: rs})
	return &Env{Pool: pool, Clock: clock, Metrics: metrics, Booking: svc, Rates: rs, Account: dbtest.Account(t, pool)}
}

// Listen runs the cache's NOTIFY listener on pool until the test ends, and
// returns once it is connected.
func Listen(t testing.TB, cache *booking.PropertyCache, pool *pgxpool.Pool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		cache.Listen(ctx, func(ctx context.Context) (*pgx.Conn, error) {
			return pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
		}, platform.NewLogger(testWriter{t}, "error"), ready)
	}()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("bookingtest: property cache listener did not connect")
	}
}

// Property creates a property in the env's account (dbtest.Property's defaults).
func (e *Env) Property(t testing.TB, opts ...dbtest.PropertyOpt) dbq.Property {
	t.Helper()
	return dbtest.Property(t, e.Pool, e.Account.ID, opts...)
}

// Hold places a two-guest direct hold on [checkIn, checkOut) through the service.
func (e *Env) Hold(t testing.TB, propertyID int64, checkIn, checkOut time.Time) booking.Reservation {
	t.Helper()
	return PlaceHold(t, e.Booking, propertyID, checkIn, checkOut)
}

// PlaceHold places a two-guest direct hold on [checkIn, checkOut) through svc:
// the reservation factory of every harness (this one and web/webtest).
func PlaceHold(t testing.TB, svc *booking.Service, propertyID int64, checkIn, checkOut time.Time) booking.Reservation {
	t.Helper()
	h, err := svc.PlaceHold(context.Background(), booking.HoldRequest{
		PropertyID: propertyID, CheckIn: booking.FormatDate(checkIn), CheckOut: booking.FormatDate(checkOut),
		Guests: 2, GuestName: "Huésped de Prueba", GuestPhone: "+5491155551234", Channel: "direct", Actor: "test",
	})
	if err != nil {
		t.Fatalf("hold: %v", err)
	}
	return h.Reservation
}

// Today is the clock's date in Buenos Aires, where test accounts live.
func (e *Env) Today() time.Time { return Today(e.Booking, e.Clock) }

// Today is clock's date in Buenos Aires, where test accounts live.
func Today(svc *booking.Service, clock platform.Clock) time.Time {
	return booking.LocalDate(clock.Now(), svc.Locations.Get("America/Argentina/Buenos_Aires"))
}

// Day is Today plus n days.
func (e *Env) Day(n int) time.Time { return e.Today().AddDate(0, 0, n) }

// Counter reads a counter's value.
func Counter(t testing.TB, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// testWriter sends the service's error logs to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}
