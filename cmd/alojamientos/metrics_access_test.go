package main

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/platform"
)

func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// In production /metrics is never public: with METRICS_ADDR it is served on
// that address only, and with neither METRICS_ADDR nor METRICS_TOKEN it is
// not served at all.
func TestServeMetricsNotPublicInProduction(t *testing.T) {
	t.Parallel()
	production := func(t *testing.T, extra map[string]string) platform.Config {
		pool := dbtest.New(t)
		env := map[string]string{"ENV": "production", "DATABASE_URL": pool.Config().ConnString(), "ADDR": freeAddr(t),
			"DATA_DIR": t.TempDir(), "SESSION_SECRET": "0123456789abcdef0123456789abcdef", "ICS_SALT": "fedcba9876543210",
			"BASE_URL": "https://reservas.example.com"}
		for k, v := range extra {
			env[k] = v
		}
		cfg, err := platform.LoadConfig(func(k string) string { return env[k] })
		require.NoError(t, err)
		return cfg
	}

	t.Run("METRICS_ADDR", func(t *testing.T) {
		t.Parallel()
		metricsAddr := freeAddr(t)
		cfg := production(t, map[string]string{"METRICS_ADDR": metricsAddr})
		stop := startServe(t, cfg, platform.SystemClock{})
		defer stop()

		status, body := getBody(t, "http://"+cfg.Addr+"/metrics")
		require.Equal(t, http.StatusNotFound, status, "not on the public listener")
		require.NotContains(t, body, "db_up")
		status, body = getBody(t, "http://"+metricsAddr+"/metrics")
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, body, "\ndb_up 1\n")
		require.Contains(t, body, `reservations_created_total{channel="direct"} 0`)
		status, _ = getBody(t, "http://"+metricsAddr+"/admin/")
		require.Equal(t, http.StatusNotFound, status, "the metrics listener serves nothing else")
	})

	t.Run("neither", func(t *testing.T) {
		t.Parallel()
		cfg := production(t, nil)
		stop := startServe(t, cfg, platform.SystemClock{})
		defer stop()
		status, body := getBody(t, "http://"+cfg.Addr+"/metrics")
		require.Equal(t, http.StatusNotFound, status)
		require.NotContains(t, body, "db_up")
	})
}
