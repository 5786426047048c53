package platform

import (
	"context"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

var (
	_ Shared = (*LocalShared)(nil)
	_ Shared = (*RedisShared)(nil)
)

func newTestLocalShared() (*LocalShared, *TestClock) {
	clock := NewTestClock(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	return NewLocalShared(clock), clock
}

func TestLocalSharedMode(t *testing.T) {
	t.Parallel()
	s, _ := newTestLocalShared()
	require.Equal(t, "disabled", s.Mode())
	require.NoError(t, s.Ping(context.Background()))
}

func TestLocalSharedTryLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestLocalShared()

	release, ok, err := s.TryLock(ctx, "hold:1:2026-12-01", time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	require.NotNil(t, release)

	release2, ok, err := s.TryLock(ctx, "hold:1:2026-12-01", time.Minute)
	require.NoError(t, err)
	require.False(t, ok, "second TryLock on a held key")
	require.NotNil(t, release2, "a refused lock still returns a callable release")
	release2() // must not free the holder's lock

	_, ok, err = s.TryLock(ctx, "hold:1:2026-12-01", time.Minute)
	require.NoError(t, err)
	require.False(t, ok, "the refused caller's release freed someone else's lock")

	release()
	release3, ok, err := s.TryLock(ctx, "hold:1:2026-12-01", time.Minute)
	require.NoError(t, err)
	require.True(t, ok, "free again after release")
	release3()
}

func TestLocalSharedStaleReleaseKeepsNewHolder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestLocalShared()

	old, ok, err := s.TryLock(ctx, "k", time.Second)
	require.NoError(t, err)
	require.True(t, ok)
	old()

	current, ok, err := s.TryLock(ctx, "k", time.Second)
	require.NoError(t, err)
	require.True(t, ok)

	old() // a late second call from the first holder
	_, ok, err = s.TryLock(ctx, "k", time.Second)
	require.NoError(t, err)
	require.False(t, ok, "the old holder's release deleted the new holder's lock")

	current()
	_, ok, err = s.TryLock(ctx, "k", time.Second)
	require.NoError(t, err)
	require.True(t, ok)
}

func TestLocalSharedKeysIndependent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestLocalShared()
	ra, ok, err := s.TryLock(ctx, "a", time.Second)
	require.NoError(t, err)
	require.True(t, ok)
	rb, ok, err := s.TryLock(ctx, "b", time.Second)
	require.NoError(t, err)
	require.True(t, ok)
	ra()
	_, ok, err = s.TryLock(ctx, "b", time.Second)
	require.NoError(t, err)
	require.False(t, ok, "releasing a freed b")
	rb()
}

func TestLocalSharedTryLockConcurrent(t *testing.T) {
	t.Parallel()
	s, _ := newTestLocalShared()
	var winners atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, ok, err := s.TryLock(context.Background(), "same", time.Minute)
			if err == nil && ok {
				winners.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	require.Equal(t, int32(1), winners.Load())
}

func TestLocalSharedAllow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clock := newTestLocalShared()
	const window = time.Minute

	for i := range 3 {
		ok, retry, err := s.Allow(ctx, "api:10.0.0.1", 3, window)
		require.NoError(t, err)
		require.True(t, ok, "hit %d", i+1)
		require.Zero(t, retry)
	}
	ok, retry, err := s.Allow(ctx, "api:10.0.0.1", 3, window)
	require.NoError(t, err)
	require.False(t, ok, "4th hit")
	require.Greater(t, retry, time.Duration(0))
	require.LessOrEqual(t, retry, window)
	require.Equal(t, window, retry, "nothing moved the clock: the whole window is left")

	// Other keys have their own window.
	ok, _, err = s.Allow(ctx, "api:10.0.0.2", 3, window)
	require.NoError(t, err)
	require.True(t, ok)

	clock.Advance(20 * time.Second)
	ok, retry, err = s.Allow(ctx, "api:10.0.0.1", 3, window)
	require.NoError(t, err)
	require.False(t, ok, "still inside the window")
	require.Equal(t, 40*time.Second, retry)

	clock.Advance(40*time.Second + time.Millisecond)
	for i := range 3 {
		ok, retry, err = s.Allow(ctx, "api:10.0.0.1", 3, window)
		require.NoError(t, err)
		require.True(t, ok, "new window, hit %d", i+1)
		require.Zero(t, retry)
	}
	ok, _, err = s.Allow(ctx, "api:10.0.0.1", 3, window)
	require.NoError(t, err)
	require.False(t, ok)
}

