package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/web/webtest"
)

func TestHealthICal(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	var h struct {
		Checks map[string]map[string]any `json:"checks"`
	}
	s.Do(t, "GET", "/healthz", nil, nil).JSON(t, &h)
	require.Equal(t, "unconfigured", h.Checks["ical"]["status"])

	p := s.Property(t)
	f, err := db.Q(s.Pool).CreateFeed(ctx, dbq.CreateFeedParams{PropertyID: p.ID, AccountID: s.Account.ID,
		Channel: "airbnb", Url: "https://example.invalid/a.ics", IntervalMinutes: 10})
	require.NoError(t, err)
	set := func(ago time.Duration) {
		_, err := s.Pool.Exec(ctx, `UPDATE channel_feeds SET last_success_at = $2 WHERE id = $1`, f.ID, s.Clock.Now().Add(-ago))
		require.NoError(t, err)
	}
	for _, tc := range []struct {
		ago  time.Duration
		want string
	}{{5 * time.Minute, "ok"}, {30 * time.Minute, "warning"}, {2 * time.Hour, "error"}} {
		set(tc.ago)
		s.Do(t, "GET", "/healthz", nil, nil).JSON(t, &h)
		require.Equal(t, tc.want, h.Checks["ical"]["status"], "last success %s ago", tc.ago)
	}
	m := string(s.Do(t, "GET", "/metrics", nil, nil).Body)
	require.Contains(t, m, `ical_last_sync_age_minutes{property="`+p.Slug+`"} 120`)
	require.Contains(t, m, "ical_sync_errors_total 0")
}

// TestHealthICalFailingFeedWarnsAtOnce: a feed whose last attempt failed is
// a warning at once, not after twice its interval; the next success clears it.
func TestHealthICalFailingFeedWarnsAtOnce(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	var fails atomic.Bool
	ch := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if fails.Load() {
			http.Error(w, "oops", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"))
	}))
	t.Cleanup(ch.Close)
	f, err := db.Q(s.Pool).CreateFeed(t.Context(), dbq.CreateFeedParams{PropertyID: p.ID, AccountID: s.Account.ID,
		Channel: "booking", Url: ch.URL + "/cal.ics", IntervalMinutes: 10})
	require.NoError(t, err)
	health := func() map[string]any {
		var h struct {
			Checks map[string]map[string]any `json:"checks"`
		}
		s.Do(t, "GET", "/healthz", nil, nil).JSON(t, &h)
		return h.Checks["ical"]
	}
	sync := func() {
		s.Clock.Advance(time.Minute)
		_, err := s.ICal.SyncFeed(t.Context(), f.ID)
		require.NoError(t, err)
	}
	oe, op := s.User(t, "owner")
	owner := s.Login(t, oe, op)
	page := fmt.Sprintf("/admin/properties/%d/feeds", p.ID)

	// A new feed whose first attempt fails.
	fails.Store(true)
	sync()
	check := health()
	require.Equal(t, "warning", check["status"])
	prop := check["properties"].(map[string]any)[p.Slug].(map[string]any)
	require.Equal(t, "warning", prop["status"])
	require.EqualValues(t, 1, prop["failing_feeds"])

	fails.Store(false)
	sync()
	require.Equal(t, "ok", health()["status"])
	require.Contains(t, string(owner.Get(page).Body), "Al día")

	// A minute after a success, the next attempt fails: warning now.
	fails.Store(true)
	sync()
	require.Equal(t, "warning", health()["status"])
	body := html.UnescapeString(string(owner.Get(page).Body))
	require.Contains(t, body, "Falló el último intento")
	require.Contains(t, body, "El canal respondió HTTP 500.")
}
