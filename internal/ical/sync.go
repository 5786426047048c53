package ical

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/format"
	"alojamientos/internal/platform"
)

// DB is what the syncer needs: a pool, or a transaction in tests.
type DB interface {
	dbq.DBTX
	Begin(ctx context.Context) (db.Tx, error)
}

// Syncer imports channel feeds into occupancy. Build it in main.
type Syncer struct {
	DB      DB
	Clock   platform.Clock
	Log     *slog.Logger
	Metrics *platform.Metrics
	HTTP    *http.Client
	// UserAgent sent to channels; a default when empty.
	UserAgent string
}

// Channels a feed may come from, with the name an owner reads.
var Channels = map[string]string{"airbnb": "Airbnb", "booking": "Booking.com", "vrbo": "Vrbo", "other": "Otro canal"}

// ChannelOrder lists Channels in display order.
var ChannelOrder = []string{"airbnb", "booking", "vrbo", "other"}

// LeaseTime bounds one sync; a crashed instance's lease runs out by itself.
const LeaseTime = 2 * time.Minute

// Result is what one sync did.
type Result struct {
	FeedID      int64
	Property    string
	Channel     string
	Status      int
	NotModified bool
	Busy        bool // another sync holds the lease (or took it over, or the feed was removed): nothing applied
	Pending     bool // a large removal waits for a second agreeing fetch; the rest was applied
	Events      int
	Added       int
	Moved       int
	Released    int
	Conflicts   int
	Err         error  // a failed sync (the previous state is kept)
	ErrText     string // the failure (or the removal that waits) as the owner reads it

	fingerprint string // the fetched (UID, nights) set a waiting removal must see again
}

// Changes counts what moved in the calendar.
func (r Result) Changes() int { return r.Added + r.Moved + r.Released + r.Conflicts }

// String is the line `feeds sync` prints.
func (r Result) String() string {
	head := fmt.Sprintf("%s %s (feed %d): ", r.Property, r.Channel, r.FeedID)
	switch {
	case r.Busy:
		return head + "otra instancia lo está sincronizando"
	case r.Err != nil:
		return head + "FALLÓ: " + r.ErrText
	case r.NotModified:
		return head + "sin cambios (304)"
	case r.Pending:
		return head + fmt.Sprintf("%d eventos; %d nuevos, %d movidos, %d conflictos; ", r.Events, r.Added, r.Moved, r.Conflicts) + r.ErrText
	}
	return head + fmt.Sprintf("ok, %d eventos; %d nuevos, %d movidos, %d liberados, %d conflictos",
		r.Events, r.Added, r.Moved, r.Released, r.Conflicts)
}

func (s *Syncer) userAgent() string {
	if s.UserAgent != "" {
		return s.UserAgent
	}
	return userAgentBase + " (" + platform.Version + ")"
}

// SyncFeed fetches one feed and reconciles it. The returned error is for
// infrastructure trouble (the database); a channel failing is a Result with Err.
//
// The lease taken first names its holder: only this sync may apply its fetch
// and clear the lease. Applying happens in one transaction that first locks
// the feed row while checking the lease is still ours, so a removal of the
// feed (DeleteFeed locks the row too) and a sync that took the lease over
// after ours ran out both exclude this one.
func (s *Syncer) SyncFeed(ctx context.Context, id int64) (Result, error) {
	res := Result{FeedID: id}
	run, err := s.leaseFeed(ctx, id)
	if err != nil {
		return res, err
	}
	if run == nil {
		res.Busy = true
		return res, nil
	}
	res.Channel = run.feed.Channel
	fr, cal, ferr := s.fetchFeed(ctx, run, &res)
	if ferr != nil {
		return s.recordFailure(ctx, run, res, fr.Status, ferr)
	}
	st := int32(fr.Status)
	run.finish.LastStatus, run.finish.Success = &st, true
	if cal == nil { // 304: nothing to apply
		return s.recordNotModified(ctx, run, res)
	}
	return s.apply(ctx, run, res, fr, cal)
}

