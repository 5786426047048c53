package mercadopago

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
)

// ProcessNotificationArgs is the job stored with each inbox row.
type ProcessNotificationArgs struct {
	InboxID int64 `json:"inbox_id"`
}

// Kind implements river.JobArgs.
func (ProcessNotificationArgs) Kind() string { return "mercadopago.process_notification" }

// ProcessNotificationWorker fetches the notified payment and applies it.
type ProcessNotificationWorker struct {
	river.WorkerDefaults[ProcessNotificationArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *ProcessNotificationWorker) Work(ctx context.Context, job *river.Job[ProcessNotificationArgs]) error {
	return w.Service.ProcessInbox(ctx, job.Args.InboxID, job.Attempt)
}

// Timeout leaves room for the client's retries; Mercado Pago's 22 s concern the webhook answer, not this.
func (w *ProcessNotificationWorker) Timeout(*river.Job[ProcessNotificationArgs]) time.Duration {
	return time.Minute
}

// CreateLinkArgs is the job enqueued with a hold (booking.PaymentLinkJobKind).
type CreateLinkArgs struct {
	ReservationID int64 `json:"reservation_id"`
}

// Kind implements river.JobArgs.
func (CreateLinkArgs) Kind() string { return booking.PaymentLinkJobKind }

// CreateLinkWorker creates the deposit's Checkout Pro preference.
type CreateLinkWorker struct {
	river.WorkerDefaults[CreateLinkArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *CreateLinkWorker) Work(ctx context.Context, job *river.Job[CreateLinkArgs]) error {
	return w.Service.CreateLink(ctx, job.Args.ReservationID)
}

// SweepInboxArgs re-enqueues notifications whose job was lost.
type SweepInboxArgs struct{}

// Kind implements river.JobArgs.
func (SweepInboxArgs) Kind() string { return "mercadopago.sweep_inbox" }

// SweepInboxWorker runs the sweep.
type SweepInboxWorker struct {
	river.WorkerDefaults[SweepInboxArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *SweepInboxWorker) Work(ctx context.Context, _ *river.Job[SweepInboxArgs]) error {
	_, err := w.Service.SweepInbox(ctx)
	return err
}

// SweepInbox gives a new job to every notification unprocessed for over a
// minute with no live job, and says how many.
func (s *Service) SweepInbox(ctx context.Context) (int64, error) {
	n, err := db.Q(s.DB).RequeueStaleInbox(ctx, dbq.RequeueStaleInboxParams{
		Provider: Provider, JobKind: ProcessNotificationArgs{}.Kind(), Queue: Queue, UnsignedQueue: UnsignedQueue,
		UnsignedMaxAttempts: UnsignedAttempts, Before: s.Clock.Now().Add(-time.Minute)})
	if err != nil {
		return 0, fmt.Errorf("mercadopago: sweep inbox: %w", err)
	}
	if n > 0 {
		_ = db.Q(s.DB).WakeQueue(ctx, Queue)
		_ = db.Q(s.DB).WakeQueue(ctx, UnsignedQueue)
		s.Log.Warn("mercadopago: notifications re-enqueued", "count", n)
	}
	return n, nil
}

// InboxRetention is how long a processed notification is kept.
const InboxRetention = 30 * 24 * time.Hour

// PruneInboxArgs deletes processed notifications past InboxRetention.
type PruneInboxArgs struct{}

// Kind implements river.JobArgs.
func (PruneInboxArgs) Kind() string { return "mercadopago.prune_inbox" }

// PruneInboxWorker runs the deletion.
type PruneInboxWorker struct {
	river.WorkerDefaults[PruneInboxArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *PruneInboxWorker) Work(ctx context.Context, _ *river.Job[PruneInboxArgs]) error {
	n, err := db.Q(w.Service.DB).PruneInbox(ctx, w.Service.Clock.Now().Add(-InboxRetention))
	if err != nil {
		return fmt.Errorf("mercadopago: prune inbox: %w", err)
	}
	if n > 0 {
		w.Service.Log.Info("mercadopago: notifications pruned", "count", n)
	}
	return nil
}

// AddWorkers registers the Mercado Pago jobs.
func AddWorkers(workers *river.Workers, s *Service) {
	river.AddWorker(workers, &ProcessNotificationWorker{Service: s})
	river.AddWorker(workers, &CreateLinkWorker{Service: s})
	river.AddWorker(workers, &SweepInboxWorker{Service: s})
	river.AddWorker(workers, &PruneInboxWorker{Service: s})
	river.AddWorker(workers, &RefundWorker{Service: s})
}

// PeriodicJobs are the Mercado Pago periodic jobs (leader only).
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return SweepInboxArgs{}, nil }, nil),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PruneInboxArgs{}, nil }, nil),
	}
}
