package webtest

import (
	"testing"
	"time"

	"alojamientos/db/dbtest"
)

// Count runs a count(*) query on the server's database (dbtest.Count).
func (s *Server) Count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, s.Pool, sql, args...)
}

// GetUntil repeats a GET of path (with header, which may be nil) until ok
// accepts the answer, for pages served from a cache that hears of a change
// through PostgreSQL's NOTIFY a moment after the commit. After
// dbtest.WaitTimeout it returns the last answer, for the caller's assertion
// to say what was wrong.
func (s *Server) GetUntil(t testing.TB, path string, header map[string]string, ok func(Response) bool) Response {
	t.Helper()
	deadline := time.Now().Add(dbtest.WaitTimeout)
	for {
		r := s.Do(t, "GET", path, nil, header)
		if ok(r) || time.Now().After(deadline) {
			return r
		}
		time.Sleep(20 * time.Millisecond)
	}
}
