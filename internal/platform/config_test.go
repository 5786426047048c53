package platform

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func configEnv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

var configHex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

func TestLoadConfigDevelopmentDefaults(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(configEnv(nil))
	require.NoError(t, err)

	require.Equal(t, ":8080", c.Addr)
	require.Equal(t, "http://localhost:8080", c.BaseURL)
	require.Equal(t, "development", c.Env)
	require.False(t, c.Production())
	require.Equal(t, "info", c.LogLevel)
	require.Equal(t, 120, c.RateLimitPerMinute)
	require.Equal(t, 16, c.DBMaxConns)
	require.Equal(t, "data", c.DataDir)
	require.False(t, c.AutoMigrate)
	require.Empty(t, c.TrustedProxies)
	require.Empty(t, c.RedisURL)
	require.NotEmpty(t, c.DatabaseURL)
	require.Equal(t, "https://graph.facebook.com", c.WhatsAppAPIBaseURL)
	require.Equal(t, "https://api.mercadopago.com", c.MercadoPagoAPIBaseURL)
	require.Equal(t, "https://dolarapi.com/v1/dolares/{kind}", c.RatesURL)

	require.Regexp(t, configHex64, c.SessionSecret)
	require.Regexp(t, configHex64, c.ICSSalt)
	require.NotEqual(t, c.SessionSecret, c.ICSSalt)
	require.ElementsMatch(t, []string{"SESSION_SECRET", "ICS_SALT"}, c.Generated)

	c2, err := LoadConfig(configEnv(nil))
	require.NoError(t, err)
	require.NotEqual(t, c.SessionSecret, c2.SessionSecret, "generated secrets must be random")
}

func TestLoadConfigDevelopmentKeepsGivenSecrets(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(configEnv(map[string]string{"SESSION_SECRET": "s3cret", "ICS_SALT": " salt "}))
	require.NoError(t, err)
	require.Equal(t, "s3cret", c.SessionSecret)
	require.Equal(t, "salt", c.ICSSalt, "values are trimmed")
	require.Empty(t, c.Generated)

	c, err = LoadConfig(configEnv(map[string]string{"SESSION_SECRET": "s3cret"}))
	require.NoError(t, err)
	require.Equal(t, []string{"ICS_SALT"}, c.Generated)
}

func TestLoadConfigBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"default", nil, "http://localhost:8080"},
		{"from ADDR port", map[string]string{"ADDR": ":9090"}, "http://localhost:9090"},
		{"from ADDR host and port", map[string]string{"ADDR": "127.0.0.1:9000"}, "http://127.0.0.1:9000"},
		{"given", map[string]string{"BASE_URL": "https://reservas.example.com"}, "https://reservas.example.com"},
		{"trailing slashes trimmed", map[string]string{"BASE_URL": "https://reservas.example.com//"}, "https://reservas.example.com"},
		{"blank means unset", map[string]string{"BASE_URL": "   "}, "http://localhost:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := LoadConfig(configEnv(tt.env))
			require.NoError(t, err)
			require.Equal(t, tt.want, c.BaseURL)
		})
	}
}

func TestLoadConfigProduction(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"ENV":            "production",
		"SESSION_SECRET": "0123456789abcdef0123456789abcdef",
		"ICS_SALT":       "fedcba9876543210",
		"BASE_URL":       "https://reservas.example.com/",
	}
	c, err := LoadConfig(configEnv(env))
	require.NoError(t, err)
	require.True(t, c.Production())
	require.Equal(t, "https://reservas.example.com", c.BaseURL)
	require.Equal(t, "0123456789abcdef0123456789abcdef", c.SessionSecret)
	require.Equal(t, "fedcba9876543210", c.ICSSalt)
	require.Empty(t, c.Generated, "nothing is made up in production")
}

