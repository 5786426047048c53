package ical_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"alojamientos/db/dbtest"
	"alojamientos/internal/ical"
	"alojamientos/internal/platform"
)

// TestSyncDueIsUnique: River accepts the periodic job's options, and a
// second round is not queued while one waits.
func TestSyncDueIsUnique(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	workers := river.NewWorkers()
	ical.AddWorkers(workers, &ical.Syncer{DB: pool, Log: platform.NewLogger(io.Discard, "error")})
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first, err := client.Insert(ctx, ical.SyncDueArgs{}, ical.SyncDueOpts())
	if err != nil {
		t.Fatal(err)
	}
	second, err := client.Insert(ctx, ical.SyncDueArgs{}, ical.SyncDueOpts())
	if err != nil {
		t.Fatal(err)
	}
	if first.UniqueSkippedAsDuplicate || !second.UniqueSkippedAsDuplicate || second.Job.ID != first.Job.ID {
		t.Fatalf("unique: first %+v second %+v", first.UniqueSkippedAsDuplicate, second.UniqueSkippedAsDuplicate)
	}
}

// TestSyncDue syncs the feeds whose interval has passed, and only those.
func TestSyncDue(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	fx.channel.set(200, fx.feedBody(fx.ev("a", 10, 12)), "")
	ctx := context.Background()
	if err := fx.syncer.SyncDue(ctx); err != nil {
		t.Fatal(err)
	}
	if fx.channel.count() != 1 || fx.imported(t) != fx.span(10, 12) {
		t.Fatalf("first round: hits %d, nights %s", fx.channel.count(), fx.imported(t))
	}
	fx.clock.Advance(5 * time.Minute) // the interval is 10 minutes
	if err := fx.syncer.SyncDue(ctx); err != nil || fx.channel.count() != 1 {
		t.Fatalf("not due yet: hits %d %v", fx.channel.count(), err)
	}
	fx.clock.Advance(6 * time.Minute)
	if err := fx.syncer.SyncDue(ctx); err != nil || fx.channel.count() != 2 {
		t.Fatalf("due again: hits %d %v", fx.channel.count(), err)
	}
}
