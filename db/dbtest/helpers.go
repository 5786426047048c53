package dbtest

import (
	"context"
	"testing"
	"time"

	"alojamientos/db/dbq"
)

// Count runs a query that returns one integer (a count(*)) and returns it,
// failing the test on error.
func Count(t testing.TB, db dbq.DBTX, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("dbtest: count %q: %v", sql, err)
	}
	return n
}

// WaitTimeout bounds Eventually: long enough for River jobs and NOTIFY
// listeners on a loaded CI machine, short enough to fail a stuck test.
const WaitTimeout = 20 * time.Second

// Eventually polls cond every 20 ms until it holds, and fails the test with
// "timed out waiting for <what>" after WaitTimeout. It is for effects that
// happen a moment after the action (a River job, a NOTIFY reaching a cache);
// to make time pass for the code under test, move its clock instead
// (platform.TestClock.Advance).
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
