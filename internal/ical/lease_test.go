package ical_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/ical"
)

// orphanQuery is the proof query of issue 11: active imported nights that no
// imported event points to.
const orphanQuery = `SELECT count(*) FROM occupancy o WHERE o.kind = 'imported' AND o.active AND o.property_id = $1
	AND NOT EXISTS (SELECT 1 FROM imported_events ie WHERE ie.occupancy_id = o.id)`

func (fx *fixture) orphans(t *testing.T) int {
	t.Helper()
	var n int
	if err := fx.db().QueryRow(context.Background(), orphanQuery, fx.prop.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDeleteDuringSync removes a feed while it is being synced, many times:
// whichever commits first, no imported night is left without its event.
func TestDeleteDuringSync(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()
	q := db.Q(fx.db())
	fx.channel.set(200, fx.feedBody(fx.ev("a", 10, 12), fx.ev("b", 20, 22), fx.ev("c", 30, 32), fx.ev("d", 40, 42)), "")
	if err := fx.syncer.DeleteFeed(ctx, fx.feed.ID, fx.feed.AccountID); err != nil {
		t.Fatal(err)
	}
	const rounds = 40
	for i := range rounds {
		f, err := q.CreateFeed(ctx, dbq.CreateFeedParams{Channel: "airbnb", Url: fmt.Sprintf("%s&round=%d", fx.feed.Url, i),
			IntervalMinutes: 10, PropertyID: fx.prop.ID, AccountID: fx.feed.AccountID})
		if err != nil {
			t.Fatal(err)
		}
		fetched := make(chan struct{})
		var once sync.Once
		fx.channel.mu.Lock()
		fx.channel.hook = func(int) { once.Do(func() { close(fetched) }) }
		fx.channel.mu.Unlock()
		var wg sync.WaitGroup
		var syncErr, delErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, syncErr = fx.syncer.SyncFeed(ctx, f.ID)
		}()
		go func() {
			defer wg.Done()
			// Remove while the feed's answer is on its way or being applied;
			// every other round, a little later.
			<-fetched
			if i%2 == 1 {
				time.Sleep(time.Duration(i%7) * time.Millisecond)
			}
			delErr = fx.syncer.DeleteFeed(ctx, f.ID, f.AccountID)
		}()
		wg.Wait()
		if syncErr != nil || delErr != nil {
			t.Fatalf("round %d: sync %v, delete %v", i, syncErr, delErr)
		}
		if n := fx.orphans(t); n != 0 {
			t.Fatalf("round %d: %d active imported intervals without an imported event", i, n)
		}
		if got := fx.imported(t); got != "" {
			t.Fatalf("round %d: nights left after the feed was removed: %s", i, got)
		}
	}
}

// TestDeleteFeedOfAnotherAccount is not found.
func TestDeleteFeedOfAnotherAccount(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	if err := fx.syncer.DeleteFeed(context.Background(), fx.feed.ID, fx.feed.AccountID+1000); !errors.Is(err, ical.ErrNotFound) {
		t.Fatalf("delete: %v", err)
	}
	fx.feedRow(t)
}

// TestLeaseOnlyClearedByHolder: a sync whose lease ran out while it waited
// on the channel, and that another sync took over, applies nothing and does
// not clear the new holder's lease.
func TestLeaseOnlyClearedByHolder(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()
	fx.channel.set(200, fx.feedBody(fx.ev("a", 10, 12)), "")
	fx.sync(t)

	fx.channel.set(200, fx.feedBody(fx.ev("a", 10, 12), fx.ev("b", 20, 22)), "")
	arrived := map[int]chan struct{}{2: make(chan struct{}), 3: make(chan struct{})}
	release := map[int]chan struct{}{2: make(chan struct{}), 3: make(chan struct{})}
	var releaseOnce [4]sync.Once
	let := func(n int) { releaseOnce[n].Do(func() { close(release[n]) }) }
	// A failing check must not leave the channel's handlers waiting.
	t.Cleanup(func() { let(2); let(3) })
	fx.channel.mu.Lock()
	fx.channel.hook = func(n int) {
		if ch, ok := arrived[n]; ok {
			close(ch)
			<-release[n]
		}
	}
	fx.channel.mu.Unlock()

	fx.clock.Advance(ical.LeaseTime + time.Second)
	type out struct {
		r   ical.Result
		err error
	}
	first, second := make(chan out, 1), make(chan out, 1)
	go func() { r, err := fx.syncer.SyncFeed(ctx, fx.feed.ID); first <- out{r, err} }()
	<-arrived[2]
	// The first sync is stuck past its lease; a second one takes over.
	fx.clock.Advance(ical.LeaseTime + time.Second)
	go func() { r, err := fx.syncer.SyncFeed(ctx, fx.feed.ID); second <- out{r, err} }()
	<-arrived[3]

	let(2)
	a := <-first
	if a.err != nil || !a.r.Busy || a.r.Added != 0 {
		t.Fatalf("stale sync: %+v %v", a.r, a.err)
	}
	if got := fx.imported(t); got != fx.span(10, 12) {
		t.Fatalf("the stale sync applied its fetch: %s", got)
	}
	// The second sync still holds its lease: a third one is busy.
	if r, err := fx.syncer.SyncFeed(ctx, fx.feed.ID); err != nil || !r.Busy || fx.channel.count() != 3 {
		t.Fatalf("third sync while the second holds the lease: %+v %v (hits %d)", r, err, fx.channel.count())
	}
	let(3)
	b := <-second
	if b.err != nil || b.r.Busy || b.r.Added != 1 {
		t.Fatalf("holder: %+v %v", b.r, b.err)
	}
	if got := fx.imported(t); got != fx.span(10, 12)+"; "+fx.span(20, 22) {
		t.Fatalf("after the holder: %s", got)
	}
	if f := fx.feedRow(t); f.SyncLeaseUntil != nil {
		t.Fatalf("the holder left its lease: %v", f.SyncLeaseUntil)
	}
}
