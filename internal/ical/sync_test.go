package ical_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/ical"
	"alojamientos/internal/platform"
)

// fakeChannel is a channel's calendar server whose answer the test changes
// between syncs.
type fakeChannel struct {
	mu      sync.Mutex
	status  int
	body    string
	etag    string
	delay   time.Duration
	lastINM string
	lastUA  string
	hits    int
	// hook, when set, runs before the answer with the request's number (1, 2…).
	hook func(n int)
}

func (f *fakeChannel) set(status int, body, etag string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.body, f.etag, f.delay = status, body, etag, 0
}

func (f *fakeChannel) ua() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastUA
}

func (f *fakeChannel) inm() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastINM
}

func (f *fakeChannel) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits
}

func (f *fakeChannel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	status, body, etag, delay := f.status, f.body, f.etag, f.delay
	f.lastINM, f.lastUA = r.Header.Get("If-None-Match"), r.Header.Get("User-Agent")
	f.hits++
	n, hook := f.hits, f.hook
	f.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if etag != "" {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

type fixture struct {
	pool    *pgxpool.Pool
	svc     *booking.Service
	syncer  *ical.Syncer
	clock   *platform.TestClock
	prop    dbq.Property
	feed    dbq.ChannelFeed
	channel *fakeChannel
	today   time.Time
}

func newFixture(t *testing.T) *fixture {
	pool := dbtest.New(t)
	acc := dbtest.Account(t, pool)
	prop := dbtest.Property(t, pool, acc.ID)
	// Noon in Buenos Aires, so the steps of a test never cross midnight.
	y, m, d := time.Now().In(ba).Date()
	clock := platform.NewTestClock(time.Date(y, m, d, 12, 0, 0, 0, ba))
	log := platform.NewLogger(io.Discard, "error")
	metrics := platform.NewMetrics()
	svc := booking.New(booking.Deps{DB: pool, Clock: clock, Metrics: metrics, Log: log})
	syncer := &ical.Syncer{DB: pool, Clock: clock, Log: log, Metrics: metrics, HTTP: ical.NewHTTPClient(false)}
	fc := &fakeChannel{status: 200}
	srv := httptest.NewServer(fc)
	t.Cleanup(srv.Close)
	feed, err := db.Q(pool).CreateFeed(context.Background(), dbq.CreateFeedParams{Channel: "airbnb",
		Url: srv.URL + "/calendar/ical/123.ics?s=secret", IntervalMinutes: 10, PropertyID: prop.ID, AccountID: acc.ID})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{pool: pool, svc: svc, syncer: syncer, clock: clock, prop: prop, feed: feed, channel: fc,
		today: booking.LocalDate(clock.Now(), svc.Locations.Get("America/Argentina/Buenos_Aires"))}
}

func (fx *fixture) db() *pgxpool.Pool { return fx.pool }

func (fx *fixture) d(days int) time.Time { return fx.today.AddDate(0, 0, days) }

func icsDate(t time.Time) string { return t.Format("20060102") }

func (fx *fixture) feedBody(events ...[3]string) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Airbnb Inc//Hosting Calendar 1.0//EN\r\n")
	for _, e := range events {
		b.WriteString("BEGIN:VEVENT\r\nUID:" + e[0] + "\r\nDTSTART;VALUE=DATE:" + e[1] + "\r\nDTEND;VALUE=DATE:" + e[2] +
			"\r\nSUMMARY:Reserved\r\nDESCRIPTION:Phone Number (Last 4 Digits): 1234\r\nEND:VEVENT\r\n")
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

// feedBodyStamped is feedBody with a DTSTAMP on every event, as channels
// that stamp the time of the request write it.
func (fx *fixture) feedBodyStamped(stamp time.Time, events ...[3]string) string {
	return strings.ReplaceAll(fx.feedBody(events...), "\r\nSUMMARY:", "\r\nDTSTAMP:"+stamp.UTC().Format("20060102T150405Z")+"\r\nSUMMARY:")
}

func (fx *fixture) ev(uid string, from, to int) [3]string {
	return [3]string{uid, icsDate(fx.d(from)), icsDate(fx.d(to))}
}

func (fx *fixture) sync(t *testing.T) ical.Result {
	t.Helper()
	// Each step is a new poll: move past the lease of the previous one.
	fx.clock.Advance(ical.LeaseTime + time.Second)
	r, err := fx.syncer.SyncFeed(context.Background(), fx.feed.ID)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return r
}

// imported lists the active imported nights as "from..to note", in order.
func (fx *fixture) imported(t *testing.T) string {
	t.Helper()
	rows, err := fx.db().Query(context.Background(), `SELECT lower(nights), upper(nights), note FROM occupancy
		WHERE property_id = $1 AND kind = 'imported' AND active ORDER BY lower(nights)`, fx.prop.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, b time.Time
		var note string
		if err := rows.Scan(&a, &b, &note); err != nil {
			t.Fatal(err)
		}
		out = append(out, a.Format("01-02")+".."+b.Format("01-02")+" "+note)
	}
	return strings.Join(out, "; ")
}

func (fx *fixture) conflicts(t *testing.T) []string {
	t.Helper()
	rows, err := fx.db().Query(context.Background(), `SELECT kind, detail FROM conflicts WHERE property_id = $1 ORDER BY id`, fx.prop.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k, d string
		if err := rows.Scan(&k, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, k+": "+d)
	}
	return out
}

func (fx *fixture) span(from, to int) string {
	return fx.d(from).Format("01-02") + ".." + fx.d(to).Format("01-02") + " Airbnb · Reserva"
}

func (fx *fixture) feedRow(t *testing.T) dbq.ChannelFeed {
	t.Helper()
	rows, err := db.Q(fx.db()).ListFeedsOfProperty(context.Background(), fx.prop.ID)
	if err != nil || len(rows) != 1 {
		t.Fatalf("feeds: %v %d", err, len(rows))
	}
	return rows[0]
}

// TestFakeChannel walks a channel through a life of changes and checks the
// nights and conflicts after each sync.
func TestFakeChannel(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()

	// 1. Two stays appear.
	fx.channel.set(200, fx.feedBody(fx.ev("a", 10, 13), fx.ev("b", 20, 22)), "")
	r := fx.sync(t)
	if r.Err != nil || r.Added != 2 {
		t.Fatalf("add: %+v", r)
	}
	want := fx.span(10, 13) + "; " + fx.span(20, 22)
	if got := fx.imported(t); got != want {
		t.Fatalf("after add: %s, want %s", got, want)
	}
	if !strings.HasPrefix(fx.channel.ua(), "Alojamientos-CalendarSync/") {
		t.Errorf("User-Agent %q", fx.channel.ua())
	}
	// The note carries no guest data.
	if strings.Contains(fx.imported(t), "1234") {
		t.Error("guest data leaked into the note")
	}

	// 2. The same feed again: nothing changes.
	r = fx.sync(t)
	if r.Changes() != 0 || r.Events != 2 {
		t.Fatalf("unchanged: %+v", r)
	}

	// 3. A stay moves.
	fx.channel.set(200, fx.feedBody(fx.ev("a", 11, 15), fx.ev("b", 20, 22)), "")
	r = fx.sync(t)
	if r.Moved != 1 || r.Changes() != 1 {
		t.Fatalf("move: %+v", r)
	}
	if got, want := fx.imported(t), fx.span(11, 15)+"; "+fx.span(20, 22); got != want {
		t.Fatalf("after move: %s, want %s", got, want)
	}

	// 4. Our guest holds days 30..33; the channel sells 31..34 too: a conflict, never dropped.
	hold, err := fx.svc.PlaceHold(ctx, booking.HoldRequest{PropertyID: fx.prop.ID, CheckIn: booking.FormatDate(fx.d(30)),
		CheckOut: booking.FormatDate(fx.d(33)), Guests: 2, GuestName: "Ana Pérez", GuestPhone: "+5491155551234", Channel: "direct", Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	fx.channel.set(200, fx.feedBody(fx.ev("a", 11, 15), fx.ev("b", 20, 22), fx.ev("c", 31, 34)), "")
	r = fx.sync(t)
	if r.Conflicts != 1 || r.Added != 0 {
		t.Fatalf("collide: %+v", r)
	}
	cf := fx.conflicts(t)
	if len(cf) != 1 || !strings.HasPrefix(cf[0], "ical_collision: Airbnb · Reserva ocupa del") ||
		!strings.Contains(cf[0], hold.Reservation.Code) {
		t.Fatalf("conflicts %q", cf)
	}
	var audits int
	if err := fx.db().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'ical_collision' AND reservation_id = $1`,
		hold.Reservation.ID).Scan(&audits); err != nil || audits != 1 {
		t.Fatalf("audit entries %d %v", audits, err)
	}
	// The same collision on the next poll is not reported twice.
	r = fx.sync(t)
	if r.Conflicts != 0 || len(fx.conflicts(t)) != 1 {
		t.Fatalf("repeat collision: %+v %q", r, fx.conflicts(t))
	}

	// 5. An HTML page: failed sync, previous state kept.
	before := fx.imported(t)
	fx.channel.set(200, "<!DOCTYPE html><html><body>Iniciá sesión</body></html>", "")
	r = fx.sync(t)
	if r.Err == nil || fx.imported(t) != before {
		t.Fatalf("HTML: %+v; nights %s", r, fx.imported(t))
	}
	if f := fx.feedRow(t); !strings.Contains(f.LastError, "HTML") || f.LastSuccessAt == nil || f.LastAttemptAt.Equal(*f.LastSuccessAt) {
		t.Fatalf("HTML recorded as %q / %v / %v", f.LastError, f.LastAttemptAt, f.LastSuccessAt)
	}

	// 6. A 500: failed, kept.
	fx.channel.set(500, "oops", "")
	if r = fx.sync(t); r.Err == nil || r.Status != 500 || fx.imported(t) != before {
		t.Fatalf("500: %+v", r)
	}
	// 7. Truncated: failed, kept.
	fx.channel.set(200, strings.TrimSuffix(fx.feedBody(fx.ev("a", 11, 15)), "END:VCALENDAR\r\n"), "")
	if r = fx.sync(t); r.Err == nil || fx.imported(t) != before {
		t.Fatalf("truncated: %+v", r)
	}

	// 8. One stay cancelled (b disappears; a and c stay): released at once (1 of 3 future events).
	fx.channel.set(200, fx.feedBody(fx.ev("a", 11, 15), fx.ev("c", 31, 34)), `"v1"`)
	r = fx.sync(t)
	if r.Released != 1 || fx.imported(t) != fx.span(11, 15) {
		t.Fatalf("cancel: %+v; %s", r, fx.imported(t))
	}

	// 9. 304 with the stored ETag: nothing changes.
	r = fx.sync(t)
	if !r.NotModified || r.Err != nil || fx.channel.inm() != `"v1"` || fx.imported(t) != fx.span(11, 15) {
		t.Fatalf("304: %+v (If-None-Match %q)", r, fx.channel.inm())
	}

	// 10. Booking.com's empty body would drop every future event: held until a second agreeing fetch.
	fx.channel.set(200, fx.feedBody(fx.ev("a", 11, 15), fx.ev("d", 40, 42), fx.ev("e", 50, 52)), "")
	if r = fx.sync(t); r.Added != 2 {
		t.Fatalf("re-add: %+v", r)
	}
	fx.channel.set(200, "", "")
	r = fx.sync(t)
	if !r.Pending || r.Released != 0 || !strings.Contains(fx.imported(t), fx.span(40, 42)) {
		t.Fatalf("first empty fetch: %+v; %s", r, fx.imported(t))
	}
	if f := fx.feedRow(t); !strings.Contains(f.LastError, "segunda lectura") {
		t.Fatalf("pending not recorded: %q", f.LastError)
	}
	r = fx.sync(t)
	if r.Pending || r.Released != 3 || fx.imported(t) != "" {
		t.Fatalf("second empty fetch: %+v; %s", r, fx.imported(t))
	}

	// 11. A timeout: failed, kept.
	fx.channel.set(200, fx.feedBody(fx.ev("f", 60, 61)), "")
	fx.channel.mu.Lock()
	fx.channel.delay = 3 * time.Second
	fx.channel.mu.Unlock()
	fx.syncer.HTTP.Timeout = 300 * time.Millisecond
	r = fx.sync(t)
	fx.syncer.HTTP.Timeout = ical.FetchTimeout
	if r.Err == nil || !strings.Contains(r.ErrText, "a tiempo") || fx.imported(t) != "" {
		t.Fatalf("timeout: %+v; %s", r, fx.imported(t))
	}

	// No two active intervals ever overlap.
	var overlaps int64
	if overlaps, err = db.Q(fx.db()).CountOverlappingActive(ctx); err != nil || overlaps != 0 {
		t.Fatalf("overlaps %d %v", overlaps, err)
	}
}

// TestMoveOntoOurNightsIsAConflict: a channel moving its stay onto a night
// we sold keeps our stay, frees its old nights and says so.
func TestMoveOntoOurNightsIsAConflict(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	fx.channel.set(200, fx.feedBody(fx.ev("a", 10, 12)), "")
	fx.sync(t)
	if _, err := fx.svc.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: fx.prop.ID,
		CheckIn: booking.FormatDate(fx.d(20)), CheckOut: booking.FormatDate(fx.d(23)), Guests: 2, GuestName: "Ana Pérez",
		GuestPhone: "+5491155551234", Channel: "direct", Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	fx.channel.set(200, fx.feedBody(fx.ev("a", 21, 24)), "")
	r := fx.sync(t)
	if r.Conflicts != 1 || fx.imported(t) != "" || len(fx.conflicts(t)) != 1 {
		t.Fatalf("move onto ours: %+v; %s; %q", r, fx.imported(t), fx.conflicts(t))
	}
}

// TestPastEventsAreHistory: a vanished event that already ended is not
// touched; one in progress keeps its past nights.
func TestPastEventsAreHistory(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	fx.channel.set(200, fx.feedBody(fx.ev("run", 0, 4), fx.ev("x", 10, 12), fx.ev("y", 14, 16)), "")
	fx.sync(t)
	fx.clock.Advance(2 * 24 * time.Hour) // "run" started two days ago
	fx.channel.set(200, fx.feedBody(fx.ev("x", 10, 12), fx.ev("y", 14, 16)), "")
	r := fx.sync(t)
	if r.Released != 1 {
		t.Fatalf("%+v", r)
	}
	// fx.d is still relative to the original today.
	if got, want := fx.imported(t), fx.span(0, 2)+"; "+fx.span(10, 12)+"; "+fx.span(14, 16); got != want {
		t.Fatalf("nights %s, want %s", got, want)
	}
}

// TestOneSyncAtATime: a feed whose lease is taken is not fetched again.
func TestOneSyncAtATime(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	fx.channel.set(200, fx.feedBody(fx.ev("a", 10, 12)), "")
	now := fx.clock.Now()
	if _, err := db.Q(fx.db()).LeaseFeed(context.Background(), dbq.LeaseFeedParams{ID: fx.feed.ID, Now: now, Until: now.Add(ical.LeaseTime)}); err != nil {
		t.Fatal(err)
	}
	r, err := fx.syncer.SyncFeed(context.Background(), fx.feed.ID)
	if err != nil || !r.Busy || fx.channel.count() != 0 {
		t.Fatalf("busy: %+v %v hits=%d", r, err, fx.channel.count())
	}
}
