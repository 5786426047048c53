package ical_test

import (
	"strings"
	"testing"
	"time"
)

// TestRemovalWaitStillImports: while a large removal waits for a second
// fetch, new and moved events are imported at once; the second fetch agrees
// on the set of (UID, nights) even though every DTSTAMP changed.
func TestRemovalWaitStillImports(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	fx.channel.set(200, fx.feedBodyStamped(fx.clock.Now(), fx.ev("a", 10, 12), fx.ev("b", 20, 22), fx.ev("c", 30, 32)), "")
	if r := fx.sync(t); r.Added != 3 {
		t.Fatalf("first: %+v", r)
	}
	// b and c vanish (2 of 3 future events), a moves, d is a new booking.
	fx.channel.set(200, fx.feedBodyStamped(fx.clock.Now(), fx.ev("a", 12, 14), fx.ev("d", 40, 42)), "")
	r := fx.sync(t)
	if !r.Pending || r.Released != 0 || r.Added != 1 || r.Moved != 1 {
		t.Fatalf("held removal: %+v", r)
	}
	want := fx.span(12, 14) + "; " + fx.span(20, 22) + "; " + fx.span(30, 32) + "; " + fx.span(40, 42)
	if got := fx.imported(t); got != want {
		t.Fatalf("while waiting: %s, want %s", got, want)
	}
	if !strings.Contains(r.String(), "1 nuevos, 1 movidos") || !strings.Contains(r.String(), "segunda lectura") {
		t.Fatalf("line: %s", r)
	}
	// The same events with a new DTSTAMP (a different body): the fetches agree.
	fx.channel.set(200, fx.feedBodyStamped(fx.clock.Now().Add(time.Hour), fx.ev("d", 40, 42), fx.ev("a", 12, 14)), "")
	r = fx.sync(t)
	if r.Pending || r.Released != 2 || r.Added != 0 || r.Moved != 0 {
		t.Fatalf("agreeing fetch: %+v", r)
	}
	if got, want := fx.imported(t), fx.span(12, 14)+"; "+fx.span(40, 42); got != want {
		t.Fatalf("after agreement: %s, want %s", got, want)
	}
	if f := fx.feedRow(t); f.LastError != "" || f.PendingRemovalHash != "" {
		t.Fatalf("pending state left: %q %q", f.LastError, f.PendingRemovalHash)
	}
}

// TestRemovalDisagreeingFetchWaitsAgain: a second fetch losing other events
// is not an agreement.
func TestRemovalDisagreeingFetchWaitsAgain(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	fx.channel.set(200, fx.feedBody(fx.ev("a", 10, 12), fx.ev("b", 20, 22), fx.ev("c", 30, 32)), "")
	fx.sync(t)
	fx.channel.set(200, fx.feedBody(fx.ev("a", 10, 12)), "")
	if r := fx.sync(t); !r.Pending {
		t.Fatalf("first loss: %+v", r)
	}
	fx.channel.set(200, fx.feedBody(fx.ev("b", 20, 22)), "")
	if r := fx.sync(t); !r.Pending || r.Released != 0 {
		t.Fatalf("a different loss: %+v", r)
	}
	fx.channel.set(200, fx.feedBody(fx.ev("b", 20, 22)), "")
	if r := fx.sync(t); r.Pending || r.Released != 2 || fx.imported(t) != fx.span(20, 22) {
		t.Fatalf("agreement: %+v; %s", r, fx.imported(t))
	}
}

// TestRemovalSmallFeeds: the guard covers small feeds. Losing all or more
// than half of the future events (at least one) waits for a second agreeing
// fetch; losing half or less is applied at once.
func TestRemovalSmallFeeds(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	// One future event and one empty answer: kept.
	fx.channel.set(200, fx.feedBody(fx.ev("a", 10, 12)), "")
	fx.sync(t)
	fx.channel.set(200, "", "")
	if r := fx.sync(t); !r.Pending || r.Released != 0 || fx.imported(t) != fx.span(10, 12) {
		t.Fatalf("one empty answer freed the only event: %+v; %s", r, fx.imported(t))
	}
	if r := fx.sync(t); r.Pending || r.Released != 1 || fx.imported(t) != "" {
		t.Fatalf("second empty answer: %+v; %s", r, fx.imported(t))
	}
	// Two events, one cancelled: half, applied at once.
	fx.channel.set(200, fx.feedBody(fx.ev("b", 20, 22), fx.ev("c", 30, 32)), "")
	fx.sync(t)
	fx.channel.set(200, fx.feedBody(fx.ev("c", 30, 32)), "")
	if r := fx.sync(t); r.Pending || r.Released != 1 || fx.imported(t) != fx.span(30, 32) {
		t.Fatalf("half: %+v; %s", r, fx.imported(t))
	}
}

// TestEventMovedIntoThePast: a channel moving a stay to past dates (or
// ending a stay in progress early) frees the nights it left from today on.
func TestEventMovedIntoThePast(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	fx.channel.set(200, fx.feedBody(fx.ev("run", -2, 3), fx.ev("x", 4, 6), fx.ev("y", 10, 12)), "")
	if r := fx.sync(t); r.Added != 3 {
		t.Fatalf("first: %+v", r)
	}
	// The guest in "run" left today; "x" was rebooked to last week.
	fx.channel.set(200, fx.feedBody(fx.ev("run", -2, 0), fx.ev("x", -8, -6), fx.ev("y", 10, 12)), "")
	r := fx.sync(t)
	if r.Moved != 2 || r.Pending {
		t.Fatalf("moved into the past: %+v", r)
	}
	if got, want := fx.imported(t), fx.span(-2, 0)+"; "+fx.span(10, 12); got != want {
		t.Fatalf("nights %s, want %s", got, want)
	}
	// Nothing more to do on the next poll.
	if r := fx.sync(t); r.Changes() != 0 || fx.imported(t) != fx.span(-2, 0)+"; "+fx.span(10, 12) {
		t.Fatalf("second poll: %+v; %s", r, fx.imported(t))
	}
	// A stay moved back into the future blocks its new nights again.
	fx.channel.set(200, fx.feedBody(fx.ev("run", -2, 0), fx.ev("x", 6, 8), fx.ev("y", 10, 12)), "")
	if r := fx.sync(t); r.Added+r.Moved != 1 || fx.imported(t) != fx.span(-2, 0)+"; "+fx.span(6, 8)+"; "+fx.span(10, 12) {
		t.Fatalf("back to the future: %+v; %s", r, fx.imported(t))
	}
}

// TestRemovalUnchangedAnswerDisagrees: a 304 between the two fetches says
// the calendar is back to what we applied; the removal waits anew.
func TestRemovalUnchangedAnswerDisagrees(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	full := fx.feedBody(fx.ev("a", 10, 12))
	fx.channel.set(200, full, `"v1"`)
	fx.sync(t)
	fx.channel.set(200, "", `"v2"`)
	if r := fx.sync(t); !r.Pending {
		t.Fatalf("first empty answer: %+v", r)
	}
	fx.channel.set(200, full, `"v1"`)
	if r := fx.sync(t); !r.NotModified || fx.channel.inm() != `"v1"` {
		t.Fatalf("back to the applied calendar: %+v (If-None-Match %q)", r, fx.channel.inm())
	}
	fx.channel.set(200, "", `"v2"`)
	if r := fx.sync(t); !r.Pending || fx.imported(t) != fx.span(10, 12) {
		t.Fatalf("an empty answer after a 304 agreed with the one before it: %+v; %s", r, fx.imported(t))
	}
}
