package booking

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A load that began before an invalidation must not store what it read:
// the row it saw may predate the change that was just announced.
func TestPropertyCacheDropsLoadsThatRacedAnInvalidation(t *testing.T) {
	t.Parallel()
	c := NewPropertyCache()
	c.SetEnabled(true)
	_, gen, ok := c.get(1)
	require.False(t, ok)
	c.Invalidate(1) // a change committed while the load was in flight
	c.put(gen, Property{ID: 1})
	_, _, ok = c.get(1)
	require.False(t, ok, "stale load must not be cached")

	_, gen, _ = c.get(1)
	c.put(gen, Property{ID: 1})
	_, _, ok = c.get(1)
	require.True(t, ok)

	c.SetEnabled(false)
	_, _, ok = c.get(1)
	require.False(t, ok, "a disabled cache answers nothing")
}
