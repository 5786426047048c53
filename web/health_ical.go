package web

import (
	"context"
	"log/slog"
	"time"

	"alojamientos/db/dbq"
)

// checkICal reports the channel calendars: unconfigured without feeds; per
// property, ok while the oldest last success is younger than twice the
// feed interval, warning up to six times, error beyond. A feed whose last
// attempt failed makes its property a warning at once.
func (s *Server) checkICal(ctx context.Context, log *slog.Logger) check {
	rows, err := dbq.New(s.pool).FeedHealthOverview(ctx)
	if err != nil {
		log.Warn("health: ical", "error", err)
		return check{"status": "error", "error": "cannot read feeds"}
	}
	if len(rows) == 0 {
		return check{"status": "unconfigured"}
	}
	now := s.clock.Now()
	worst := "ok"
	props := map[string]any{}
	for _, r := range rows {
		age := now.Sub(r.OldestSuccess)
		interval := time.Duration(r.IntervalMinutes) * time.Minute
		st := "ok"
		switch {
		case age >= 6*interval:
			st = "error"
		case age >= 2*interval, r.FailingFeeds > 0:
			st = "warning"
		}
		if st == "error" || (st == "warning" && worst == "ok") {
			worst = st
		}
		s.metrics.ICalLastSyncAge.WithLabelValues(r.Slug).Set(age.Minutes())
		props[r.Slug] = map[string]any{"status": st, "last_sync_age_minutes": int(age.Minutes()),
			"interval_minutes": r.IntervalMinutes, "failing_feeds": r.FailingFeeds}
	}
	return check{"status": worst, "properties": props}
}
