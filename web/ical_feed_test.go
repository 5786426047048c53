package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/ical"
	"alojamientos/web/webtest"
)

func feedNights(t *testing.T, body []byte) string {
	t.Helper()
	c, err := ical.Parse(body, time.UTC)
	if err != nil {
		t.Fatalf("our parser cannot read our feed: %v\n%s", err, body)
	}
	var out []string
	for _, e := range c.Events {
		out = append(out, e.Start.Format("2006-01-02")+".."+e.End.Format("2006-01-02")+" "+e.Summary)
	}
	return strings.Join(out, "; ")
}

func span(a, b time.Time, summary string) string {
	return a.Format("2006-01-02") + ".." + b.Format("2006-01-02") + " " + summary
}

func TestICalExport(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	other := s.Property(t)
	d := func(n int) time.Time { return s.Today().AddDate(0, 0, n) }
	path := "/ical/" + p.IcsToken + ".ics"

	// An empty calendar is still a calendar.
	r := s.Do(t, "GET", path, nil, nil)
	if r.Status != 200 || r.Header.Get("Content-Type") != "text/calendar; charset=utf-8" || feedNights(t, r.Body) != "" {
		t.Fatalf("empty feed: %d %q %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	s.Hold(t, p.ID, d(5), d(8))
	if _, err := db.Q(s.Pool).CreateBlock(ctx, dbq.CreateBlockParams{PropertyID: p.ID, AccountID: s.Account.ID,
		CheckIn: d(10), CheckOut: d(12), Note: "Pintura", Actor: "test", Now: s.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	want := span(d(5), d(8), "Reservado") + "; " + span(d(10), d(12), "No disponible")
	// The empty feed above is cached; the change reaches the cache by NOTIFY a moment after the commit.
	r = s.GetUntil(t, path, nil, func(r webtest.Response) bool { return feedNights(t, r.Body) == want })
	if r.Status != 200 || feedNights(t, r.Body) != want {
		t.Fatalf("feed %d: %s, want %s", r.Status, feedNights(t, r.Body), want)
	}
	body := string(r.Body)
	for _, secret := range []string{"Huésped", "5491155551234", "Pintura"} {
		if strings.Contains(body, secret) {
			t.Errorf("feed leaks %q", secret)
		}
	}
	etag, lastMod := r.Header.Get("ETag"), r.Header.Get("Last-Modified")
	if etag == "" || lastMod == "" {
		t.Fatalf("validators: %q %q", etag, lastMod)
	}

	// Same nights: same bytes, same ETag; 304 on either validator; HEAD has headers only.
	if r2 := s.Do(t, "GET", path, nil, nil); string(r2.Body) != body || r2.Header.Get("ETag") != etag {
		t.Fatal("output not deterministic")
	}
	if r2 := s.Do(t, "GET", path, nil, map[string]string{"If-None-Match": etag}); r2.Status != 304 || len(r2.Body) != 0 {
		t.Fatalf("If-None-Match: %d", r2.Status)
	}
	if r2 := s.Do(t, "GET", path, nil, map[string]string{"If-Modified-Since": lastMod}); r2.Status != 304 {
		t.Fatalf("If-Modified-Since: %d", r2.Status)
	}
	if r2 := s.Do(t, "GET", path, nil, map[string]string{"If-None-Match": `"other"`}); r2.Status != 200 {
		t.Fatalf("stale If-None-Match: %d", r2.Status)
	}
	if r2 := s.Do(t, "HEAD", path, nil, nil); r2.Status != 200 || len(r2.Body) != 0 ||
		r2.Header.Get("ETag") != etag || r2.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Fatalf("HEAD: %d %q %q", r2.Status, r2.Header.Get("ETag"), r2.Header.Get("Content-Length"))
	}

	// Another property's nights do not change this feed.
	s.Hold(t, other.ID, d(5), d(8))
	if r2 := s.Do(t, "GET", path, nil, map[string]string{"If-None-Match": etag}); r2.Status != 304 {
		t.Fatalf("unrelated change moved the ETag: %d", r2.Status)
	}

	// A change of nights changes the ETag at once (the cache hears it).
	h := s.Hold(t, p.ID, d(20), d(21))
	r2 := s.GetUntil(t, path, map[string]string{"If-None-Match": etag}, func(r webtest.Response) bool { return r.Status == 200 })
	if r2.Status != 200 || r2.Header.Get("ETag") == etag || !strings.Contains(feedNights(t, r2.Body), span(d(20), d(21), "Reservado")) {
		t.Fatalf("after a hold: %d %q", r2.Status, feedNights(t, r2.Body))
	}
	etag2 := r2.Header.Get("ETag")
	if _, err := s.Booking.Transition(ctx, h.ID, booking.ActionCancel, "test", ""); err != nil {
		t.Fatal(err)
	}
	r3 := s.GetUntil(t, path, nil, func(r webtest.Response) bool { return r.Header.Get("ETag") != etag2 })
	if r3.Header.Get("ETag") == etag2 || feedNights(t, r3.Body) != want || r3.Header.Get("ETag") != etag {
		t.Fatalf("after cancel: %q (etag %s, first %s)", feedNights(t, r3.Body), r3.Header.Get("ETag"), etag)
	}

	// Unknown tokens 404; a rotated token 404s and the new one works.
	if r := s.Do(t, "GET", "/ical/"+strings.Repeat("0", 64)+".ics", nil, nil); r.Status != 404 {
		t.Fatalf("unknown token: %d", r.Status)
	}
	if _, err := db.Q(s.Pool).RotatePropertyTokens(ctx, dbq.RotatePropertyTokensParams{PropertyID: p.ID, AccountID: s.Account.ID}); err != nil {
		t.Fatal(err)
	}
	if r := s.GetUntil(t, path, nil, func(r webtest.Response) bool { return r.Status == 404 }); r.Status != 404 {
		t.Fatalf("rotated token still served: %d", r.Status)
	}
	var token string
	if err := s.Pool.QueryRow(ctx, `SELECT ics_token FROM properties WHERE id = $1`, p.ID).Scan(&token); err != nil {
		t.Fatal(err)
	}
	if r := s.Do(t, "GET", "/ical/"+token+".ics", nil, nil); r.Status != 200 || feedNights(t, r.Body) != want {
		t.Fatalf("new token: %d %s", r.Status, r.Body)
	}
}

// TestICalChannelFeeds: each channel's feed leaves out what came from it,
// so Airbnb sees Booking.com's stays and ours, never its own back.
func TestICalChannelFeeds(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t)
	d := func(n int) time.Time { return s.Today().AddDate(0, 0, n) }
	feedOf := func(channel string, from, to int) {
		body := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:" + channel + "-1\r\nDTSTART;VALUE=DATE:" +
			d(from).Format("20060102") + "\r\nDTEND;VALUE=DATE:" + d(to).Format("20060102") + "\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) }))
		t.Cleanup(srv.Close)
		f, err := db.Q(s.Pool).CreateFeed(ctx, dbq.CreateFeedParams{PropertyID: p.ID, AccountID: s.Account.ID,
			Channel: channel, Url: srv.URL + "/x.ics", IntervalMinutes: 10})
		if err != nil {
			t.Fatal(err)
		}
		if r, err := s.ICal.SyncFeed(ctx, f.ID); err != nil || r.Added != 1 {
			t.Fatalf("sync %s: %+v %v", channel, r, err)
		}
	}
	feedOf("airbnb", 3, 5)
	feedOf("booking", 7, 9)
	s.Hold(t, p.ID, d(12), d(14))
	if err := db.Q(s.Pool).EnsureExportTokens(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	tokens, err := db.Q(s.Pool).ListExportTokens(ctx, p.ID)
	if err != nil || len(tokens) != 4 {
		t.Fatalf("tokens %v %v", tokens, err)
	}
	byChannel := map[string]string{}
	for _, tk := range tokens {
		byChannel[tk.Channel] = tk.Token
	}
	full := feedNights(t, s.Do(t, "GET", "/ical/"+p.IcsToken+".ics", nil, nil).Body)
	if want := span(d(3), d(5), "No disponible") + "; " + span(d(7), d(9), "No disponible") + "; " + span(d(12), d(14), "Reservado"); full != want {
		t.Fatalf("full feed %s, want %s", full, want)
	}
	for channel, want := range map[string]string{
		"airbnb":  span(d(7), d(9), "No disponible") + "; " + span(d(12), d(14), "Reservado"),
		"booking": span(d(3), d(5), "No disponible") + "; " + span(d(12), d(14), "Reservado"),
		"vrbo":    full,
	} {
		r := s.Do(t, "GET", "/ical/"+byChannel[channel]+".ics", nil, nil)
		if got := feedNights(t, r.Body); r.Status != 200 || got != want {
			t.Errorf("%s feed: %d %s, want %s", channel, r.Status, got, want)
		}
	}
	// Our nights read back: the imported ones are in the availability answer.
	taken, err := s.Booking.TakenNights(ctx, p.ID, d(0), d(15))
	if err != nil || len(taken) != 6 {
		t.Fatalf("taken %v %v", taken, err)
	}
}
