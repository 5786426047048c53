package platform

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// HealthDB is what the health collector needs of the database: a pool.
type HealthDB interface {
	dbq.DBTX
	Ping(ctx context.Context) error
}

// Timeouts and caching of the health collector: a scrape (from every
// Prometheus, every instance) costs the database at most one cheap query
// and two pings per healthCacheFor, however often it comes.
const (
	healthPingTimeout  = 500 * time.Millisecond
	healthQueryTimeout = time.Second
	healthCacheFor     = 5 * time.Second
)

// jobBacklogStates are always exported, zero when empty, so alerts see 0
// rather than no data.
var jobBacklogStates = []string{"available", "retryable", "scheduled"}

var (
	dbUpDesc = prometheus.NewDesc("db_up",
		"1 when PostgreSQL answered a ping within 500 ms at the last check, else 0.", nil, nil)
	redisUpDesc = prometheus.NewDesc("redis_up",
		"1 when Redis answered a ping within 500 ms at the last check, else 0; absent when REDIS_URL is unset.", nil, nil)
	jobBacklogDesc = prometheus.NewDesc("river_jobs_backlog",
		"Jobs due and not running, by state (available; retryable and scheduled past their time).", []string{"state"}, nil)
	jobOldestDesc = prometheus.NewDesc("river_jobs_oldest_due_seconds",
		"Seconds the oldest due job of each state has waited.", []string{"state"}, nil)
)

// HealthCollector exports db_up, redis_up and the job queue backlog, measured
// at scrape time and cached for a few seconds. It also refreshes FeedAge
// (ical_last_sync_age_minutes) from the database, so that every instance
// reports the feeds' true age, not only the leader that syncs them.
type HealthCollector struct {
	DB      HealthDB
	Shared  Shared // nil or Mode() "disabled": redis_up is not exported
	Clock   Clock
	FeedAge *prometheus.GaugeVec // nil: not refreshed

	mu      sync.Mutex
	at      time.Time
	metrics []prometheus.Metric
}

// RegisterHealth adds db_up, redis_up and the job backlog to the registry and
// keeps ical_last_sync_age_minutes current at scrape time. Call it once per
// Metrics, where the pool and the shared state are known.
func (m *Metrics) RegisterHealth(db HealthDB, shared Shared, clock Clock) {
	m.Registry.MustRegister(&HealthCollector{DB: db, Shared: shared, Clock: clock, FeedAge: m.ICalLastSyncAge})
}

// Describe implements prometheus.Collector.
func (h *HealthCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- dbUpDesc
	ch <- redisUpDesc
	ch <- jobBacklogDesc
	ch <- jobOldestDesc
}

// Collect implements prometheus.Collector. Concurrent scrapes wait for one
// measurement instead of each running their own.
func (h *HealthCollector) Collect(ch chan<- prometheus.Metric) {
	h.mu.Lock()
	if h.metrics == nil || time.Since(h.at) >= healthCacheFor {
		h.metrics = h.measure()
		h.at = time.Now()
	}
	metrics := h.metrics
	h.mu.Unlock()
	for _, m := range metrics {
		ch <- m
	}
}

func (h *HealthCollector) measure() []prometheus.Metric {
	ctx := context.Background()
	var out []prometheus.Metric

	dbUp := 0.0
	pctx, cancel := context.WithTimeout(ctx, healthPingTimeout)
	if h.DB.Ping(pctx) == nil {
		dbUp = 1
	}
	cancel()
	out = append(out, prometheus.MustNewConstMetric(dbUpDesc, prometheus.GaugeValue, dbUp))

	if h.Shared != nil && h.Shared.Mode() == "redis" {
		redisUp := 0.0
		rctx, cancel := context.WithTimeout(ctx, healthPingTimeout)
		if h.Shared.Ping(rctx) == nil {
			redisUp = 1
		}
		cancel()
		out = append(out, prometheus.MustNewConstMetric(redisUpDesc, prometheus.GaugeValue, redisUp))
	}

	// Without a database the backlog is unknown: no sample rather than a
	// misleading zero (db_up says why).
	if dbUp == 1 {
		qctx, cancel := context.WithTimeout(ctx, healthQueryTimeout)
		rows, err := db.Q(h.DB).JobBacklog(qctx)
		cancel()
		if err == nil {
			jobs := map[string]int64{}
			oldest := map[string]float64{}
			for _, r := range rows {
				jobs[r.State], oldest[r.State] = r.Jobs, r.OldestSeconds
			}
			for _, s := range jobBacklogStates {
				out = append(out,
					prometheus.MustNewConstMetric(jobBacklogDesc, prometheus.GaugeValue, float64(jobs[s]), s),
					prometheus.MustNewConstMetric(jobOldestDesc, prometheus.GaugeValue, oldest[s], s))
			}
		}
	}
	if dbUp == 1 && h.FeedAge != nil {
		h.refreshFeedAge(ctx)
	}
	return out
}

// refreshFeedAge sets ical_last_sync_age_minutes as /healthz computes it.
// The gauge vector is collected by the registry on its own; this scrape may
// still show the previous value, the next one the fresh one.
func (h *HealthCollector) refreshFeedAge(ctx context.Context) {
	qctx, cancel := context.WithTimeout(ctx, healthQueryTimeout)
	defer cancel()
	rows, err := db.Q(h.DB).FeedHealthOverview(qctx)
	if err != nil {
		return
	}
	now := h.Clock.Now()
	for _, r := range rows {
		h.FeedAge.WithLabelValues(r.Slug).Set(now.Sub(r.OldestSuccess).Minutes())
	}
}
