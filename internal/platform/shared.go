package platform

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Shared is the state several instances must agree on: short locks and rate
// limits. Redis when configured, in-process otherwise. Neither is ever the
// guarantee for nights; the database constraint is.
type Shared interface {
	// TryLock takes key for ttl. ok=false means someone else holds it. The
	// release func deletes the key only if it is still ours.
	TryLock(ctx context.Context, key string, ttl time.Duration) (release func(), ok bool, err error)
	// Allow counts one hit in key's current window of length window. A
	// limit never fails open: when the shared count cannot be reached, err
	// says why (for the log) and ok and retryAfter are the answer of an
	// in-process count, which the caller obeys all the same.
	Allow(ctx context.Context, key string, limit int, window time.Duration) (ok bool, retryAfter time.Duration, err error)
	// SetValue stores val under key for ttl; GetValue reads it (ok=false when
	// absent or expired); DeleteValue removes it. Used for server-side sessions.
	SetValue(ctx context.Context, key string, val []byte, ttl time.Duration) error
	GetValue(ctx context.Context, key string) (val []byte, ok bool, err error)
	DeleteValue(ctx context.Context, key string) error
	Ping(ctx context.Context) error
	// Mode is "redis" or "disabled" (in-process).
	Mode() string
}

// NewRedisClient builds a client whose calls fail fast: a frozen Redis must
// cost a request a few hundred milliseconds, not go-redis's default seconds.
func NewRedisClient(url string) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("platform: REDIS_URL: %w", err)
	}
	opt.DialTimeout = 200 * time.Millisecond
	opt.ReadTimeout = 200 * time.Millisecond
	opt.WriteTimeout = 200 * time.Millisecond
	opt.PoolTimeout = 300 * time.Millisecond
	opt.MaxRetries = 1
	opt.MinRetryBackoff = 5 * time.Millisecond
	opt.MaxRetryBackoff = 20 * time.Millisecond
	opt.DialerRetries = 1
	opt.ContextTimeoutEnabled = true
	return redis.NewClient(opt), nil
}

// RedisLogger routes go-redis's own messages (dial failures, pool
// warnings) into our JSON log instead of plain text on stderr.
type RedisLogger struct{ Log *slog.Logger }

// Printf implements go-redis's internal logging interface.
func (l RedisLogger) Printf(_ context.Context, format string, v ...any) {
	l.Log.Warn("redis client", "detail", fmt.Sprintf(format, v...))
}

// RedisShared implements Shared on Redis.
type RedisShared struct {
	Client *redis.Client
	Prefix string
	// Clock times the in-process limits used while Redis does not answer;
	// nil means the system clock.
	Clock Clock

	fallbackOnce sync.Once
	fallback     *LocalShared
}

var releaseScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`)

var allowScript = redis.NewScript(`
local n = redis.call("INCR", KEYS[1])
if n == 1 then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 0 then redis.call("PEXPIRE", KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`)

// TryLock implements Shared with SET NX PX and a compare-and-delete release.
func (r *RedisShared) TryLock(ctx context.Context, key string, ttl time.Duration) (func(), bool, error) {
	token := randomHex(16)
	k := r.Prefix + "lock:" + key
	ok, err := r.Client.SetNX(ctx, k, token, ttl).Result()
	if err != nil {
		return func() {}, false, fmt.Errorf("platform: redis lock: %w", err)
	}
	if !ok {
		return func() {}, false, nil
	}
	release := func() {
		// The request may be cancelled already; the release must still happen.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 300*time.Millisecond)
		defer cancel()
		_ = releaseScript.Run(rctx, r.Client, []string{k}, token).Err()
	}
	return release, true, nil
}

// Allow implements Shared with a fixed window counter. While Redis fails,
// hits are counted in this process instead (the same limit per instance):
// letting every request through would hand a password guesser or a flood
// the outage as a gift.
func (r *RedisShared) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	res, err := allowScript.Run(ctx, r.Client, []string{r.Prefix + "rl:" + key}, window.Milliseconds()).Int64Slice()
	if err == nil && len(res) != 2 {
		err = errors.New("unexpected reply")
	}
	if err != nil {
		ok, retry, _ := r.local().Allow(ctx, key, limit, window)
		return ok, retry, fmt.Errorf("platform: redis rate limit (counted in process): %w", err)
	}
	if res[0] > int64(limit) {
		return false, time.Duration(res[1]) * time.Millisecond, nil
	}
	return true, 0, nil
}

// local is the in-process count Allow falls back to.
func (r *RedisShared) local() *LocalShared {
	r.fallbackOnce.Do(func() {
		clock := r.Clock
		if clock == nil {
			clock = SystemClock{}
		}
		r.fallback = NewLocalShared(clock)
	})
	return r.fallback
}

// SetValue implements Shared.
func (r *RedisShared) SetValue(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	if err := r.Client.Set(ctx, r.Prefix+"kv:"+key, val, ttl).Err(); err != nil {
		return fmt.Errorf("platform: redis set: %w", err)
	}
	return nil
}

// GetValue implements Shared.
func (r *RedisShared) GetValue(ctx context.Context, key string) ([]byte, bool, error) {
	b, err := r.Client.Get(ctx, r.Prefix+"kv:"+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("platform: redis get: %w", err)
	}
	return b, true, nil
}

// DeleteValue implements Shared.
func (r *RedisShared) DeleteValue(ctx context.Context, key string) error {
	if err := r.Client.Del(ctx, r.Prefix+"kv:"+key).Err(); err != nil {
		return fmt.Errorf("platform: redis del: %w", err)
	}
	return nil
}

// Ping implements Shared.
func (r *RedisShared) Ping(ctx context.Context) error { return r.Client.Ping(ctx).Err() }

// Mode implements Shared.
func (r *RedisShared) Mode() string { return "redis" }

// LocalShared implements Shared in process memory, for a single instance.
type LocalShared struct {
	Clock Clock

	mu      sync.Mutex
	locks   map[string]string
	windows map[string]*window
	values  map[string]value
	sweepAt time.Time
}

type value struct {
	data    []byte
	expires time.Time
}

type window struct {
	start  time.Time
	length time.Duration
	count  int
}

// NewLocalShared returns an empty in-process Shared.
func NewLocalShared(clock Clock) *LocalShared {
	return &LocalShared{Clock: clock, locks: map[string]string{}, windows: map[string]*window{}, values: map[string]value{}}
}

// TryLock implements Shared. In-process locks need no TTL: the release runs
// when the request ends, and a crash takes the map with it.
func (l *LocalShared) TryLock(_ context.Context, key string, _ time.Duration) (func(), bool, error) {
	token := randomHex(8)
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, held := l.locks[key]; held {
		return func() {}, false, nil
	}
	l.locks[key] = token
	return func() {
		l.mu.Lock()
		if l.locks[key] == token {
			delete(l.locks, key)
		}
		l.mu.Unlock()
	}, true, nil
}

// Allow implements Shared.
func (l *LocalShared) Allow(_ context.Context, key string, limit int, win time.Duration) (bool, time.Duration, error) {
	now := l.Clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.After(l.sweepAt) {
		// Drop finished windows now and then so memory stays bounded by active clients.
		for k, w := range l.windows {
			if now.Sub(w.start) >= w.length {
				delete(l.windows, k)
			}
		}
		for k, v := range l.values {
			if !now.Before(v.expires) {
				delete(l.values, k)
			}
		}
		l.sweepAt = now.Add(win)
	}
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= win {
		w = &window{start: now, length: win}
		l.windows[key] = w
	}
	w.count++
	if w.count > limit {
		return false, w.start.Add(win).Sub(now), nil
	}
	return true, 0, nil
}

// SetValue implements Shared.
func (l *LocalShared) SetValue(_ context.Context, key string, val []byte, ttl time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.values[key] = value{data: append([]byte(nil), val...), expires: l.Clock.Now().Add(ttl)}
	return nil
}

// GetValue implements Shared.
func (l *LocalShared) GetValue(_ context.Context, key string) ([]byte, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	v, ok := l.values[key]
	if !ok || !l.Clock.Now().Before(v.expires) {
		return nil, false, nil
	}
	return append([]byte(nil), v.data...), true, nil
}

// DeleteValue implements Shared.
func (l *LocalShared) DeleteValue(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.values, key)
	return nil
}

// Ping implements Shared.
func (l *LocalShared) Ping(context.Context) error { return nil }

// Mode implements Shared.
func (l *LocalShared) Mode() string { return "disabled" }

// RandomToken returns n random bytes as hex, for tokens and lock owners.
func RandomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
