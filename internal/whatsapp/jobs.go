package whatsapp

import (
	"time"

	"github.com/riverqueue/river"
)

// The River side of the service. Each job's args and worker live with what
// it runs: ProcessWorker and SweepWorker in inbox.go, SendWorker in
// outbound.go, NotifyWorker and RemindWorker in notify.go, ReceiptWorker in
// receipts.go.

// AddWorkers registers the WhatsApp jobs.
func AddWorkers(w *river.Workers, s *Service) {
	river.AddWorker(w, &ProcessWorker{Service: s})
	river.AddWorker(w, &SendWorker{Service: s})
	river.AddWorker(w, &NotifyWorker{Service: s})
	river.AddWorker(w, &RemindWorker{Service: s})
	river.AddWorker(w, &SweepWorker{Service: s})
	river.AddWorker(w, &ReceiptWorker{Service: s})
}

// PeriodicJobs are the reminders (every minute) and the inbox sweep.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return RemindArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(2*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil }, nil),
	}
}
