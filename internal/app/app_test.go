package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/app"
	"alojamientos/internal/ical"
	"alojamientos/internal/platform"
)

func config(t *testing.T, env map[string]string) platform.Config {
	t.Helper()
	cfg, err := platform.LoadConfig(func(k string) string { return env[k] })
	require.NoError(t, err)
	cfg.DataDir = t.TempDir()
	return cfg
}

// The app Build returns serves real requests: it connected to the
// database itself, and /healthz and /readyz see it.
func TestBuildServesRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := config(t, map[string]string{"ENV": "development", "DATABASE_URL": dbtest.URLFor(dbtest.NewDatabase(t))})
	a, err := app.Build(ctx, cfg, app.Options{})
	require.NoError(t, err)
	t.Cleanup(a.Close)
	require.NoError(t, a.Start(ctx))

	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var health struct {
		Status string                    `json:"status"`
		Checks map[string]map[string]any `json:"checks"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &health), rec.Body.String())
	require.Equal(t, "ok", health.Checks["database"]["status"], rec.Body.String())

	rec = httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	// Stop drains: /readyz sends traffic elsewhere.
	require.NoError(t, a.Stop(ctx))
	rec = httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Equal(t, "draining", rec.Body.String())
}

// The CLI's light build has the services and no HTTP side.
func TestBuildNoHTTP(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	a, err := app.Build(context.Background(), config(t, map[string]string{"ENV": "development"}),
		app.Options{Pool: pool, NoHTTP: true})
	require.NoError(t, err)
	a.Close()
	require.Nil(t, a.Handler())
	require.Nil(t, a.Jobs())
	require.Same(t, a.Booking(), a.MercadoPago().Booking)
	require.Same(t, a.Booking(), a.WhatsApp().Booking)
	// Close leaves a pool it was given open.
	require.NoError(t, pool.Ping(context.Background()))
}

// Connect says what to do when PostgreSQL is not there.
func TestConnectExplains(t *testing.T) {
	t.Parallel()
	cfg := config(t, map[string]string{"ENV": "development",
		"DATABASE_URL": "postgres://someone:secret@127.0.0.1:1/nothing?sslmode=disable"})
	_, err := app.Build(context.Background(), cfg, app.Options{})
	require.Error(t, err)
	require.Contains(t, err.Error(), "cannot reach PostgreSQL at postgres://someone:xxxxx@127.0.0.1:1/nothing")
	require.Contains(t, err.Error(), "apt-get install postgresql")
	require.NotContains(t, err.Error(), "secret")
}

// Stop lets a running job finish, even after the context Start was given
// (serve's signal context) is cancelled: here a channel sync whose
// calendar answers only once Stop is waiting.
func TestStopDrainsWorkers(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	started, release := make(chan struct{}), make(chan struct{})
	channel := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		select {
		case <-release:
		case <-r.Context().Done(): // the sync was cancelled
			return
		}
		w.Header().Set("Content-Type", "text/calendar")
		_, _ = w.Write([]byte(ical.Render("channel", nil)))
	}))
	t.Cleanup(channel.Close)
	acc := dbtest.Account(t, pool)
	p := dbtest.Property(t, pool, acc.ID)
	feed, err := dbq.New(pool).CreateFeed(context.Background(), dbq.CreateFeedParams{Channel: "airbnb",
		Url: channel.URL + "/calendar.ics", IntervalMinutes: 10, PropertyID: p.ID, AccountID: acc.ID})
	require.NoError(t, err)

	a, err := app.Build(context.Background(), config(t, map[string]string{"ENV": "development"}),
		app.Options{Pool: pool, Workers: true, NoSweep: true, JobPoll: 50 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(a.Close)
	startCtx, signal := context.WithCancel(context.Background())
	require.NoError(t, a.Start(startCtx))
	_, err = a.Jobs().Insert(context.Background(), ical.SyncDueArgs{}, ical.SyncDueOpts())
	require.NoError(t, err)
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("the sync job did not start")
	}

	signal()
	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		stopped <- a.Stop(ctx)
	}()
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned while a job was running: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	require.NoError(t, <-stopped)

	var lastSuccess *time.Time
	var lastError string
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT last_success_at, last_error FROM channel_feeds WHERE id = $1`, feed.ID).Scan(&lastSuccess, &lastError))
	require.NotNil(t, lastSuccess, "the sync was cut short: %q", lastError)
	var state string
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT state FROM river_job WHERE kind = 'ical.sync_due'`).Scan(&state))
	require.Equal(t, "completed", state)
}
