package booking

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"

	"alojamientos/internal/platform"
)

// PropertyCache keeps loaded properties in memory, so a quote or a hold does
// not read the same rules and seasons on every request. Entries are dropped
// when PostgreSQL announces a change (channel property_changed, sent by
// triggers at commit), on every instance. While the listener is not
// connected the cache is off: a missed notification must never leave a stale
// price or an inactive property bookable.
type PropertyCache struct {
	mu      sync.RWMutex
	entries map[int64]Property
	// gen moves on every invalidation; a load that started before it may
	// not store what it read, since that may predate the change.
	gen     uint64
	enabled atomic.Bool
}

// NewPropertyCache returns an empty, disabled cache; Listen enables it.
func NewPropertyCache() *PropertyCache {
	return &PropertyCache{entries: map[int64]Property{}}
}

func (c *PropertyCache) get(id int64) (Property, uint64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.entries[id]
	return p, c.gen, ok && c.enabled.Load()
}

func (c *PropertyCache) put(gen uint64, p Property) {
	if !c.enabled.Load() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.entries[p.ID] = p
	}
}

// Invalidate drops one property, or all of them for id 0.
func (c *PropertyCache) Invalidate(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if id == 0 {
		clear(c.entries)
		return
	}
	delete(c.entries, id)
}

// SetEnabled implements platform.Invalidator.
func (c *PropertyCache) SetEnabled(on bool) {
	c.Invalidate(0)
	c.enabled.Store(on)
}

// ChangesChannel is the NOTIFY channel the triggers of migration 00002 use.
const ChangesChannel = "property_changed"

// Listen follows changes until ctx ends (see platform.FollowChanges).
func (c *PropertyCache) Listen(ctx context.Context, connect func(context.Context) (*pgx.Conn, error), log *slog.Logger, ready chan<- struct{}) {
	platform.FollowChanges(ctx, connect, []string{ChangesChannel}, c, log, "property cache", ready)
}
