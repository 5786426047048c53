package ical

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"alojamientos/db"
)

// SyncDueArgs is the periodic job that syncs every feed whose interval has
// passed. River runs periodic jobs on the leader only; the per-feed lease
// keeps "sync now" and just-in-time refreshes on other instances apart.
type SyncDueArgs struct{}

// Kind implements river.JobArgs.
func (SyncDueArgs) Kind() string { return "ical.sync_due" }

// SyncDueWorker runs SyncDue.
type SyncDueWorker struct {
	river.WorkerDefaults[SyncDueArgs]
	Syncer *Syncer
}

// Timeout lets a round of slow channels finish.
func (w *SyncDueWorker) Timeout(*river.Job[SyncDueArgs]) time.Duration { return 5 * time.Minute }

// Work implements river.Worker.
func (w *SyncDueWorker) Work(ctx context.Context, _ *river.Job[SyncDueArgs]) error {
	return w.Syncer.SyncDue(ctx)
}

// SyncDue syncs the due feeds, a few at a time.
func (s *Syncer) SyncDue(ctx context.Context) error {
	ids, err := db.Q(s.DB).ListDueFeeds(ctx, s.Clock.Now())
	if err != nil {
		return fmt.Errorf("ical: due feeds: %w", err)
	}
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, id := range ids {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if _, err := s.SyncFeed(ctx, id); err != nil {
				s.Log.Error("ical: sync feed", "feed_id", id, "error", err)
			}
		}()
	}
	wg.Wait()
	s.UpdateAgeMetrics(ctx)
	return nil
}

// SyncDueEvery is how often due feeds are looked for; each feed has its own
// interval (10 minutes by default).
const SyncDueEvery = time.Minute

// AddWorkers registers the sync jobs.
func AddWorkers(workers *river.Workers, s *Syncer) {
	river.AddWorker(workers, &SyncDueWorker{Syncer: s})
}

// PeriodicJobs are the sync's periodic jobs.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(SyncDueEvery),
			func() (river.JobArgs, *river.InsertOpts) { return SyncDueArgs{}, SyncDueOpts() },
			&river.PeriodicJobOpts{RunOnStart: true}),
	}
}

// SyncDueOpts keep one sync round queued or running at a time.
func SyncDueOpts() *river.InsertOpts {
	return &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}