// syncRun is one SyncFeed under way: the feed as it was when leased, and
// what FinishFeedSync will record, which carries the lease's token (only its
// holder may apply a fetch and clear the lease) and starts from the feed's
// current validators and events.
type syncRun struct {
	feed   dbq.GetFeedForSyncRow
	loc    *time.Location // the property's, for the feed's dates
	now    time.Time
	finish dbq.FinishFeedSyncParams
	log    *slog.Logger
}

// leaseFeed takes the feed's sync lease and loads it. A nil run (with a nil
// error) means busy: another sync holds the lease, or the feed was removed.
func (s *Syncer) leaseFeed(ctx context.Context, id int64) (*syncRun, error) {
	q := db.Q(s.DB)
	now := s.Clock.Now().UTC().Truncate(time.Microsecond)
	token, err := q.LeaseFeed(ctx, dbq.LeaseFeedParams{ID: id, Now: now, Until: now.Add(LeaseTime)})
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("ical: lease feed %d: %w", id, err)
	}
	f, err := q.GetFeedForSync(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil // removed in the meantime
	} else if err != nil {
		return nil, fmt.Errorf("ical: load feed %d: %w", id, err)
	}
	loc, err := time.LoadLocation(f.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return &syncRun{feed: f, loc: loc, now: now,
		finish: dbq.FinishFeedSyncParams{ID: id, LeaseToken: token, Now: now, PendingRemovalHash: f.PendingRemovalHash,
			Etag: f.Etag, LastModified: f.LastModified, Events: f.Events},
		log: s.Log.With("feed_id", id, "property_id", f.PropertyID, "channel", f.Channel, "url", MaskURL(f.Url)),
	}, nil
}

// fetchFeed asks the channel for the feed (conditionally, with the
// validators of the last applied fetch) and parses it, noting the answer in
// res. The calendar is nil on 304 and on any failure, which is the error: a
// transport error, a status other than 200 or 304, or a body Parse refuses.
func (s *Syncer) fetchFeed(ctx context.Context, run *syncRun, res *Result) (fetchResult, *Calendar, error) {
	f := run.feed
	fctx, cancel := context.WithTimeout(ctx, FetchTimeout)
	fr, err := fetch(fctx, s.HTTP, f.Url, f.Etag, f.LastModified, s.userAgent())
	cancel()
	res.Status = fr.Status
	var cal *Calendar
	switch {
	case err != nil:
	case fr.Status == http.StatusNotModified:
		res.NotModified = true
		res.Events = int(f.Events)
	case fr.Status != http.StatusOK:
		err = fmt.Errorf("ical: HTTP %d", fr.Status)
	default:
		cal, err = Parse(fr.Body, run.loc)
	}
	return fr, cal, err
}

// recordFailure records a failed fetch: the owner's reading of it and the
// status, keeping the previous state of the calendar. It records through the
// lease even if ctx was cancelled, so the failure is not lost.
func (s *Syncer) recordFailure(ctx context.Context, run *syncRun, res Result, status int, ferr error) (Result, error) {
	res.Err = ferr
	if status != 0 && status != http.StatusOK {
		res.ErrText = ownerError(nil, status)
	} else {
		res.ErrText = ownerError(ferr, 0)
	}
	run.log.Warn("ical sync failed: previous state kept", "status", status, "error", ferr)
	s.Metrics.ICalSyncErrors.Inc()
	st := int32(status)
	run.finish.LastStatus, run.finish.LastError = &st, res.ErrText
	if n, err := db.Q(s.DB).FinishFeedSync(context.WithoutCancel(ctx), run.finish); err != nil {
		return res, fmt.Errorf("ical: record feed %d: %w", run.finish.ID, err)
	} else if n == 0 {
		run.log.Info("ical sync: lease lost before recording the failure")
	}
	return res, nil
}

// recordNotModified records a 304 as a success with nothing to apply.
func (s *Syncer) recordNotModified(ctx context.Context, run *syncRun, res Result) (Result, error) {
	// The calendar is what we last applied: a waiting removal is not confirmed by it.
	run.finish.PendingRemovalHash = ""
	if n, err := db.Q(s.DB).FinishFeedSync(context.WithoutCancel(ctx), run.finish); err != nil {
		return res, fmt.Errorf("ical: record feed %d: %w", run.finish.ID, err)
	} else if n == 0 {
		res.Busy = true
	}
	return res, nil
}

