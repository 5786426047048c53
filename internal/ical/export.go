package ical

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/platform"
)

// ErrNotFound is an unknown (or rotated) feed token.
var ErrNotFound = errors.New("ical: feed not found")

// Doc is one rendered export feed.
type Doc struct {
	PropertyID   int64
	Body         []byte
	ETag         string
	LastModified time.Time
}

// Exporter renders the export feeds and keeps them in memory, dropped when
// PostgreSQL announces that a property's nights or tokens changed (channels
// nights_changed and property_changed). While the listener is not connected
// every request renders afresh: a missed notification must never serve stale nights.
type Exporter struct {
	DB dbq.DBTX

	mu      sync.RWMutex
	entries map[string]*Doc
	gen     uint64
	enabled atomic.Bool
}

// Feed returns the feed a token opens.
func (x *Exporter) Feed(ctx context.Context, token string) (*Doc, error) {
	x.mu.RLock()
	d, ok := x.entries[token]
	gen := x.gen
	x.mu.RUnlock()
	if ok && x.enabled.Load() {
		return d, nil
	}
	d, err := x.render(ctx, token)
	if err != nil {
		return nil, err
	}
	if x.enabled.Load() {
		x.mu.Lock()
		if x.gen == gen {
			if x.entries == nil {
				x.entries = map[string]*Doc{}
			}
			x.entries[token] = d
		}
		x.mu.Unlock()
	}
	return d, nil
}

// Summaries of exported intervals: never a guest's name, phone or email.
const (
	summaryReserved    = "Reservado"
	summaryUnavailable = "No disponible"
)

func (x *Exporter) render(ctx context.Context, token string) (*Doc, error) {
	if len(token) < 32 || len(token) > 128 {
		return nil, ErrNotFound
	}
	q := db.Q(x.DB)
	feed, err := q.GetExportFeed(ctx, token)
	if errors.Is(err, db.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("ical: export feed: %w", err)
	}
	// Read the change time first: a change committed between the two reads
	// then makes Last-Modified older than the body, never newer.
	changed, err := q.LastNightsChange(ctx, feed.PropertyID)
	if err != nil {
		return nil, fmt.Errorf("ical: export feed %d: %w", feed.PropertyID, err)
	}
	rows, err := q.ListExportNights(ctx, feed.PropertyID)
	if err != nil {
		return nil, fmt.Errorf("ical: export nights %d: %w", feed.PropertyID, err)
	}
	events := make([]OutEvent, 0, len(rows))
	for _, r := range rows {
		if feed.Channel != "" && r.Channel == feed.Channel {
			continue // the channel does not need its own stays back
		}
		summary := summaryUnavailable
		if r.Kind == "reservation" {
			summary = summaryReserved
		}
		events = append(events, OutEvent{UID: "occ-" + strconv.FormatInt(r.ID, 10) + "@alojamientos",
			Summary: summary, Start: r.StartsOn, End: r.EndsOn, Stamp: r.CreatedAt})
	}
	body := Render(feed.Name, events)
	sum := sha256.Sum256(body)
	return &Doc{PropertyID: feed.PropertyID, Body: body, ETag: `"` + hex.EncodeToString(sum[:16]) + `"`,
		LastModified: changed.UTC().Truncate(time.Second)}, nil
}

// Invalidate drops a property's feeds, or all for id 0.
func (x *Exporter) Invalidate(id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.gen++
	for k, d := range x.entries {
		if id == 0 || d.PropertyID == id {
			delete(x.entries, k)
		}
	}
}

// SetEnabled implements platform.Invalidator.
func (x *Exporter) SetEnabled(on bool) {
	x.Invalidate(0)
	x.enabled.Store(on)
}

// Listen follows changes until ctx ends (see platform.FollowChanges).
func (x *Exporter) Listen(ctx context.Context, connect func(context.Context) (*pgx.Conn, error), log *slog.Logger, ready chan<- struct{}) {
	platform.FollowChanges(ctx, connect, []string{"nights_changed", "property_changed"}, x, log, "ical feed cache", ready)
}