func TestLocalSharedAllowExactlyAtWindowEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clock := newTestLocalShared()
	ok, _, err := s.Allow(ctx, "k", 1, time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	ok, retry, err := s.Allow(ctx, "k", 1, time.Minute)
	require.NoError(t, err)
	require.False(t, ok)
	clock.Advance(retry)
	ok, _, err = s.Allow(ctx, "k", 1, time.Minute)
	require.NoError(t, err)
	require.True(t, ok, "waiting exactly retryAfter must be enough")
}

func TestLocalSharedAllowLimitZero(t *testing.T) {
	t.Parallel()
	s, _ := newTestLocalShared()
	ok, retry, err := s.Allow(context.Background(), "k", 0, time.Minute)
	require.NoError(t, err)
	require.False(t, ok)
	require.Equal(t, time.Minute, retry)
}

// Allow counts each key in its own window of the length given for it. A
// sweep triggered by a key with a short window must not drop the counter of a
// key with a longer one.
func TestLocalSharedAllowMixedWindows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clock := newTestLocalShared()

	ok, _, err := s.Allow(ctx, "minute:ip", 100, time.Minute)
	require.NoError(t, err)
	require.True(t, ok)

	ok, _, err = s.Allow(ctx, "hour:ip", 1, time.Hour)
	require.NoError(t, err)
	require.True(t, ok)
	ok, _, err = s.Allow(ctx, "hour:ip", 1, time.Hour)
	require.NoError(t, err)
	require.False(t, ok)

	clock.Advance(2 * time.Minute)
	ok, _, err = s.Allow(ctx, "minute:ip", 100, time.Minute) // sweeps with a 1-minute window
	require.NoError(t, err)
	require.True(t, ok)

	ok, retry, err := s.Allow(ctx, "hour:ip", 1, time.Hour)
	require.NoError(t, err)
	require.False(t, ok, "the hourly limit was reset after 2 minutes")
	require.Equal(t, 58*time.Minute, retry)
}

// ---- Redis ----

// newTestRedisShared connects to the local Redis (db 15) with a prefix of its
// own, and removes the prefix's keys at the end.
func newTestRedisShared(t *testing.T) (*RedisShared, *redis.Client) {
	t.Helper()
	client, err := NewRedisClient("redis://127.0.0.1:6379/15")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		if os.Getenv("CI") != "" {
			t.Fatalf("Redis on 127.0.0.1:6379 is required in CI: %v", err)
		}
		t.Skipf("Redis on 127.0.0.1:6379 unreachable: %v", err)
	}
	prefix := "test:" + RandomToken(8) + ":"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		keys, _ := client.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			_ = client.Del(ctx, keys...).Err()
		}
		_ = client.Close()
	})
	return &RedisShared{Client: client, Prefix: prefix}, client
}

func TestNewRedisClientBadURL(t *testing.T) {
	t.Parallel()
	_, err := NewRedisClient("http://127.0.0.1:6379")
	require.Error(t, err)
	require.Contains(t, err.Error(), "REDIS_URL")
}

func TestRedisSharedMode(t *testing.T) {
	t.Parallel()
	s, _ := newTestRedisShared(t)
	require.Equal(t, "redis", s.Mode())
	require.NoError(t, s.Ping(context.Background()))
}

func TestRedisSharedTryLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, client := newTestRedisShared(t)
	key := s.Prefix + "lock:hold:1"

	release, ok, err := s.TryLock(ctx, "hold:1", 30*time.Second)
	require.NoError(t, err)
	require.True(t, ok)
	require.EqualValues(t, 1, client.Exists(ctx, key).Val())
	ttl := client.PTTL(ctx, key).Val()
	require.Greater(t, ttl, time.Duration(0), "the lock must expire on its own")
	require.LessOrEqual(t, ttl, 30*time.Second)
	owner := client.Get(ctx, key).Val()
	require.NotEmpty(t, owner)

	release2, ok, err := s.TryLock(ctx, "hold:1", 30*time.Second)
	require.NoError(t, err)
	require.False(t, ok, "second TryLock on a held key")
	require.NotNil(t, release2)
	release2()
	require.Equal(t, owner, client.Get(ctx, key).Val(), "the refused caller's release touched the lock")

	release()
	require.EqualValues(t, 0, client.Exists(ctx, key).Val(), "the key disappears on release")

	release3, ok, err := s.TryLock(ctx, "hold:1", 30*time.Second)
	require.NoError(t, err)
	require.True(t, ok, "free again after release")
	release3()
	require.EqualValues(t, 0, client.Exists(ctx, key).Val())
}

func TestRedisSharedLockHeldByAnotherToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, client := newTestRedisShared(t)
	key := s.Prefix + "lock:hold:2"
	require.NoError(t, client.Set(ctx, key, "another-instance", time.Minute).Err())

	release, ok, err := s.TryLock(ctx, "hold:2", time.Minute)
	require.NoError(t, err)
	require.False(t, ok)
	release()
	require.Equal(t, "another-instance", client.Get(ctx, key).Val())
}