func TestLoadConfigProductionMissing(t *testing.T) {
	t.Parallel()
	full := map[string]string{
		"ENV":            "production",
		"SESSION_SECRET": "0123456789abcdef0123456789abcdef",
		"ICS_SALT":       "fedcba9876543210",
		"BASE_URL":       "https://reservas.example.com",
	}
	tests := []struct {
		name    string
		missing []string
	}{
		{"all three", []string{"SESSION_SECRET", "ICS_SALT", "BASE_URL"}},
		{"session secret", []string{"SESSION_SECRET"}},
		{"ics salt", []string{"ICS_SALT"}},
		{"base url", []string{"BASE_URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{}
			for k, v := range full {
				env[k] = v
			}
			for _, k := range tt.missing {
				delete(env, k)
			}
			c, err := LoadConfig(configEnv(env))
			require.Error(t, err)
			for _, k := range []string{"SESSION_SECRET", "ICS_SALT", "BASE_URL"} {
				if configContains(tt.missing, k) {
					require.Contains(t, err.Error(), k)
				} else {
					require.NotContains(t, err.Error(), k)
				}
			}
			require.Empty(t, c.Generated, "no secret is generated in production")
		})
	}
}

func configContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestLoadConfigInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		env   map[string]string
		names string // the variable the error must name
	}{
		{"rate limit not a number", map[string]string{"RATE_LIMIT_PER_MINUTE": "abc"}, "RATE_LIMIT_PER_MINUTE"},
		{"rate limit negative", map[string]string{"RATE_LIMIT_PER_MINUTE": "-1"}, "RATE_LIMIT_PER_MINUTE"},
		{"rate limit fractional", map[string]string{"RATE_LIMIT_PER_MINUTE": "1.5"}, "RATE_LIMIT_PER_MINUTE"},
		{"trusted proxies bad prefix length", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}, "TRUSTED_PROXIES"},
		{"trusted proxies not a CIDR", map[string]string{"TRUSTED_PROXIES": "proxy.example.com"}, "TRUSTED_PROXIES"},
		{"trusted proxies one bad among good", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, nope"}, "TRUSTED_PROXIES"},
		{"env unknown", map[string]string{"ENV": "staging"}, "ENV must"},
		{"env abbreviated", map[string]string{"ENV": "prod"}, "ENV must"},
		{"log level unknown", map[string]string{"LOG_LEVEL": "verbose"}, "LOG_LEVEL"},
		{"log level trace", map[string]string{"LOG_LEVEL": "trace"}, "LOG_LEVEL"},
		{"auto migrate", map[string]string{"AUTO_MIGRATE": "maybe"}, "AUTO_MIGRATE"},
		{"db max conns too small", map[string]string{"DB_MAX_CONNS": "1"}, "DB_MAX_CONNS"},
		{"db max conns not a number", map[string]string{"DB_MAX_CONNS": "many"}, "DB_MAX_CONNS"},
		{"rates url without kind", map[string]string{"RATES_URL": "https://dolarapi.com/v1/dolares/blue"}, "RATES_URL"},
		{"rates url not http", map[string]string{"RATES_URL": "file:///etc/{kind}"}, "RATES_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadConfig(configEnv(tt.env))
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.names)
		})
	}
}

func TestLoadConfigReportsEveryError(t *testing.T) {
	t.Parallel()
	_, err := LoadConfig(configEnv(map[string]string{
		"ENV":                   "staging",
		"LOG_LEVEL":             "loud",
		"RATE_LIMIT_PER_MINUTE": "x",
		"TRUSTED_PROXIES":       "10.0.0.0/99",
	}))
	require.Error(t, err)
	msg := err.Error()
	for _, name := range []string{"ENV must", "LOG_LEVEL", "RATE_LIMIT_PER_MINUTE", "TRUSTED_PROXIES"} {
		require.Contains(t, msg, name)
	}
	require.GreaterOrEqual(t, strings.Count(msg, "\n"), 3, "one line per problem: %q", msg)
}

