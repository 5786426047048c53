package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
	f, err := dbq.New(s.Pool).CreateFeed(ctx, dbq.CreateFeedParams{PropertyID: p.ID, AccountID: s.Account.ID,
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