func TestRedisSharedStaleReleaseKeepsNewHolder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, client := newTestRedisShared(t)
	key := s.Prefix + "lock:k"

	old, ok, err := s.TryLock(ctx, "k", time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	// The old holder's TTL runs out (simulated) while it is still working.
	require.NoError(t, client.Del(ctx, key).Err())

	current, ok, err := s.TryLock(ctx, "k", time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	owner := client.Get(ctx, key).Val()

	old()
	require.EqualValues(t, 1, client.Exists(ctx, key).Val(), "the old holder's release deleted the new holder's lock")
	require.Equal(t, owner, client.Get(ctx, key).Val())
	_, ok, err = s.TryLock(ctx, "k", time.Minute)
	require.NoError(t, err)
	require.False(t, ok)

	current()
	require.EqualValues(t, 0, client.Exists(ctx, key).Val())
}

func TestRedisSharedReleaseAfterRequestCancelled(t *testing.T) {
	t.Parallel()
	s, client := newTestRedisShared(t)
	ctx, cancel := context.WithCancel(context.Background())
	release, ok, err := s.TryLock(ctx, "k", time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	cancel()
	release()
	require.EqualValues(t, 0, client.Exists(context.Background(), s.Prefix+"lock:k").Val())
}

func TestRedisSharedKeysIndependent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestRedisShared(t)
	ra, ok, err := s.TryLock(ctx, "a", time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	rb, ok, err := s.TryLock(ctx, "b", time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	ra()
	_, ok, err = s.TryLock(ctx, "b", time.Minute)
	require.NoError(t, err)
	require.False(t, ok)
	rb()
}

func TestRedisSharedPrefixesIsolate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s1, _ := newTestRedisShared(t)
	s2, _ := newTestRedisShared(t)
	r1, ok, err := s1.TryLock(ctx, "same", time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	defer r1()
	r2, ok, err := s2.TryLock(ctx, "same", time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	defer r2()
}

func TestRedisSharedTryLockConcurrent(t *testing.T) {
	t.Parallel()
	s, _ := newTestRedisShared(t)
	var winners atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, ok, err := s.TryLock(context.Background(), "same", time.Minute)
			if err == nil && ok {
				winners.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	require.Equal(t, int32(1), winners.Load())
}

func TestRedisSharedAllow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, client := newTestRedisShared(t)
	const window = time.Minute
	key := s.Prefix + "rl:api:10.0.0.1"

	for i := range 3 {
		ok, retry, err := s.Allow(ctx, "api:10.0.0.1", 3, window)
		require.NoError(t, err)
		require.True(t, ok, "hit %d", i+1)
		require.Zero(t, retry)
	}
	ttl := client.PTTL(ctx, key).Val()
	require.Greater(t, ttl, time.Duration(0), "the window key must expire")
	require.LessOrEqual(t, ttl, window)

	ok, retry, err := s.Allow(ctx, "api:10.0.0.1", 3, window)
	require.NoError(t, err)
	require.False(t, ok, "4th hit")
	require.Greater(t, retry, time.Duration(0))
	require.LessOrEqual(t, retry, window)

	ok, _, err = s.Allow(ctx, "api:10.0.0.2", 3, window)
	require.NoError(t, err)
	require.True(t, ok, "another key has its own window")

	// The window ends (simulated: the key expires now).
	require.NoError(t, client.PExpireAt(ctx, key, time.Unix(1, 0)).Err())
	for i := range 3 {
		ok, retry, err = s.Allow(ctx, "api:10.0.0.1", 3, window)
		require.NoError(t, err)
		require.True(t, ok, "new window, hit %d", i+1)
		require.Zero(t, retry)
	}
	ok, _, err = s.Allow(ctx, "api:10.0.0.1", 3, window)
	require.NoError(t, err)
	require.False(t, ok)
}

// A counter left without a TTL (a crash between INCR and PEXPIRE, or a
// manual SET) must get one back, or the key would refuse forever.
func TestRedisSharedAllowRepairsMissingTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, client := newTestRedisShared(t)
	key := s.Prefix + "rl:k"
	require.NoError(t, client.Set(ctx, key, 5, 0).Err())
	require.Equal(t, time.Duration(-1), client.TTL(ctx, key).Val())

	ok, retry, err := s.Allow(ctx, "k", 3, time.Minute)
	require.NoError(t, err)
	require.False(t, ok)
	require.Greater(t, retry, time.Duration(0))
	require.LessOrEqual(t, retry, time.Minute)
	ttl := client.PTTL(ctx, key).Val()
	require.Greater(t, ttl, time.Duration(0))
	require.LessOrEqual(t, ttl, time.Minute)
}

// frozenRedis is a TCP server that accepts connections and never answers.
func frozenRedis(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return ln.Addr().String()
}

func TestRedisSharedFrozenServerFailsFast(t *testing.T) {
	t.Parallel()
	client, err := NewRedisClient("redis://" + frozenRedis(t) + "/0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	s := &RedisShared{Client: client, Prefix: "frozen:"}

	start := time.Now()
	release, ok, err := s.TryLock(context.Background(), "hold:1", time.Minute)
	elapsed := time.Since(start)
	require.Error(t, err)
	require.False(t, ok)
	require.NotNil(t, release)
	require.Less(t, elapsed, time.Second, "TryLock on a frozen Redis took %s", elapsed)

	// The rate limiter counts in process instead, also quickly.
	start = time.Now()
	ok, _, err = s.Allow(context.Background(), "api:ip", 3, time.Minute)
	elapsed = time.Since(start)
	require.Error(t, err)
	require.True(t, ok, "a broken Redis must not lock everyone out")
	require.Less(t, elapsed, time.Second, "Allow on a frozen Redis took %s", elapsed)
}

// A Redis that does not answer does not open the limits: the hits are
// counted in process, with the same limit and window, until it is back.
func TestRedisSharedAllowFallsBackInProcess(t *testing.T) {
	t.Parallel()
	client, err := NewRedisClient("redis://127.0.0.1:1/0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	clock := NewTestClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s := &RedisShared{Client: client, Prefix: "dead:", Clock: clock}
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		ok, _, err := s.Allow(ctx, "login:ip", 3, time.Minute)
		require.Error(t, err, "the caller hears Redis failed")
		require.True(t, ok, "hit %d", i+1)
	}
	ok, retry, err := s.Allow(ctx, "login:ip", 3, time.Minute)
	require.Error(t, err)
	require.False(t, ok, "the fourth hit in the window is refused")
	require.Equal(t, time.Minute, retry)
	ok, _, _ = s.Allow(ctx, "login:other", 3, time.Minute)
	require.True(t, ok, "another key has its own count")

	clock.Advance(time.Minute)
	ok, _, _ = s.Allow(ctx, "login:ip", 3, time.Minute)
	require.True(t, ok, "a new window")
}
