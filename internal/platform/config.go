// Package platform holds what every other package stands on: configuration,
// logging, metrics, the clock and the Redis-or-in-process shared state. It
// imports none of our other packages, so any of them may import it.
package platform

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Config is read once from the environment in main and passed down.
type Config struct {
	Addr                  string
	BaseURL               string
	DatabaseURL           string
	RedisURL              string
	SessionSecret         string
	ICSSalt               string
	WhatsAppVerifyToken   string
	WhatsAppAppSecret     string
	WhatsAppAccessToken   string
	WhatsAppPhoneNumberID string
	WhatsAppAPIBaseURL    string
	MercadoPagoAccess     string
	MercadoPagoPublicKey  string
	MercadoPagoSecret     string
	MercadoPagoAPIBaseURL string
	// MercadoPagoTolerance is how old (or early) a webhook signature's ts may be.
	MercadoPagoTolerance time.Duration
	// MercadoPagoHoldExtension is how much longer a hold with a pending payment is kept, once.
	MercadoPagoHoldExtension time.Duration
	MercadoPagoAcceptIPN     bool // takes unsigned legacy IPN (MERCADOPAGO_ACCEPT_IPN; unset: only without a webhook secret)
	LogLevel                 string
	Env                      string
	AutoMigrate              bool
	DataDir                  string
	RateLimitPerMinute       int
	TrustedProxies           []netip.Prefix
	DBMaxConns               int
	// MetricsToken, when set, is the bearer token /metrics asks for.
	MetricsToken string
	// MetricsAddr, when set, is a listener of its own serving /metrics
	// alone; the main listener then does not serve it. In production,
	// with neither set, /metrics is not served at all.
	MetricsAddr string
	// RatesURL is the quote API's URL template with a {kind} placeholder
	// (oficial, bolsa, tarjeta, blue) answering {"compra":…,"venta":…}.
	RatesURL string

	// Generated lists the secrets made up at start-up in development, so the
	// server can say so.
	Generated []string
}

// Production reports whether ENV=production.
func (c Config) Production() bool { return c.Env == "production" }

// LoadConfig reads the environment. In production a missing secret is an
// error naming it; in development the server makes one up and says so. Every
// problem is reported, one per line, so a deploy is fixed in one go.
func LoadConfig(getenv func(string) string) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr:                  get("ADDR", ":8080"),
		BaseURL:               strings.TrimRight(get("BASE_URL", ""), "/"),
		DatabaseURL:           get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alojamientos?sslmode=disable"),
		RedisURL:              get("REDIS_URL", ""),
		SessionSecret:         get("SESSION_SECRET", ""),
		ICSSalt:               get("ICS_SALT", ""),
		WhatsAppVerifyToken:   get("WHATSAPP_VERIFY_TOKEN", ""),
		WhatsAppAppSecret:     get("WHATSAPP_APP_SECRET", ""),
		WhatsAppAccessToken:   get("WHATSAPP_ACCESS_TOKEN", ""),
		WhatsAppPhoneNumberID: get("WHATSAPP_PHONE_NUMBER_ID", ""),
		WhatsAppAPIBaseURL:    strings.TrimRight(get("WHATSAPP_API_BASE_URL", "https://graph.facebook.com"), "/"),
		MercadoPagoAccess:     get("MERCADOPAGO_ACCESS_TOKEN", ""),
		MercadoPagoPublicKey:  get("MERCADOPAGO_PUBLIC_KEY", ""),
		MercadoPagoSecret:     get("MERCADOPAGO_WEBHOOK_SECRET", ""),
		MercadoPagoAPIBaseURL: strings.TrimRight(get("MERCADOPAGO_API_BASE_URL", "https://api.mercadopago.com"), "/"),
		LogLevel:              get("LOG_LEVEL", "info"),
		Env:                   get("ENV", "development"),
		DataDir:               get("DATA_DIR", "data"),
		MetricsToken:          get("METRICS_TOKEN", ""),
		MetricsAddr:           get("METRICS_ADDR", ""),
		RatesURL:              get("RATES_URL", "https://dolarapi.com/v1/dolares/{kind}"),
	}
	var errs []error
	if c.Env != "development" && c.Env != "production" {
		errs = append(errs, fmt.Errorf("ENV must be development or production, not %q", c.Env))
	}
	errs = append(errs, c.readSwitches(get)...)
	errs = append(errs, c.readLimits(get)...)
	errs = append(errs, c.readTrustedProxies(get("TRUSTED_PROXIES", ""))...)
	errs = append(errs, c.checkMetricsAddr()...)
	if !strings.Contains(c.RatesURL, "{kind}") ||
		!(strings.HasPrefix(c.RatesURL, "https://") || strings.HasPrefix(c.RatesURL, "http://")) {
		errs = append(errs, fmt.Errorf("RATES_URL must be an http(s) URL with a {kind} placeholder, not %q", c.RatesURL))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, not %q", c.LogLevel))
	}
	errs = append(errs, c.requireSecrets()...)
	if c.BaseURL == "" {
		host := c.Addr
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		c.BaseURL = "http://" + host
	}
	return c, errors.Join(errs...)
}

