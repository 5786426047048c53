package platform_test

import (
	"context"
	"net"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/platform"
)

// samples gathers the registry and returns "name{label=value}" → value.
func samples(t *testing.T, m *platform.Metrics) map[string]float64 {
	t.Helper()
	mfs, err := m.Registry.Gather()
	require.NoError(t, err)
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, s := range mf.GetMetric() {
			key := mf.GetName()
			for _, l := range s.GetLabel() {
				key += "{" + l.GetName() + "=" + l.GetValue() + "}"
			}
			out[key] = value(mf.GetType(), s)
		}
	}
	return out
}

func value(typ dto.MetricType, s *dto.Metric) float64 {
	switch typ {
	case dto.MetricType_GAUGE:
		return s.GetGauge().GetValue()
	case dto.MetricType_COUNTER:
		return s.GetCounter().GetValue()
	}
	return 0
}

// deadAddr is a loopback port nothing listens on.
func deadAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func TestHealthCollectorUpAndBacklog(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	// Two jobs waiting to run, one retry past its time, one scheduled in the
	// future (not a backlog), one running and one completed (neither counts).
	_, err := pool.Exec(ctx, `
		INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, attempted_at, finalized_at) VALUES
		  ('available', now() - interval '10 minutes', '{}', 'test.job', 25, NULL, NULL),
		  ('available', now(), '{}', 'test.job', 25, NULL, NULL),
		  ('retryable', now() - interval '1 minute', '{}', 'test.job', 25, now(), NULL),
		  ('scheduled', now() + interval '1 hour', '{}', 'test.job', 25, NULL, NULL),
		  ('running', now() - interval '1 minute', '{}', 'test.job', 25, now(), NULL),
		  ('completed', now() - interval '1 hour', '{}', 'test.job', 25, now(), now())`)
	require.NoError(t, err)

	m := platform.NewMetrics()
	clock := platform.NewTestClock(time.Now())
	m.RegisterHealth(pool, platform.NewLocalShared(clock), clock)
	got := samples(t, m)
	require.Equal(t, 1.0, got["db_up"])
	require.NotContains(t, got, "redis_up", "without Redis there is no redis_up to alert on")
	require.Equal(t, 2.0, got["river_jobs_backlog{state=available}"])
	require.Equal(t, 1.0, got["river_jobs_backlog{state=retryable}"])
	require.Equal(t, 0.0, got["river_jobs_backlog{state=scheduled}"], "a future job is not late")
	require.InDelta(t, 600, got["river_jobs_oldest_due_seconds{state=available}"], 60)
	require.Contains(t, got, "river_jobs_oldest_due_seconds{state=scheduled}")

	// Scrapes within the cache window reuse the measurement: the database
	// is not asked again.
	_, err = pool.Exec(ctx, `INSERT INTO river_job (state, args, kind) VALUES ('available', '{}', 'test.job')`)
	require.NoError(t, err)
	require.Equal(t, 2.0, samples(t, m)["river_jobs_backlog{state=available}"])
}

// Every instance reports a feed's true age at scrape time, not only the
// leader that syncs it.
func TestHealthCollectorFeedAge(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	clock := platform.NewTestClock(time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC))
	acc := dbtest.Account(t, pool)
	p := dbtest.Property(t, pool, acc.ID)
	_, err := pool.Exec(context.Background(), `INSERT INTO channel_feeds (account_id, property_id, channel, url, last_success_at)
		VALUES ($1, $2, 'airbnb', 'https://example.invalid/a.ics', $3)`, acc.ID, p.ID, clock.Now().Add(-90*time.Minute))
	require.NoError(t, err)

	m := platform.NewMetrics()
	m.RegisterHealth(pool, nil, clock)
	key := "ical_last_sync_age_minutes{property=" + p.Slug + "}"
	require.Eventually(t, func() bool { return samples(t, m)[key] == 90 }, 5*time.Second, 20*time.Millisecond)
}

func TestHealthCollectorDown(t *testing.T) {
	t.Parallel()
	pc, err := pgxpool.ParseConfig("postgres://postgres@" + deadAddr(t) + "/none?sslmode=disable&connect_timeout=1")
	require.NoError(t, err)
	pool, err := pgxpool.NewWithConfig(context.Background(), pc) // lazy: no connection yet
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	client, err := platform.NewRedisClient("redis://" + deadAddr(t) + "/0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })

	m := platform.NewMetrics()
	m.RegisterHealth(pool, &platform.RedisShared{Client: client, Prefix: "test:"}, platform.SystemClock{})
	got := samples(t, m)
	require.Equal(t, 0.0, got["db_up"])
	require.Equal(t, 0.0, got["redis_up"])
	for k := range got {
		require.NotContains(t, k, "river_jobs_", "no backlog figure without a database")
	}
}

func TestHealthCollectorRedisUp(t *testing.T) {
	t.Parallel()
	url := "redis://127.0.0.1:6379/13"
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		url = u
	}
	client, err := platform.NewRedisClient(url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	shared := &platform.RedisShared{Client: client, Prefix: "test:"}
	if err := shared.Ping(context.Background()); err != nil {
		t.Fatalf("Redis at %s: %v (`make test` starts it)", url, err)
	}
	m := platform.NewMetrics()
	m.RegisterHealth(dbtest.New(t), shared, platform.SystemClock{})
	got := samples(t, m)
	require.Equal(t, 1.0, got["redis_up"])
	require.Equal(t, 1.0, got["db_up"])
}
