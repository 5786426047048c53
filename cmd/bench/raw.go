package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// rawBench is the baseline: the cheapest way to take a night, one autocommit
// insert into occupancy under the same EXCLUDE constraint the server relies
// on. The headline baseline uses 8 clients, the figure the issue measured
// (about 6,000/s, bound by commits); the same walk with 50 clients is
// printed too, since more concurrent commits share fsyncs. prereserve_vs_raw_insert
// is then "what the HTTP layer, validation, pricing and the reservation row
// cost", measured on the same machine a few seconds apart.
type rawBench struct {
	pool    *pgxpool.Pool
	account int64
	props   []int64
	owned   [][]int64 // per worker: properties no other worker touches
	done    []int     // per worker: inserts so far, which picks the next night
	first   time.Time
}

const rawInsert = `INSERT INTO occupancy (property_id, nights, kind)
VALUES ($1, daterange($2::date, $3::date), 'block')
ON CONFLICT DO NOTHING RETURNING id`

func newRawBench(ctx context.Context, dbURL string, props []int64, today time.Time) (*rawBench, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("bench: raw: %w", err)
	}
	cfg.MaxConns = 16
	cfg.MinConns = 16
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("bench: raw: %w", err)
	}
	var account int64
	if err := pool.QueryRow(ctx, `SELECT account_id FROM properties WHERE id = $1`, props[0]).Scan(&account); err != nil {
		pool.Close()
		return nil, fmt.Errorf("bench: raw: %w", err)
	}
	return &rawBench{
		pool:    pool,
		account: account,
		props:   props[:ownedProps],
		owned:   ownership(props),
		done:    make([]int, workers),
		// Beyond the prereserve walk's last night (see load.go), so the
		// second baseline half never meets a reservation from the first
		// prereserve half.
		first: today.AddDate(3, 0, 0),
	}, nil
}

// ownership deals the throughput properties out to the workers: worker w gets
// w, w+workers, w+2*workers… The same split serves the baseline and the
// HTTP clients.
func ownership(props []int64) [][]int64 {
	owned := make([][]int64, workers)
	for i := range ownedProps {
		owned[i%workers] = append(owned[i%workers], props[i])
	}
	return owned
}

func (r *rawBench) close() { r.pool.Close() }

// takeNight is one way to take a night: it reports whether the night was taken.
type takeNight func(ctx context.Context, prop int64, night time.Time) (bool, error)

func (r *rawBench) rawInsert(ctx context.Context, prop int64, night time.Time) (bool, error) {
	var id int64
	err := r.pool.QueryRow(ctx, rawInsert, prop, night, night.AddDate(0, 0, 1)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func (r *rawBench) run(ctx context.Context, d time.Duration, clients int, take takeNight) (phaseResult, error) {
	deadline := time.Now().Add(d)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		ok       int
		conflict int
		firstErr error
	)
	start := time.Now()
	for w := range clients {
		wg.Go(func() {
			var mine, theirs int
			for time.Now().Before(deadline) && ctx.Err() == nil {
				n := r.done[w]
				r.done[w]++
				props := r.owned[w]
				night := r.first.AddDate(0, 0, n/len(props))
				took, err := take(ctx, props[n%len(props)], night)
				switch {
				case err == nil && took:
					mine++
				case err == nil:
					theirs++
				case ctx.Err() != nil:
				default:
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
			mu.Lock()
			ok += mine
			conflict += theirs
			mu.Unlock()
		})
	}
	wg.Wait()
	res := phaseResult{ok: ok, elapsed: time.Since(start)}
	if firstErr != nil {
		return res, fmt.Errorf("bench: raw insert: %w", firstErr)
	}
	if conflict > 0 {
		// Every night was meant to be free: a conflict means the walk is
		// wrong, and the rate would compare unlike with unlike.
		return res, fmt.Errorf("bench: raw insert: %d inserts met a taken night", conflict)
	}
	return res, ctx.Err()
}

// cleanup removes the baseline's blocks. VACUUM clears the dead index
// entries so the next phase does not pay for this one.
func (r *rawBench) cleanup(ctx context.Context) error {
	if _, err := r.pool.Exec(ctx, `DELETE FROM occupancy WHERE kind = 'block' AND property_id = ANY($1)`, r.props); err != nil {
		return fmt.Errorf("bench: raw cleanup: %w", err)
	}
	if _, err := r.pool.Exec(ctx, holdSQLCleanup); err != nil {
		return fmt.Errorf("bench: hold sql cleanup: %w", err)
	}
	if _, err := r.pool.Exec(ctx, `VACUUM (ANALYZE) occupancy`); err != nil {
		return fmt.Errorf("bench: raw cleanup: vacuum: %w", err)
	}
	return nil
}