// readSwitches reads the yes/no settings. MERCADOPAGO_ACCEPT_IPN unset
// follows the webhook secret: legacy IPN is unsigned, so it is only taken
// when there is no signature to check.
func (c *Config) readSwitches(get func(k, def string) string) []error {
	var errs []error
	if on, ok := parseSwitch(get("AUTO_MIGRATE", "0")); ok {
		c.AutoMigrate = on
	} else {
		errs = append(errs, errors.New("AUTO_MIGRATE must be 1 or 0"))
	}
	if v := get("MERCADOPAGO_ACCEPT_IPN", ""); v == "" {
		c.MercadoPagoAcceptIPN = c.MercadoPagoSecret == ""
	} else if on, ok := parseSwitch(v); ok {
		c.MercadoPagoAcceptIPN = on
	} else {
		errs = append(errs, errors.New("MERCADOPAGO_ACCEPT_IPN must be 1 or 0"))
	}
	return errs
}

// parseSwitch reads 1/true/yes or 0/false/no, in any case; ok is false for
// anything else.
func parseSwitch(v string) (on, ok bool) {
	switch strings.ToLower(v) {
	case "1", "true", "yes":
		return true, true
	case "0", "false", "no":
		return false, true
	}
	return false, false
}

// readLimits reads the numbers and durations.
func (c *Config) readLimits(get func(k, def string) string) []error {
	var errs []error
	n, err := strconv.Atoi(get("RATE_LIMIT_PER_MINUTE", "120"))
	if err != nil || n < 0 {
		errs = append(errs, errors.New("RATE_LIMIT_PER_MINUTE must be a whole number ≥ 0 (0 disables)"))
	}
	c.RateLimitPerMinute = n
	n, err = strconv.Atoi(get("DB_MAX_CONNS", "16"))
	if err != nil || n < 2 {
		errs = append(errs, errors.New("DB_MAX_CONNS must be a whole number ≥ 2"))
	}
	c.DBMaxConns = n
	for _, d := range []struct {
		name string
		def  time.Duration
		dst  *time.Duration
	}{{"MERCADOPAGO_WEBHOOK_TOLERANCE", 10 * time.Minute, &c.MercadoPagoTolerance},
		{"MERCADOPAGO_HOLD_EXTENSION", time.Hour, &c.MercadoPagoHoldExtension}} {
		v, err := time.ParseDuration(get(d.name, d.def.String()))
		if err != nil || v <= 0 {
			errs = append(errs, fmt.Errorf("%s must be a positive duration such as 10m", d.name))
		}
		*d.dst = v
	}
	return errs
}

// readTrustedProxies reads TRUSTED_PROXIES, a comma-separated list of CIDRs.
func (c *Config) readTrustedProxies(raw string) []error {
	var errs []error
	for _, s := range strings.Split(raw, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %q is not a CIDR", s))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
	}
	return errs
}

// checkMetricsAddr checks METRICS_ADDR, when set: a listener of its own,
// so an address apart from ADDR.
func (c *Config) checkMetricsAddr() []error {
	if c.MetricsAddr == "" {
		return nil
	}
	if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil || !isPort(port) {
		return []error{fmt.Errorf("METRICS_ADDR must be host:port or :port, not %q", c.MetricsAddr)}
	}
	if c.MetricsAddr == c.Addr {
		return []error{errors.New("METRICS_ADDR must differ from ADDR")}
	}
	return nil
}

// requireSecrets makes up the missing secrets in development (listed in
// Generated) and, in production, reports them and the other settings
// production cannot run without.
func (c *Config) requireSecrets() []error {
	var errs []error
	for _, s := range []struct {
		name string
		val  *string
	}{{"SESSION_SECRET", &c.SessionSecret}, {"ICS_SALT", &c.ICSSalt}} {
		if *s.val != "" {
			continue
		}
		if c.Production() {
			errs = append(errs, fmt.Errorf("%s is required when ENV=production", s.name))
			continue
		}
		*s.val = randomHex(32)
		c.Generated = append(c.Generated, s.name)
	}
	if c.Production() && c.BaseURL == "" {
		errs = append(errs, errors.New("BASE_URL is required when ENV=production"))
	}
	if c.Production() && c.MercadoPagoAccess != "" && c.MercadoPagoSecret == "" {
		// Without it every notification is refused and no payment ever confirms a stay.
		errs = append(errs, errors.New("MERCADOPAGO_WEBHOOK_SECRET is required when MERCADOPAGO_ACCESS_TOKEN is set and ENV=production"))
	}
	return errs
}

func randomHex(n int) string { return RandomToken(n) }

func isPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n <= 65535
}

// Version is set at build time with -ldflags "-X alojamientos/internal/platform.Version=…".
var Version = "dev"
