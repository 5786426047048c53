package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"alojamientos/db"
	"alojamientos/internal/booking"
	"alojamientos/internal/ical"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/platform"
	"alojamientos/internal/rates"
	"alojamientos/internal/whatsapp"
)

// listenerWait bounds how long Start waits for the change listeners.
const listenerWait = 10 * time.Second

// newJobs builds the River client that runs jobs; periodic jobs run on the
// elected leader only, however many instances there are.
func (a *App) newJobs(opts Options) (*river.Client[db.Tx], error) {
	workers := river.NewWorkers()
	booking.AddWorkers(workers, a.booking)
	ical.AddWorkers(workers, a.syncer)
	mercadopago.AddWorkers(workers, a.mp)
	whatsapp.AddWorkers(workers, a.wa)
	rates.AddWorkers(workers, a.rates)
	// Separate queues so a slow Mercado Pago or a burst of channel syncs
	// cannot make a guest's WhatsApp answer wait (found by make soak).
	queues := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}, whatsapp.Queue: {MaxWorkers: 8},
		mercadopago.Queue: {MaxWorkers: 8}, mercadopago.UnsignedQueue: {MaxWorkers: 2}}
	if opts.JobWorkers > 0 {
		for name, q := range queues {
			q.MaxWorkers = min(q.MaxWorkers, opts.JobWorkers)
			queues[name] = q
		}
	}
	var periodic []*river.PeriodicJob
	if !opts.NoSweep {
		periodic = append(periodic, booking.PeriodicJobs()...)
		periodic = append(periodic, mercadopago.PeriodicJobs()...)
		periodic = append(periodic, whatsapp.PeriodicJobs()...)
		periodic = append(periodic, rates.PeriodicJobs()...)
		if !opts.NoFeedSchedule {
			periodic = append(periodic, ical.PeriodicJobs()...)
		}
	}
	rc := &river.Config{
		Queues:  queues,
		Workers: workers,
		// A job whose instance died (SIGKILL, OOM, power) stays "running";
		// the leader hands it back after this long instead of River's default
		// hour. Every job is idempotent and all but one end within JobTimeout
		// (1 min); ical.sync_due may take 5, and a second run of it only
		// queues behind the lease that lets one sync of a feed run at a time.
		RescueStuckJobsAfter: 2 * time.Minute,
		PeriodicJobs:         periodic,
		Logger:               platform.Quieter(a.log, slog.LevelWarn),
	}
	if opts.JobPoll > 0 {
		rc.FetchPollInterval, rc.FetchCooldown = opts.JobPoll, opts.JobPoll/5
	}
	client, err := river.NewClient(riverpgxv5.New(a.pool), rc)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return client, nil
}

// Start runs the change listeners of the property cache and the export
// feeds (waiting until they are connected) and, with Workers, the job
// workers. ctx bounds the start only: what started runs until Stop, so
// in-flight jobs can finish after a shutdown signal.
func (a *App) Start(ctx context.Context) error {
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.mu.Lock()
	a.stopListeners = cancel
	a.mu.Unlock()
	var ready []chan struct{}
	follow := func(listen func(context.Context, func(context.Context) (*pgx.Conn, error), *slog.Logger, chan<- struct{})) {
		r := make(chan struct{})
		ready = append(ready, r)
		a.listeners.Go(func() { listen(lctx, a.listenConn, a.log, r) })
	}
	if a.propCache != nil {
		follow(a.propCache.Listen)
	}
	follow(a.export.Listen)
	timeout := time.NewTimer(listenerWait)
	defer timeout.Stop()
	for _, r := range ready {
		select {
		case <-r:
		case <-timeout.C:
			return errNoListener
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if a.jobs != nil {
		if err := a.jobs.Start(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("start job workers: %w", err)
		}
	}
	return nil
}

var errNoListener = fmt.Errorf("app: change listener did not connect within %s", listenerWait)

// listenConn opens the dedicated connection a change listener holds.
func (a *App) listenConn(ctx context.Context) (*pgx.Conn, error) {
	return pgx.ConnectConfig(ctx, a.pool.Config().ConnConfig.Copy())
}

// Stop drains the server (/readyz answers 503), lets running jobs finish
// within ctx, then ends the listeners. Shut the HTTP server down between
// Drain and Stop.
func (a *App) Stop(ctx context.Context) error {
	a.Drain()
	var err error
	if a.jobs != nil {
		if e := a.jobs.Stop(ctx); e != nil && !errors.Is(e, context.Canceled) {
			err = fmt.Errorf("job workers shutdown: %w", e)
		}
	}
	a.stopFollowing()
	return err
}

func (a *App) stopFollowing() {
	a.mu.Lock()
	cancel := a.stopListeners
	a.stopListeners = nil
	a.mu.Unlock()
	if cancel != nil {
		cancel()
		a.listeners.Wait()
	}
}
