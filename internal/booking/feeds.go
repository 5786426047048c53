package booking

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// FeedRefresher syncs a property's channel calendars that have not
// succeeded within maxAge, waiting no longer than ctx allows, and names the
// channels that may still be stale. Implemented by ical.Syncer.
type FeedRefresher interface {
	RefreshStale(ctx context.Context, propertyID int64, maxAge time.Duration) []string
}

// Just-in-time refresh before nights are taken: feeds older than
// FeedFreshness are fetched again, and the guest waits at most FeedRefreshWait.
const (
	FeedFreshness   = 3 * time.Minute
	FeedRefreshWait = 2 * time.Second
)

// RefreshFeeds brings the property's channel calendars up to date before a
// hold, so a night a channel just sold is refused now instead of becoming a
// conflict later. It never blocks the booking: it answers the channels that
// may be stale.
func (s *Service) RefreshFeeds(ctx context.Context, propertyID int64) []string {
	if s.Feeds == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, FeedRefreshWait)
	defer cancel()
	return s.Feeds.RefreshStale(ctx, propertyID, FeedFreshness)
}

// RecordFeedRisk notes on a reservation that it was taken while some
// channel calendars could not be refreshed, so the owner sees the risk.
func (s *Service) RecordFeedRisk(ctx context.Context, r Reservation, stale []string) {
	if len(stale) == 0 {
		return
	}
	detail, _ := json.Marshal(map[string]any{"channels": stale,
		"detail": "Se tomó sin poder actualizar los calendarios de: " + strings.Join(stale, ", ") +
			". Revisá que el canal no haya vendido estas noches."})
	id := r.ID
	if err := db.Q(s.DB).InsertAudit(context.WithoutCancel(ctx), dbq.InsertAuditParams{AccountID: r.AccountID,
		ReservationID: &id, Actor: "ical", Action: "feed_stale", Detail: detail, Now: s.Clock.Now()}); err != nil {
		s.Log.Error("booking: record stale feeds", "code", r.Code, "error", err)
		return
	}
	s.Log.Warn("hold taken with stale channel calendars", "code", r.Code, "channels", stale)
}

// refreshBeforeConfirm refreshes the channel calendars of a reservation's
// property before it is confirmed (a payment or the owner), so the risk of a
// channel having sold the nights meanwhile is known and recorded.
func (s *Service) refreshBeforeConfirm(ctx context.Context, reservationID int64) []string {
	if s.Feeds == nil {
		return nil
	}
	pid, err := db.Q(s.DB).ReservationPropertyID(ctx, reservationID)
	if err != nil {
		return nil // Transition reports a missing reservation itself
	}
	return s.RefreshFeeds(ctx, pid)
}