// apply reconciles a fetched calendar and records the sync in one
// transaction, then logs the outcome. A lease lost meanwhile (taken over, or
// the feed removed) applies nothing and is a busy Result.
func (s *Syncer) apply(ctx context.Context, run *syncRun, fetched Result, fr fetchResult, cal *Calendar) (Result, error) {
	res := fetched
	if err := s.inTx(ctx, func(tx db.Tx) error {
		var err error
		res, err = s.applyInTx(ctx, tx, run, fetched, fr, cal)
		return err
	}); err != nil {
		return res, fmt.Errorf("ical: reconcile feed %d: %w", run.feed.ID, err)
	}
	if res.Busy {
		run.log.Warn("ical sync: the lease was taken over or the feed removed: this fetch is not applied")
		return Result{FeedID: run.feed.ID, Channel: run.feed.Channel, Status: res.Status, Busy: true}, nil
	}
	run.log.Info("ical sync", "status", fr.Status, "events", res.Events, "added", res.Added, "moved", res.Moved,
		"released", res.Released, "conflicts", res.Conflicts, "pending", res.Pending)
	return res, nil
}

// applyInTx is apply's transaction. It first locks the feed row while
// checking the lease is still ours, so DeleteFeed (which locks the row too)
// and a sync that took the lease over after ours ran out exclude this one. A
// retried transaction starts again from fetched.
func (s *Syncer) applyInTx(ctx context.Context, tx db.Tx, run *syncRun, fetched Result, fr fetchResult, cal *Calendar) (Result, error) {
	res := fetched
	tq := db.Q(tx)
	if _, err := tq.LockLeasedFeed(ctx, dbq.LockLeasedFeedParams{ID: run.feed.ID, LeaseToken: run.finish.LeaseToken}); errors.Is(err, db.ErrNotFound) {
		res.Busy = true
		return res, nil
	} else if err != nil {
		return res, err
	}
	res, err := s.reconcile(ctx, tx, run.feed, run.loc, cal, run.now, res)
	if err != nil {
		return res, err
	}
	res.Events = len(cal.Events)
	_, err = tq.FinishFeedSync(ctx, appliedFinish(run, res, fr, cal))
	return res, err
}

// appliedFinish is what FinishFeedSync records after reconciling cal: the
// new validators and counts, or, while a large removal waits, the old
// validators (so the second fetch gets the body again) and what it must
// agree with.
func appliedFinish(run *syncRun, res Result, fr fetchResult, cal *Calendar) dbq.FinishFeedSyncParams {
	fin := run.finish
	fin.Events, fin.Changes = int32(len(cal.Events)), int32(res.Changes())
	fin.PendingRemovalHash, fin.Etag, fin.LastModified = "", fr.ETag, fr.LastModified
	if res.Pending {
		fin.Success, fin.PendingRemovalHash, fin.Etag, fin.LastModified = false, res.fingerprint, run.feed.Etag, run.feed.LastModified
		fin.LastError = res.ErrText
	}
	return fin
}

