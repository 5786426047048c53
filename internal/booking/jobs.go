package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"alojamientos/db"
)

// ExpireHoldArgs is the job scheduled at a hold's expiry.
type ExpireHoldArgs struct {
	ReservationID int64 `json:"reservation_id"`
}

// Kind implements river.JobArgs.
func (ExpireHoldArgs) Kind() string { return "booking.expire_hold" }

// ExpireHoldWorker expires one hold when its time comes.
type ExpireHoldWorker struct {
	river.WorkerDefaults[ExpireHoldArgs]
	Service *Service
}

// Work implements river.Worker. If the clock is a little behind River's
// schedule the sweep picks the hold up on its next run.
func (w *ExpireHoldWorker) Work(ctx context.Context, job *river.Job[ExpireHoldArgs]) error {
	_, err := w.Service.ExpireHold(ctx, job.Args.ReservationID)
	return err
}

// PaymentLinkJobKind is the job internal/mercadopago runs to make a hold's
// deposit link; TakeNights enqueues it with the hold when
// Service.PaymentLinks is set.
const PaymentLinkJobKind = "mercadopago.create_payment_link"

// PaymentsQueue is the River queue of that job (mercadopago.Queue).
const PaymentsQueue = "payments"

// SweepHoldsArgs is the periodic job that expires any hold a scheduled job missed
// (a job lost with a restored backup, a clock skew between instances).
type SweepHoldsArgs struct{}

// Kind implements river.JobArgs.
func (SweepHoldsArgs) Kind() string { return "booking.sweep_holds" }

// SweepHoldsWorker runs ExpireDue.
type SweepHoldsWorker struct {
	river.WorkerDefaults[SweepHoldsArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *SweepHoldsWorker) Work(ctx context.Context, _ *river.Job[SweepHoldsArgs]) error {
	_, err := w.Service.ExpireDue(ctx)
	return err
}

// SweepInterval is how often the periodic sweep runs.
const SweepInterval = time.Minute

// AddWorkers registers the booking jobs.
func AddWorkers(workers *river.Workers, s *Service) {
	river.AddWorker(workers, &ExpireHoldWorker{Service: s})
	river.AddWorker(workers, &SweepHoldsWorker{Service: s})
	river.AddWorker(workers, &PruneIdempotencyWorker{Service: s})
	river.AddWorker(workers, &SweepBalancesWorker{Service: s})
}

// PeriodicJobs are the booking's periodic jobs; River runs them on the leader only.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(SweepInterval),
			func() (river.JobArgs, *river.InsertOpts) { return SweepHoldsArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PruneIdempotencyArgs{}, nil }, nil),
		river.NewPeriodicJob(river.PeriodicInterval(BalanceSweepInterval),
			func() (river.JobArgs, *river.InsertOpts) { return SweepBalancesArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
	}
}

// PruneIdempotencyArgs deletes stored Idempotency-Key answers after a day:
// clients retry within minutes, and the table must not grow forever.
type PruneIdempotencyArgs struct{}

// Kind implements river.JobArgs.
func (PruneIdempotencyArgs) Kind() string { return "booking.prune_idempotency_keys" }

// IdempotencyRetention is how long a stored answer is replayed.
const IdempotencyRetention = 24 * time.Hour

// PruneIdempotencyWorker runs the deletion.
type PruneIdempotencyWorker struct {
	river.WorkerDefaults[PruneIdempotencyArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *PruneIdempotencyWorker) Work(ctx context.Context, _ *river.Job[PruneIdempotencyArgs]) error {
	n, err := db.Q(w.Service.DB).DeleteOldIdempotencyKeys(ctx, w.Service.Clock.Now().Add(-IdempotencyRetention))
	if err != nil {
		return fmt.Errorf("booking: prune idempotency keys: %w", err)
	}
	if n > 0 {
		w.Service.Log.Info("idempotency keys pruned", "count", n)
	}
	return nil
}
