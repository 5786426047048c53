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
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/app"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
	"alojamientos/internal/ical"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/platform"
	"alojamientos/internal/rates"
	"alojamientos/internal/whatsapp"
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
	Pool *db.Pool
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
	// RatesURL is RATES_URL (an httptest quote API); unset, a closed port,
	// so no test ever asks the real one.
	RatesURL string
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
	Pool    *db.Pool
	Clock   *platform.TestClock
	Booking *booking.Service
	Metrics *platform.Metrics
	Shared  platform.Shared
	Account dbq.Account
	Client  *http.Client
	Jobs    *river.Client[db.Tx]
	// WhatsApp is the server's WhatsApp service.
	WhatsApp *whatsapp.Service
	// MercadoPago is the server's payment service.
	MercadoPago *mercadopago.Service
	// ICal imports channel feeds (development mode: loopback allowed); ICalExport serves ours.
	ICal       *ical.Syncer
	ICalExport *ical.Exporter
	// Rates is the server's exchange-rate service (run FetchAll by hand).
	Rates *rates.Service

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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), Pool: pool, Clock: platform.NewTestClock(time.Now()),
		Client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}
	cfg := config(t, opts, s.URL)
	log := Logger(t)
	if opts.LogWriter != nil {
		log = platform.NewLogger(opts.LogWriter, "info")
	}
	var shared platform.Shared // nil: in-process state on the test clock
	if opts.Redis {
		shared, s.redisPrefix = redisShared(t, opts, s.Clock)
	}
	a, err := app.Build(context.Background(), cfg, app.Options{Clock: s.Clock, Log: log, Pool: pool, Shared: shared,
		Workers: opts.Workers, NoSweep: opts.NoSweep, NoFeedSchedule: true, NoPropertyCache: opts.NoPropertyCache,
		JobPoll: 50 * time.Millisecond, JobWorkers: 4, MercadoPagoBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	hs := a.HTTPServer()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
		_ = a.Stop(ctx)
		a.Close()
	})
	if err := a.Start(context.Background()); err != nil {
		t.Fatalf("webtest: %v", err)
	}
	go func() { _ = hs.Serve(ln) }()
	s.Booking, s.Metrics, s.Shared, s.Jobs = a.Booking(), a.Metrics(), a.Shared(), a.Jobs()
	s.WhatsApp, s.MercadoPago, s.ICal, s.ICalExport = a.WhatsApp(), a.MercadoPago(), a.ICalSync(), a.ICalExport()
	s.Rates = a.Rates()
	s.secrets = [2]string{cfg.SessionSecret, cfg.ICSSalt}
	if opts.Peer != nil {
		s.Account = opts.Peer.Account
		return s
	}
	s.Account = dbtest.Account(t, pool)
	if opts.WhatsAppURL != "" {
		if err := s.WhatsApp.SaveSettings(context.Background(), whatsapp.Settings{AccountID: s.Account.ID, Enabled: true,
			PhoneNumberID: WhatsAppNumberID, OwnerPhone: opts.WhatsAppOwnerPhone, AssistantEnabled: true}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// config is the server's configuration, as its environment would give it:
// development, listening at url, with opts' settings and fakes.
func config(t testing.TB, opts Options, url string) platform.Config {
	t.Helper()
	env := map[string]string{"ENV": "development", "ADDR": "127.0.0.1:0", "TRUSTED_PROXIES": opts.TrustedProxies,
		"RATE_LIMIT_PER_MINUTE": itoa(opts.RateLimit), "MERCADOPAGO_API_BASE_URL": opts.MercadoPagoURL,
		"MERCADOPAGO_ACCESS_TOKEN": opts.MercadoPagoToken, "MERCADOPAGO_WEBHOOK_SECRET": opts.MercadoPagoSecret,
		"MERCADOPAGO_ACCEPT_IPN": opts.MercadoPagoAcceptIPN, "WHATSAPP_APP_SECRET": WhatsAppSecret,
		"WHATSAPP_VERIFY_TOKEN": WhatsAppVerifyToken, "METRICS_TOKEN": opts.MetricsToken, "BASE_URL": url}
	if opts.BaseURL != "" {
		env["BASE_URL"] = opts.BaseURL
	}
	env["RATES_URL"] = opts.RatesURL
	if opts.RatesURL == "" {
		env["RATES_URL"] = "http://127.0.0.1:1/v1/dolares/{kind}"
	}
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
	return cfg
}

// redisShared is the real Redis with a key prefix of this server's (its
// peer's, for a second instance), closed when the test ends.
func redisShared(t testing.TB, opts Options, clock platform.Clock) (platform.Shared, string) {
	t.Helper()
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
	shared := &platform.RedisShared{Client: client, Prefix: prefix, Clock: clock}
	if err := shared.Ping(context.Background()); err != nil && opts.RedisURL == "" {
		t.Fatalf("webtest: Redis at %s: %v (`make test` starts it)", url, err)
	}
	return shared, prefix
}

// Property creates a property in the server's account.
func (s *Server) Property(t testing.TB, opts ...dbtest.PropertyOpt) dbq.Property {
	t.Helper()
	return dbtest.Property(t, s.Pool, s.Account.ID, opts...)
}

// Hold places a hold through the booking core (the reservation factory).
func (s *Server) Hold(t testing.TB, propertyID int64, checkIn, checkOut time.Time) booking.Reservation {
	t.Helper()
	return bookingtest.PlaceHold(t, s.Booking, propertyID, checkIn, checkOut)
}

// Today is the server clock's date in Buenos Aires, where test accounts live.
func (s *Server) Today() time.Time { return bookingtest.Today(s.Booking, s.Clock) }

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