func (s *Syncer) inTx(ctx context.Context, fn func(tx db.Tx) error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = db.InTx(ctx, s.DB, fn)
		if !db.IsRetry(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	return err
}

// Label is what our calendar and the export show for an imported event:
// the channel and whether it is a stay or a block, never the guest.
func Label(channel, summary string) string {
	name := Channels[channel]
	if name == "" {
		name = Channels["other"]
	}
	l := strings.ToLower(summary)
	for _, w := range []string{"reserv", "réserv", "provisoire", "booked"} {
		if strings.Contains(l, w) {
			return name + " · Reserva"
		}
	}
	return name + " · No disponible"
}

// LargeRemoval is the rule of the two-fetch guard: a fetch that would
// release all of the feed's future events, or more than half of them (at
// least one), is only applied when a second fetch agrees on it. It covers
// small feeds too: one future event freed by one empty answer is a removal
// of all of them.
func LargeRemoval(gone, future int) bool {
	return gone > 0 && (gone == future || gone*2 > future)
}

// fingerprint identifies what a fetch says from today on: the set of (UID,
// nights) of its future events, not its bytes (channels stamp DTSTAMP with
// the time of the request).
func fingerprint(cal *Calendar, today time.Time) string {
	lines := make([]string, 0, len(cal.Events))
	for _, e := range cal.Events {
		if e.End.After(today) {
			lines = append(lines, e.UID+"\x00"+e.Start.Format("2006-01-02")+"\x00"+e.End.Format("2006-01-02"))
		}
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}

// reconcile applies a parsed feed. It runs in one transaction: every
// blocking row goes through the EXCLUDE constraint; a refusal is a conflict.
// A large removal waits for a second agreeing fetch, but new and moved events
// are applied at once.
func (s *Syncer) reconcile(ctx context.Context, tx db.Tx, f dbq.GetFeedForSyncRow, loc *time.Location,
	cal *Calendar, now time.Time, res Result) (Result, error) {
	r := &reconciler{s: s, tx: tx, q: db.Q(tx), f: f, today: localDate(now, false, loc), now: now, res: res}
	existing, err := r.q.ListImportedEvents(ctx, f.ID)
	if err != nil {
		return r.res, err
	}
	// Releases first (so a moved stay may take nights a vanished one left), but
	// only after the two-fetch rule allows them.
	if err := r.releaseGone(ctx, existing, cal); err != nil {
		return r.res, err
	}
	byUID := make(map[string]dbq.ImportedEvent, len(existing))
	for _, e := range existing {
		byUID[e.Uid] = e
	}
	for _, e := range sortedEvents(cal) {
		prev, known := byUID[e.UID]
		if !e.End.After(r.today) {
			err = r.past(ctx, e, prev, known)
		} else {
			err = r.current(ctx, e, prev, known)
		}
		if err != nil {
			return r.res, err
		}
	}
	return r.res, nil
}

// reconciler is one reconcile under way: its transaction, the feed, the
// property's today (nights before it are history), the time of the sync and
// the counts it adds up.
type reconciler struct {
	s          *Syncer
	tx         db.Tx
	q          *dbq.Queries
	f          dbq.GetFeedForSyncRow
	today, now time.Time
	res        Result
}

// releaseGone frees the nights of the future events the feed no longer has,
// unless that is a large removal a second fetch has not yet agreed on: then
// it releases none of them and marks the result pending.
func (r *reconciler) releaseGone(ctx context.Context, existing []dbq.ImportedEvent, cal *Calendar) error {
	gone, future := vanished(existing, cal, r.today)
	if LargeRemoval(len(gone), future) {
		if fp := fingerprint(cal, r.today); r.f.PendingRemovalHash != fp {
			r.res.Pending, r.res.fingerprint = true, fp
			r.res.ErrText = fmt.Sprintf("El calendario perdió %d de %d eventos futuros: se espera una segunda lectura igual antes de liberar esas noches.", len(gone), future)
			r.s.Log.Warn("ical sync: large removal held until a second agreeing fetch", "feed_id", r.f.ID, "gone", len(gone), "future", future)
			return nil
		}
	}
	for _, e := range gone {
		if err := r.s.releaseFrom(ctx, r.q, e, r.today, r.now, r.f.Channel); err != nil {
			return err
		}
		if err := r.q.ReleaseImportedEvent(ctx, dbq.ReleaseImportedEventParams{ID: e.ID, Now: r.now}); err != nil {
			return err
		}
		r.res.Released++
	}
	return nil
}

// vanished lists the imported events still in the future on today that
// cal no longer has, and how many imported events are in the future.
func vanished(existing []dbq.ImportedEvent, cal *Calendar, today time.Time) (gone []dbq.ImportedEvent, future int) {
	incoming := make(map[string]bool, len(cal.Events))
	for _, e := range cal.Events {
		incoming[e.UID] = true
	}
	for _, e := range existing {
		if !e.EndsOn.After(today) {
			continue // history
		}
		future++
		if !incoming[e.Uid] {
			gone = append(gone, e)
		}
	}
	return gone, future
}

// sortedEvents is cal's events by start, then UID, so every sync applies
// them in the same order.
func sortedEvents(cal *Calendar) []Event {
	events := append([]Event(nil), cal.Events...)
	sort.Slice(events, func(i, j int) bool {
		if !events[i].Start.Equal(events[j].Start) {
			return events[i].Start.Before(events[j].Start)
		}
		return events[i].UID < events[j].UID
	})
	return events
}

// upsert is the imported-event row for e as of this sync, without nights
// or a conflict yet.
func (r *reconciler) upsert(e Event) dbq.UpsertImportedEventParams {
	return dbq.UpsertImportedEventParams{FeedID: r.f.ID, Uid: e.UID, StartsOn: e.Start, EndsOn: e.End,
		Summary: Label(r.f.Channel, e.Summary), Now: r.now}
}

// past applies an event that ends by today: a past stay, nothing to block.
// One that was in the future (moved into the past, or a stay in progress
// ended early) frees the nights it left from today on; its past nights stay
// as history.
func (r *reconciler) past(ctx context.Context, e Event, prev dbq.ImportedEvent, known bool) error {
	if !known || !prev.EndsOn.After(r.today) {
		return nil
	}
	up := r.upsert(e)
	if prev.OccupancyID != nil {
		if err := r.s.releaseFrom(ctx, r.q, prev, r.today, r.now, r.f.Channel); err != nil {
			return err
		}
		if prev.StartsOn.Before(r.today) {
			up.OccupancyID = prev.OccupancyID // the history it keeps
		}
	}
	if err := r.q.UpsertImportedEvent(ctx, up); err != nil {
		return err
	}
	r.res.Moved++
	return nil
}

// current applies an event still to come: unchanged, moved (prev blocks
// other nights) or to block now (new, or without nights after a conflict).
func (r *reconciler) current(ctx context.Context, e Event, prev dbq.ImportedEvent, known bool) error {
	sameDates := known && prev.StartsOn.Equal(e.Start) && prev.EndsOn.Equal(e.End)
	up := r.upsert(e)
	var err error
	switch {
	case sameDates && prev.OccupancyID != nil:
		return nil
	case known && prev.OccupancyID != nil:
		err = r.moveNights(ctx, e, prev, &up)
	default:
		// A collision already reported for these dates is not reported again.
		err = r.block(ctx, e, sameDates && prev.Conflict, &up)
	}
	if err != nil {
		return err
	}
	return r.q.UpsertImportedEvent(ctx, up)
}

// moveNights moves prev's nights to e's: the constraint decides whether the new
// nights are free. When they are not, the channel moved its stay onto our
// nights: its old nights are freed and the collision is a conflict.
func (r *reconciler) moveNights(ctx context.Context, e Event, prev dbq.ImportedEvent, up *dbq.UpsertImportedEventParams) error {
	moved, err := r.s.move(ctx, r.tx, *prev.OccupancyID, e, up.Summary)
	if err != nil {
		return err
	}
	if moved {
		up.OccupancyID = prev.OccupancyID
		r.res.Moved++
		return nil
	}
	if _, err := r.q.ReleaseOccupancy(ctx, dbq.ReleaseOccupancyParams{ID: *prev.OccupancyID, Now: r.now}); err != nil {
		return err
	}
	if err := r.s.conflict(ctx, r.q, r.f, e, up.Summary, r.now); err != nil {
		return err
	}
	up.Conflict = true
	r.res.Conflicts++
	return nil
}

// block inserts e's nights; the constraint refusing them is a conflict.
// reported says this collision was already reported for these dates: it is
// not reported again, nor counted as added when its nights come free.
func (r *reconciler) block(ctx context.Context, e Event, reported bool, up *dbq.UpsertImportedEventParams) error {
	id, err := r.q.InsertImportedNights(ctx, dbq.InsertImportedNightsParams{PropertyID: r.f.PropertyID,
		StartsOn: e.Start, EndsOn: e.End, Note: up.Summary, Now: r.now})
	switch {
	case err == nil:
		up.OccupancyID = &id
		if !reported {
			r.res.Added++
		}
	case errors.Is(err, db.ErrNotFound):
		up.Conflict = true
		if !reported {
			if err := r.s.conflict(ctx, r.q, r.f, e, up.Summary, r.now); err != nil {
				return err
			}
			r.res.Conflicts++
		}
	default:
		return err
	}
	return nil
}

// releaseFrom frees an imported event's nights from today on: past nights
// are history and stay, future ones are released.
func (s *Syncer) releaseFrom(ctx context.Context, q *dbq.Queries, e dbq.ImportedEvent, today, now time.Time, channel string) error {
	if e.OccupancyID == nil || !e.EndsOn.After(today) {
		return nil
	}
	if e.StartsOn.Before(today) {
		_, err := q.MoveImportedNights(ctx, dbq.MoveImportedNightsParams{ID: *e.OccupancyID, StartsOn: e.StartsOn,
			EndsOn: today, Note: Label(channel, e.Summary)})
		return err
	}
	_, err := q.ReleaseOccupancy(ctx, dbq.ReleaseOccupancyParams{ID: *e.OccupancyID, Now: now})
	return err
}

// move changes an imported row's nights inside a savepoint; false when the
// constraint refuses (23P01).
func (s *Syncer) move(ctx context.Context, tx db.Tx, occID int64, e Event, label string) (bool, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return false, err
	}
	_, err = db.Q(sp).MoveImportedNights(ctx, dbq.MoveImportedNightsParams{ID: occID, StartsOn: e.Start, EndsOn: e.End, Note: label})
	if db.IsExclusion(err) {
		_ = sp.Rollback(ctx)
		return false, nil
	}
	if err != nil {
		_ = sp.Rollback(ctx)
		return false, err
	}
	return true, sp.Commit(ctx)
}

// conflict records a channel event that collides with our nights: on the
// dashboard (conflicts), in the audit log and in the log. Never dropped.
func (s *Syncer) conflict(ctx context.Context, q *dbq.Queries, f dbq.GetFeedForSyncRow, e Event, label string, now time.Time) error {
	var resID *int64
	with := "otra ocupación"
	hit, err := q.CollidingStay(ctx, dbq.CollidingStayParams{PropertyID: f.PropertyID, StartsOn: e.Start, EndsOn: e.End})
	switch {
	case err == nil && hit.ReservationID != 0:
		id := hit.ReservationID
		resID = &id
		with = "la reserva " + hit.Code
	case err == nil && hit.Kind == "block":
		with = "un bloqueo"
	case err == nil && hit.Kind == "imported":
		with = "otro canal"
	case err != nil && !errors.Is(err, db.ErrNotFound):
		return err
	}
	detail := fmt.Sprintf("%s ocupa del %s al %s, que se cruza con %s.", label,
		format.Date(e.Start), format.Date(e.End), with)
	if err := q.InsertConflict(ctx, dbq.InsertConflictParams{AccountID: f.AccountID, PropertyID: &f.PropertyID,
		ReservationID: resID, Kind: "ical_collision", Detail: detail, Now: now}); err != nil {
		return err
	}
	auditDetail, _ := json.Marshal(map[string]any{"feed_id": f.ID, "channel": f.Channel, "uid": e.UID,
		"check_in": e.Start.Format("2006-01-02"), "check_out": e.End.Format("2006-01-02"), "detail": detail})
	if err := q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: f.AccountID, ReservationID: resID, Actor: "ical",
		Action: "ical_collision", Detail: auditDetail, Now: now}); err != nil {
		return err
	}
	s.Log.Warn("ical collision: a channel sold nights we hold", "feed_id", f.ID, "property_id", f.PropertyID,
		"channel", f.Channel, "check_in", e.Start.Format("2006-01-02"), "check_out", e.End.Format("2006-01-02"), "with", with)
	return nil
}

