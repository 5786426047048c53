package booking

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
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

func (c *PropertyCache) setEnabled(on bool) {
	c.Invalidate(0)
	c.enabled.Store(on)
}

// ChangesChannel is the NOTIFY channel the triggers of migration 00002 use.
const ChangesChannel = "property_changed"

// Listen follows property changes until ctx ends, reconnecting with backoff.
// connect opens a dedicated connection (LISTEN needs a session of its own).
// ready, if not nil, is closed the first time the cache is enabled.
func (c *PropertyCache) Listen(ctx context.Context, connect func(context.Context) (*pgx.Conn, error), log *slog.Logger, ready chan<- struct{}) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := c.listenOnce(ctx, connect, func() {
			backoff = 100 * time.Millisecond
			if ready != nil {
				close(ready)
				ready = nil
			}
		})
		c.setEnabled(false)
		if ctx.Err() != nil {
			return
		}
		log.Warn("property cache off: change listener lost its connection", "error", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

func (c *PropertyCache) listenOnce(ctx context.Context, connect func(context.Context) (*pgx.Conn, error), connected func()) error {
	conn, err := connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+ChangesChannel); err != nil {
		return err
	}
	// Changes made before LISTEN took effect were not heard: start empty.
	c.setEnabled(true)
	connected()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		id, perr := strconv.ParseInt(n.Payload, 10, 64)
		if perr != nil {
			id = 0
		}
		c.Invalidate(id)
	}
}
