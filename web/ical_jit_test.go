package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// TestJustInTimeRefresh: before a hold, a stale channel calendar is read
// again; a night the channel just sold is refused, and a channel that does
// not answer in time does not block the booking but is recorded on it.
func TestJustInTimeRefresh(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 10)
	out := in.AddDate(0, 0, 3)

	var slow atomic.Bool
	ch := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slow.Load() {
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
				return
			}
		}
		_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:sold\r\nDTSTART;VALUE=DATE:" +
			in.Format("20060102") + "\r\nDTEND;VALUE=DATE:" + out.Format("20060102") +
			"\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	}))
	t.Cleanup(ch.Close)
	_, err := db.Q(s.Pool).CreateFeed(ctx, dbq.CreateFeedParams{PropertyID: p.ID, AccountID: s.Account.ID,
		Channel: "airbnb", Url: ch.URL + "/a.ics", IntervalMinutes: 10})
	require.NoError(t, err)

	// Never synced: the hold first reads Airbnb, which sold those nights.
	r := s.Do(t, "POST", prereservePath, holdBody(p.ID, in, out), nil)
	require.Equal(t, 409, r.Status, string(r.Body))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM occupancy WHERE property_id = $1 AND kind = 'imported' AND active`, p.ID))

	// Later the channel stops answering: the guest waits ~2 s, gets the hold, and the risk is recorded on it.
	s.Clock.Advance(booking.FeedFreshness + time.Minute)
	slow.Store(true)
	later := in.AddDate(0, 0, 20)
	start := time.Now()
	r = s.Do(t, "POST", prereservePath, holdBody(p.ID, later, later.AddDate(0, 0, 2)), nil)
	require.Equal(t, 201, r.Status, string(r.Body))
	require.Less(t, time.Since(start), 4*time.Second, "the guest does not wait for a slow channel")
	var got map[string]any
	r.JSON(t, &got)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM audit_log a JOIN reservations r ON r.id = a.reservation_id
		WHERE r.code = $1 AND a.action = 'feed_stale' AND a.detail->>'detail' LIKE '%Airbnb%'`, got["code"]))

	// A payment confirming the stay refreshes again first; the channel still
	// does not answer, so the confirmation goes through and the risk is recorded again.
	s.Clock.Advance(10 * time.Minute)
	res, err := s.Booking.Get(ctx, got["code"].(string))
	require.NoError(t, err)
	start = time.Now()
	_, err = s.Booking.Transition(ctx, res.ID, booking.ActionConfirm, "mercadopago", "")
	require.NoError(t, err)
	require.Less(t, time.Since(start), 4*time.Second)
	require.Equal(t, 2, s.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'feed_stale'`, res.ID))
}