// SyncAll syncs every feed of a property (all properties for 0).
func (s *Syncer) SyncAll(ctx context.Context, propertyID int64) ([]Result, error) {
	rows, err := db.Q(s.DB).ListAllFeeds(ctx)
	if err != nil {
		return nil, fmt.Errorf("ical: list feeds: %w", err)
	}
	var out []Result
	for _, f := range rows {
		if propertyID != 0 && f.PropertyID != propertyID {
			continue
		}
		r, err := s.SyncFeed(ctx, f.ID)
		if err != nil {
			return out, err
		}
		r.Property = f.PropertySlug
		out = append(out, r)
	}
	s.UpdateAgeMetrics(ctx)
	return out, nil
}

// UpdateAgeMetrics sets ical_last_sync_age_minutes per property.
func (s *Syncer) UpdateAgeMetrics(ctx context.Context) {
	rows, err := db.Q(s.DB).FeedHealthOverview(ctx)
	if err != nil {
		s.Log.Warn("ical: age metrics", "error", err)
		return
	}
	now := s.Clock.Now()
	for _, r := range rows {
		s.Metrics.ICalLastSyncAge.WithLabelValues(r.Slug).Set(now.Sub(r.OldestSuccess).Minutes())
	}
}

// RefreshStale syncs, within ctx's deadline, the property's feeds without a
// success in the last maxAge. It answers which channels may be stale (a
// failure or no answer in time), for the booking to record the risk.
func (s *Syncer) RefreshStale(ctx context.Context, propertyID int64, maxAge time.Duration) []string {
	feeds, err := db.Q(s.DB).ListStaleFeedsOfProperty(ctx, dbq.ListStaleFeedsOfPropertyParams{
		PropertyID: propertyID, Since: s.Clock.Now().Add(-maxAge)})
	if err != nil {
		s.Log.Warn("ical: stale feeds", "property_id", propertyID, "error", err)
		return []string{"calendarios de canales (no se pudieron consultar)"}
	}
	if len(feeds) == 0 {
		return nil
	}
	type out struct {
		id  int64
		r   Result
		err error
	}
	ch := make(chan out, len(feeds))
	for _, f := range feeds {
		go func() {
			r, err := s.SyncFeed(context.WithoutCancel(ctx), f.ID)
			ch <- out{f.ID, r, err}
		}()
	}
	pending := make(map[int64]string, len(feeds))
	for _, f := range feeds {
		pending[f.ID] = f.Channel
	}
	var stale []string
	for range feeds {
		select {
		case o := <-ch:
			switch {
			case o.err != nil || o.r.Err != nil || o.r.Pending:
				stale = append(stale, Channels[pending[o.id]])
			case o.r.Busy:
				// Another sync is under way; its outcome is not known yet.
				stale = append(stale, Channels[pending[o.id]]+" (sincronización en curso)")
			}
			delete(pending, o.id)
		case <-ctx.Done():
			// The syncs go on in the background; the guest does not wait.
			for _, f := range feeds {
				if c, ok := pending[f.ID]; ok {
					stale = append(stale, Channels[c]+" (sin respuesta a tiempo)")
				}
			}
			return stale
		}
	}
	return stale
}

