// Package webtest runs the real server on a random loopback port for
// black-box tests: real PostgreSQL (a fresh database), real or in-process
// shared state, a clock the test moves. It is a package of its own so that
// tests in any package can start the server, and so that none of it is linked
// into the binary.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/auth"
	"alojamientos/internal/booking"
	"alojamientos/internal/ical"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/platform"
	"alojamientos/internal/whatsapp"
	"alojamientos/web"
)

// Options change how the server is built.
type Options struct {
	// Redis uses the real Redis at 127.0.0.1:6379 (or TEST_REDIS_URL) instead of in-process state.
	Redis bool
	// RateLimit per minute; 0 disables, as in production config.
	RateLimit int
	// Workers starts River job workers (expiry jobs).
	Workers bool
	// NoPropertyCache loads properties from the database on every request.
	NoPropertyCache bool
	// NoSweep leaves the periodic sweep out, to see the scheduled expiry job alone.
	NoSweep bool
	// RedisURL overrides the Redis used when Redis is set (e.g. a dead port).
	RedisURL string
	// LogWriter receives the server's JSON logs.
	LogWriter io.Writer
	// Pool reuses a database instead of creating one.
	Pool *pgxpool.Pool
	// TrustedProxies as in TRUSTED_PROXIES.
	TrustedProxies string
	// BaseURL as in BASE_URL (an https one makes every cookie Secure); the
	// server still listens on plain HTTP at URL. Default: URL.
	BaseURL string
	// MercadoPagoURL, MercadoPagoToken and MercadoPagoSecret are
	// MERCADOPAGO_API_BASE_URL, _ACCESS_TOKEN and _WEBHOOK_SECRET (a fake
	// from internal/mercadopago/mptest); unset, Mercado Pago is unconfigured.
	MercadoPagoURL    string
	MercadoPagoToken  string
	MercadoPagoSecret string
	// MercadoPagoAcceptIPN is MERCADOPAGO_ACCEPT_IPN ("1", "0" or "" for the default).
	MercadoPagoAcceptIPN string
	// WhatsAppURL is WHATSAPP_API_BASE_URL (a watest.Graph); set, the account
	// gets WhatsApp settings for number WhatsAppNumberID with the test token,
	// app secret WhatsAppSecret and verify token WhatsAppVerifyToken.
	WhatsAppURL string
	// WhatsAppOwnerPhone is where owner alerts go (E.164), '' for none.
	WhatsAppOwnerPhone string
	// MetricsToken as in METRICS_TOKEN: /metrics then needs it as a bearer token.
	MetricsToken string
	// Peer makes this server a second instance of peer: same database, same
	// Redis keys (Redis must be set on both), same secrets and account.
	Peer *Server
}

// WhatsApp test credentials.
const (
	WhatsAppNumberID    = "106540352242922"
	WhatsAppSecret      = "test_app_secret_123"
	WhatsAppVerifyToken = "verify-me-123"
	WhatsAppToken       = "test-token"
)

// Server is a running test server.
type Server struct {
	URL     string
	Pool    *pgxpool.Pool
	Clock   *platform.TestClock
	Booking *booking.Service
	Metrics *platform.Metrics
	Shared  platform.Shared
	Account dbq.Account
	Client  *http.Client
	Jobs    *river.Client[pgx.Tx]
	// WhatsApp is the server's WhatsApp service.
	WhatsApp *whatsapp.Service
	// MercadoPago is the server's payment service.
	MercadoPago *mercadopago.Service
	// ICal imports channel feeds (development mode: loopback allowed); ICalExport serves ours.
	ICal       *ical.Syncer
	ICalExport *ical.Exporter

	redisPrefix string
	secrets     [2]string
}

// Logger writes JSON logs to the test log only when -v is given.
func Logger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return platform.NewLogger(os.Stderr, "debug")
	}
	return platform.NewLogger(io.Discard, "error")
}

