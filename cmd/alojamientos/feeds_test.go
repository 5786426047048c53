package main

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
)

func TestFeedsAddAndSync(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	acc := dbtest.Account(t, pool)
	prop := dbtest.Property(t, pool, acc.ID)
	c := cli{env: map[string]string{"DATABASE_URL": pool.Config().ConnString(), "LOG_LEVEL": "error"}}

	start := time.Now().AddDate(0, 0, 20).Format("20060102")
	end := time.Now().AddDate(0, 0, 23).Format("20060102")
	var fail atomic.Bool
	ch := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if fail.Load() {
			http.Error(w, "boom", http.StatusBadGateway)
			return
		}
		_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x1\r\nDTSTART;VALUE=DATE:" + start +
			"\r\nDTEND;VALUE=DATE:" + end + "\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	}))
	defer ch.Close()
	secretURL := ch.URL + "/ical/abc.ics?s=topsecret"

	code, _, stderr := c.run(t, "feeds", "add", "--property", prop.Slug, "--channel", "myspace", "--url", secretURL)
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "--channel: Elegí un canal.")
	code, _, stderr = c.run(t, "feeds", "add", "--property", "no-such-slug", "--channel", "airbnb", "--url", secretURL)
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "no property with slug")

	code, out, stderr := c.run(t, "feeds", "add", "--property", prop.Slug, "--channel", "airbnb", "--url", secretURL)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "airbnb")
	require.NotContains(t, out, "topsecret", "the feed URL is a secret")
	code, _, stderr = c.run(t, "feeds", "add", "--property", prop.Slug, "--channel", "airbnb", "--url", secretURL)
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "--url: Ese calendario ya está agregado.")

	code, out, stderr = c.run(t, "feeds", "sync", "--property", prop.Slug)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "1 nuevos")
	var n int
	require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(*) FROM occupancy WHERE property_id = $1 AND kind = 'imported' AND active`, prop.ID).Scan(&n))
	require.Equal(t, 1, n)

	// A failing channel is reported, recorded, and still exit status 0.
	fail.Store(true)
	_, err := pool.Exec(t.Context(), `UPDATE channel_feeds SET sync_lease_until = NULL`)
	require.NoError(t, err)
	code, out, stderr = c.run(t, "feeds", "sync")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "FALLÓ")
	require.Contains(t, out, "HTTP 502")
	require.NotContains(t, out+stderr, "topsecret")
	require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(*) FROM occupancy WHERE property_id = $1 AND kind = 'imported' AND active`, prop.ID).Scan(&n))
	require.Equal(t, 1, n, "a failed sync keeps the previous nights")
}