// DeleteFeed stops importing a calendar: its events' nights from today on
// are freed (past ones stay as history), then the feed goes. It locks the
// feed row first, as a sync applying a fetch does, so the two never
// interleave: a sync that committed first has its nights freed here, and one
// that comes after finds the feed gone and applies nothing.
func (s *Syncer) DeleteFeed(ctx context.Context, id, accountID int64) error {
	now := s.Clock.Now().UTC().Truncate(time.Microsecond)
	return s.inTx(ctx, func(tx db.Tx) error {
		q := db.Q(tx)
		f, err := q.LockFeedForDelete(ctx, dbq.LockFeedForDeleteParams{ID: id, AccountID: accountID})
		if errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("ical: delete feed %d: %w", id, ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("ical: delete feed %d: %w", id, err)
		}
		loc, err := time.LoadLocation(f.Timezone)
		if err != nil {
			loc = time.UTC
		}
		today := localDate(now, false, loc)
		events, err := q.ListImportedEvents(ctx, id)
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := s.releaseFrom(ctx, q, e, today, now, f.Channel); err != nil {
				return err
			}
		}
		if _, err := q.DeleteFeed(ctx, dbq.DeleteFeedParams{ID: id, AccountID: accountID}); err != nil {
			return err
		}
		return nil
	})
}