// RedisURL is the Redis used by tests.
func RedisURL() string {
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/13"
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	pool := opts.Pool
	if opts.Peer != nil {
		pool = opts.Peer.Pool
	}
	if pool == nil {
		pool = dbtest.New(t)
	}
	env := map[string]string{"ENV": "development", "ADDR": "127.0.0.1:0", "TRUSTED_PROXIES": opts.TrustedProxies,
		"RATE_LIMIT_PER_MINUTE": itoa(opts.RateLimit), "MERCADOPAGO_API_BASE_URL": opts.MercadoPagoURL,
		"MERCADOPAGO_ACCESS_TOKEN": opts.MercadoPagoToken, "MERCADOPAGO_WEBHOOK_SECRET": opts.MercadoPagoSecret,
		"WHATSAPP_APP_SECRET": WhatsAppSecret, "WHATSAPP_VERIFY_TOKEN": WhatsAppVerifyToken,
		"METRICS_TOKEN": opts.MetricsToken}
	env["MERCADOPAGO_ACCEPT_IPN"] = opts.MercadoPagoAcceptIPN
	if opts.WhatsAppURL != "" {
		env["WHATSAPP_API_BASE_URL"], env["WHATSAPP_ACCESS_TOKEN"] = opts.WhatsAppURL, WhatsAppToken
		env["WHATSAPP_PHONE_NUMBER_ID"] = WhatsAppNumberID
	}
	if opts.Peer != nil {
		env["SESSION_SECRET"], env["ICS_SALT"] = opts.Peer.secrets[0], opts.Peer.secrets[1]
	}
	cfg, err := platform.LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	log := Logger(t)
	if opts.LogWriter != nil {
		log = platform.NewLogger(opts.LogWriter, "info")
	}
	clock := platform.NewTestClock(time.Now())
	metrics := platform.NewMetrics()
	// As in production, no rate limit (0) also means no caps on live anonymous holds.
	svc := &booking.Service{DB: pool, Clock: clock, Metrics: metrics, Log: log, Locations: &booking.Locations{},
		UnlimitedHolds: opts.RateLimit == 0}
	mp := mercadopago.New(cfg, pool, svc, clock, log, metrics)
	mp.Client.Backoff = 10 * time.Millisecond
	svc.PaymentLinks = mp.Client.Configured()

	if !opts.NoPropertyCache {
		svc.Properties = booking.NewPropertyCache()
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			svc.Properties.Listen(ctx, func(ctx context.Context) (*pgx.Conn, error) {
				return pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
			}, log, ready)
		}()
		t.Cleanup(func() { cancel(); <-done })
		select {
		case <-ready:
		case <-time.After(10 * time.Second):
			t.Fatal("webtest: property cache listener did not connect")
		}
	}

	// Export feeds are cached while their change listener is connected.
	export := &ical.Exporter{DB: pool}
	{
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			export.Listen(ctx, func(ctx context.Context) (*pgx.Conn, error) {
				return pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
			}, log, ready)
		}()
		t.Cleanup(func() { cancel(); <-done })
		select {
		case <-ready:
		case <-time.After(10 * time.Second):
			t.Fatal("webtest: ical feed cache listener did not connect")
		}
	}
	syncer := &ical.Syncer{DB: pool, Clock: clock, Log: log, Metrics: metrics, HTTP: ical.NewHTTPClient(false)}
	svc.Feeds = syncer

	var shared platform.Shared = platform.NewLocalShared(clock)
	redisPrefix := ""
	if opts.Redis {
		url := RedisURL()
		if opts.RedisURL != "" {
			url = opts.RedisURL
		}
		client, err := platform.NewRedisClient(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { client.Close() })
		// A random prefix keeps parallel tests' keys apart in one Redis.
		prefix := "test:" + platform.RandomToken(6) + ":"
		if opts.Peer != nil {
			prefix = opts.Peer.redisPrefix
		}
		shared = &platform.RedisShared{Client: client, Prefix: prefix, Clock: clock}
		redisPrefix = prefix
		if err := shared.Ping(context.Background()); err != nil && opts.RedisURL == "" {
			t.Fatalf("webtest: Redis at %s: %v (`make test` starts it)", url, err)
		}
	}

	metrics.RegisterHealth(pool, shared, clock) // db_up, redis_up, river_jobs_backlog on /metrics
	wa := whatsapp.New(cfg, pool, svc, clock, log, metrics)
	s := &Server{WhatsApp: wa, Pool: pool, Clock: clock, Booking: svc, MercadoPago: mp, Metrics: metrics, Shared: shared, ICal: syncer, ICalExport: export,
		Client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}
	if opts.Workers {
		workers := river.NewWorkers()
		booking.AddWorkers(workers, svc)
		mercadopago.AddWorkers(workers, mp)
		ical.AddWorkers(workers, syncer)
		whatsapp.AddWorkers(workers, wa)
		var periodic []*river.PeriodicJob
		if !opts.NoSweep {
			periodic = append(booking.PeriodicJobs(), mercadopago.PeriodicJobs()...)
			periodic = append(periodic, whatsapp.PeriodicJobs()...)
		}
		jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
			Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}, whatsapp.Queue: {MaxWorkers: 4},
				mercadopago.Queue: {MaxWorkers: 4}, mercadopago.UnsignedQueue: {MaxWorkers: 2}}, Workers: workers,
			PeriodicJobs: periodic, Logger: log, FetchPollInterval: 50 * time.Millisecond,
			FetchCooldown: 10 * time.Millisecond,
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := jobs.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = jobs.Stop(ctx)
		})
		s.Jobs = jobs
	}

	srv := &web.Server{Config: cfg, Pool: pool, Booking: svc, MercadoPago: mp, Shared: shared, Metrics: metrics, Log: log, Clock: clock,
		StartedAt: time.Now(), Sessions: auth.NewSessionStore(shared, cfg.SessionSecret, strings.HasPrefix(opts.BaseURL, "https://"))}
	srv.ICalExport, srv.ICalSync = export, syncer
	srv.WhatsApp = wa
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.URL = "http://" + ln.Addr().String()
	cfg.BaseURL = s.URL
	if opts.BaseURL != "" {
		cfg.BaseURL = opts.BaseURL
	}
	srv.Config = cfg
	mp.BaseURL = cfg.BaseURL
	wa.BaseURL = cfg.BaseURL
	hs := srv.HTTPServer()
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
	})
	s.redisPrefix, s.secrets = redisPrefix, [2]string{cfg.SessionSecret, cfg.ICSSalt}
	if opts.Peer != nil {
		s.Account = opts.Peer.Account
		return s
	}
	s.Account = dbtest.Account(t, pool)
	if opts.WhatsAppURL != "" {
		if err := wa.SaveSettings(context.Background(), whatsapp.Settings{AccountID: s.Account.ID, Enabled: true,
			PhoneNumberID: WhatsAppNumberID, OwnerPhone: opts.WhatsAppOwnerPhone, AssistantEnabled: true}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// Property creates a property in the server's account.
func (s *Server) Property(t testing.TB, opts ...dbtest.PropertyOpt) dbq.Property {
	t.Helper()
	return dbtest.Property(t, s.Pool, s.Account.ID, opts...)
}

// Hold places a hold through the booking core (the reservation factory).
func (s *Server) Hold(t testing.TB, propertyID int64, checkIn, checkOut time.Time) booking.Reservation {
	t.Helper()
	h, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{
		PropertyID: propertyID, CheckIn: booking.FormatDate(checkIn), CheckOut: booking.FormatDate(checkOut),
		Guests: 2, GuestName: "Huésped de Prueba", GuestPhone: "+5491155551234", Channel: "direct", Actor: "test",
	})
	if err != nil {
		t.Fatalf("webtest: hold: %v", err)
	}
	return h.Reservation
}

// Today is the server clock's date in Buenos Aires, where test accounts live.
func (s *Server) Today() time.Time {
	return booking.LocalDate(s.Clock.Now(), s.Booking.Locations.Get("America/Argentina/Buenos_Aires"))
}

// Post sends JSON and reads the answer without failing the test, for use
// from many goroutines at once.
func (s *Server) Post(path string, body []byte, header map[string]string) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, s.URL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// Response is an answer read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("webtest: decode %q: %v", r.Body, err)
	}
}

// Do sends a request and reads the whole answer. body may be nil, a string, []byte or a value to encode as JSON.
func (s *Server) Do(t testing.TB, method, path string, body any, header map[string]string) Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatalf("webtest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

var idSeq atomic.Int64

func nextID() int64 { return idSeq.Add(1) }

// PropertyIn creates a property in another account.
func PropertyIn(t testing.TB, s *Server, accountID int64, opts ...dbtest.PropertyOpt) dbq.Property {
	t.Helper()
	return dbtest.Property(t, s.Pool, accountID, opts...)
}
