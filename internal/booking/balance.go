package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"alojamientos/db"
)

// ReminderDaysBefore is how many days before its due date a guest is
// reminded of a balance.
const ReminderDaysBefore = 3

// BalanceSweep is what one run of the balance job did.
type BalanceSweep struct {
	Reminded, Overdue int
	Resolved          int64
}

// SweepBalances writes the balance_reminder audit entry of every confirmed
// stay whose balance is due within ReminderDaysBefore days (from 10:00 local
// time; the WhatsApp trigger sends the guest the ways to pay), raises the
// owner's payment_balance_overdue alert the day after a balance was due and
// not recorded, and closes the alerts of balances since paid or stays
// cancelled. Each reminder and alert happens once per reservation however
// often this runs (unique indexes, migrations 00009 and 00025). It never
// cancels anything: an unpaid balance is the owner's call.
func (s *Service) SweepBalances(ctx context.Context) (BalanceSweep, error) {
	var out BalanceSweep
	now := s.Clock.Now().UTC()
	err := db.InTx(ctx, s.DB, func(tx db.Tx) error {
		q := db.Q(tx)
		reminded, err := q.WriteBalanceReminders(ctx, now)
		if err != nil {
			return fmt.Errorf("reminders: %w", err)
		}
		overdue, err := q.RaiseBalanceOverdue(ctx, now)
		if err != nil {
			return fmt.Errorf("overdue alerts: %w", err)
		}
		resolved, err := q.ResolveBalanceOverdue(ctx, now)
		if err != nil {
			return fmt.Errorf("resolve alerts: %w", err)
		}
		out = BalanceSweep{Reminded: len(reminded), Overdue: len(overdue), Resolved: resolved}
		return nil
	})
	if err != nil {
		return BalanceSweep{}, fmt.Errorf("booking: sweep balances: %w", err)
	}
	return out, nil
}

// SweepBalancesArgs is the periodic job that runs SweepBalances.
type SweepBalancesArgs struct{}

// Kind implements river.JobArgs.
func (SweepBalancesArgs) Kind() string { return "booking.sweep_balances" }

// SweepBalancesWorker runs SweepBalances.
type SweepBalancesWorker struct {
	river.WorkerDefaults[SweepBalancesArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *SweepBalancesWorker) Work(ctx context.Context, _ *river.Job[SweepBalancesArgs]) error {
	res, err := w.Service.SweepBalances(ctx)
	if err != nil {
		return err
	}
	if res.Reminded+res.Overdue > 0 || res.Resolved > 0 {
		w.Service.Log.Info("balances swept", "reminded", res.Reminded, "overdue", res.Overdue, "resolved", res.Resolved)
	}
	return nil
}

// BalanceSweepInterval is how often the balance job runs. A day's work is
// done by its first run after 10:00 local time; the later runs of the day
// find nothing new (and catch up after a restart).
const BalanceSweepInterval = time.Hour
