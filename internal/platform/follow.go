package platform

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Invalidator is an in-memory cache kept right by PostgreSQL notifications
// whose payload is an id (or anything else, meaning "everything").
type Invalidator interface {
	// SetEnabled turns the cache on once it hears every change, and off (and
	// empty) when it may be missing some.
	SetEnabled(on bool)
	// Invalidate drops what id names; 0 drops everything.
	Invalidate(id int64)
}

// FollowChanges LISTENs on channels over a dedicated connection until ctx
// ends, reconnecting with backoff, and keeps c in step: enabled only while
// connected, each notification invalidating its id. ready, if not nil, is
// closed the first time c is enabled.
func FollowChanges(ctx context.Context, connect func(context.Context) (*pgx.Conn, error), channels []string,
	c Invalidator, log *slog.Logger, what string, ready chan<- struct{}) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := followOnce(ctx, connect, channels, c, func() {
			backoff = 100 * time.Millisecond
			if ready != nil {
				close(ready)
				ready = nil
			}
		})
		c.SetEnabled(false)
		if ctx.Err() != nil {
			return
		}
		log.Warn(what+" off: change listener lost its connection", "error", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

func followOnce(ctx context.Context, connect func(context.Context) (*pgx.Conn, error), channels []string,
	c Invalidator, connected func()) error {
	conn, err := connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, ch := range channels {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return err
		}
	}
	// Changes made before LISTEN took effect were not heard: start empty.
	c.SetEnabled(true)
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
