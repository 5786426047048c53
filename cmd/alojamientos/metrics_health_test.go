package main

import (
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/platform"
)

// TestServeExportsHealthMetrics: the real serve command exports what the
// PostgreSQLDown, RedisDown and job backlog alerts read.
func TestServeExportsHealthMetrics(t *testing.T) {
	t.Parallel()
	redisURL := os.Getenv("TEST_REDIS_URL")
	if redisURL == "" {
		redisURL = "redis://127.0.0.1:6379/13"
	}
	pool := dbtest.New(t)
	addr := freeAddr(t)
	cfg, err := platform.LoadConfig(func(k string) string {
		return map[string]string{"DATABASE_URL": pool.Config().ConnString(), "ADDR": addr, "DATA_DIR": t.TempDir(),
			"REDIS_URL": redisURL}[k]
	})
	require.NoError(t, err)
	stop := startServe(t, cfg, platform.SystemClock{})
	defer stop()

	resp, err := http.Get("http://" + addr + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	m := string(b)
	require.Contains(t, m, "\ndb_up 1\n")
	require.Contains(t, m, "\nredis_up 1\n", "`make test` starts Redis")
	for _, state := range []string{"available", "retryable", "scheduled"} {
		require.Contains(t, m, `river_jobs_backlog{state="`+state+`"}`)
		require.Contains(t, m, `river_jobs_oldest_due_seconds{state="`+state+`"}`)
	}
}