func TestLoadConfigValidValues(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(configEnv(map[string]string{
		"ADDR":                  "127.0.0.1:9000",
		"RATE_LIMIT_PER_MINUTE": "0",
		"DB_MAX_CONNS":          "2",
		"LOG_LEVEL":             "debug",
		"AUTO_MIGRATE":          "true",
		"REDIS_URL":             "redis://127.0.0.1:6379/0",
		"DATA_DIR":              "/var/lib/alojamientos",
		"WHATSAPP_API_BASE_URL": "http://127.0.0.1:9999/",
	}))
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:9000", c.Addr)
	require.Equal(t, 0, c.RateLimitPerMinute, "0 disables the limit")
	require.Equal(t, 2, c.DBMaxConns)
	require.Equal(t, "debug", c.LogLevel)
	require.True(t, c.AutoMigrate)
	require.Equal(t, "redis://127.0.0.1:6379/0", c.RedisURL)
	require.Equal(t, "/var/lib/alojamientos", c.DataDir)
	require.Equal(t, "http://127.0.0.1:9999", c.WhatsAppAPIBaseURL)

	for _, lvl := range []string{"debug", "info", "warn", "error"} {
		c, err := LoadConfig(configEnv(map[string]string{"LOG_LEVEL": lvl}))
		require.NoError(t, err, lvl)
		require.Equal(t, lvl, c.LogLevel)
	}
	for v, want := range map[string]bool{"1": true, "true": true, "yes": true, "TRUE": true, "0": false, "false": false, "no": false, "": false} {
		c, err := LoadConfig(configEnv(map[string]string{"AUTO_MIGRATE": v}))
		require.NoError(t, err, v)
		require.Equal(t, want, c.AutoMigrate, v)
	}
}

func TestLoadConfigTrustedProxies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want []string
	}{
		{"", nil},
		{"10.0.0.0/8, 192.168.1.0/24", []string{"10.0.0.0/8", "192.168.1.0/24"}},
		{"10.0.0.0/8,192.168.1.0/24,", []string{"10.0.0.0/8", "192.168.1.0/24"}},
		{"10.1.2.3/8", []string{"10.0.0.0/8"}}, // masked to the network
		{"2001:db8::/32, 127.0.0.1/32", []string{"2001:db8::/32", "127.0.0.1/32"}},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			c, err := LoadConfig(configEnv(map[string]string{"TRUSTED_PROXIES": tt.raw}))
			require.NoError(t, err)
			var want []netip.Prefix
			for _, s := range tt.want {
				want = append(want, netip.MustParsePrefix(s))
			}
			require.Equal(t, want, c.TrustedProxies)
		})
	}
	c, err := LoadConfig(configEnv(map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.0/24"}))
	require.NoError(t, err)
	require.True(t, c.TrustedProxies[0].Contains(netip.MustParseAddr("10.20.30.40")))
	require.True(t, c.TrustedProxies[1].Contains(netip.MustParseAddr("192.168.1.77")))
	require.False(t, c.TrustedProxies[1].Contains(netip.MustParseAddr("192.168.2.1")))
}

func TestLoadConfigMetrics(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(configEnv(map[string]string{"METRICS_TOKEN": "tok", "METRICS_ADDR": "127.0.0.1:9100"}))
	require.NoError(t, err)
	require.Equal(t, "tok", c.MetricsToken)
	require.Equal(t, "127.0.0.1:9100", c.MetricsAddr)

	c, err = LoadConfig(configEnv(map[string]string{"METRICS_ADDR": ":9100"}))
	require.NoError(t, err)
	require.Equal(t, ":9100", c.MetricsAddr)

	for _, bad := range []string{"9100", "localhost", "http://x:9100/"} {
		_, err = LoadConfig(configEnv(map[string]string{"METRICS_ADDR": bad}))
		require.ErrorContains(t, err, "METRICS_ADDR", bad)
	}
	_, err = LoadConfig(configEnv(map[string]string{"ADDR": ":8080", "METRICS_ADDR": ":8080"}))
	require.ErrorContains(t, err, "METRICS_ADDR must differ from ADDR")
}
