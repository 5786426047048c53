package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/web/webtest"
)

// TestICalCollisionIsShown: a channel selling nights we hold becomes a
// conflict on the dashboard home, on the calendar and in the reservation's history.
func TestICalCollisionIsShown(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	d := s.Today().AddDate(0, 0, 5)
	res := s.Hold(t, p.ID, d, d.AddDate(0, 0, 3))
	body := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:z\r\nDTSTART;VALUE=DATE:" + d.AddDate(0, 0, 1).Format("20060102") +
		"\r\nDTEND;VALUE=DATE:" + d.AddDate(0, 0, 4).Format("20060102") + "\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	ch := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) }))
	t.Cleanup(ch.Close)
	f, err := db.Q(s.Pool).CreateFeed(ctx, dbq.CreateFeedParams{PropertyID: p.ID, AccountID: s.Account.ID,
		Channel: "vrbo", Url: ch.URL + "/v.ics", IntervalMinutes: 10})
	require.NoError(t, err)
	r, err := s.ICal.SyncFeed(ctx, f.ID)
	require.NoError(t, err)
	require.Equal(t, 1, r.Conflicts)

	oe, op := s.User(t, "owner")
	owner := s.Login(t, oe, op)
	home := html.UnescapeString(string(owner.Get("/admin/").Body))
	require.Contains(t, home, "Un canal vendió noches ocupadas")
	require.Contains(t, home, "Vrbo · Reserva ocupa del")
	cal := html.UnescapeString(string(owner.Get("/admin/calendar").Body))
	require.Contains(t, cal, "Un canal vendió noches que ya estaban ocupadas")
	require.Contains(t, cal, "se cruza con la reserva "+res.Code)
	show := html.UnescapeString(string(owner.Get("/admin/reservations/" + res.Code).Body))
	require.Contains(t, show, "Vrbo · Reserva ocupa del")
}
