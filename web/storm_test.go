package web_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

type answer struct {
	status int
	body   []byte
	err    error
}

// storm fires every body at once: all goroutines wait on one channel, so
// the requests are truly concurrent.
func storm(s *webtest.Server, bodies [][]byte) []answer {
	out := make([]answer, len(bodies))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, b := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			st, body, err := s.Post(prereservePath, b, nil)
			out[i] = answer{st, body, err}
		}()
	}
	close(start)
	wg.Wait()
	return out
}

func TestStormSamePropertyOverlappingNights(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts webtest.Options
	}{
		{"in-process", webtest.Options{}},
		{"redis", webtest.Options{Redis: true}},
		// A Redis that does not answer costs the fast path, never correctness.
		{"redis down", webtest.Options{Redis: true, RedisURL: "redis://127.0.0.1:1/0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := webtest.Start(t, tc.opts)
			p := s.Property(t)
			base := s.Today().AddDate(0, 0, 30)
			bodies := make([][]byte, 200)
			for i := range bodies {
				// Overlapping, not identical: some share the lock key, all share nights.
				in := base.AddDate(0, 0, i%3)
				b, err := json.Marshal(holdBody(p.ID, in, in.AddDate(0, 0, 3)))
				require.NoError(t, err)
				bodies[i] = b
			}
			answers := storm(s, bodies)
			created, refused := 0, 0
			for _, a := range answers {
				require.NoError(t, a.err)
				switch a.status {
				case 201:
					created++
				case 409:
					var e struct{ Error string }
					require.NoError(t, json.Unmarshal(a.body, &e))
					require.Contains(t, []string{"date_overlap", "processing_or_unavailable"}, e.Error)
					refused++
				default:
					t.Fatalf("unexpected answer %d %s", a.status, a.body)
				}
			}
			require.Equal(t, 1, created)
			require.Equal(t, 199, refused)
			require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM occupancy WHERE active AND property_id = $1`, p.ID))
			require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE property_id = $1`, p.ID))
		})
	}
}

func TestMixedStormNeverOverlaps(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{Redis: true})
	var props []dbq.Property
	for range 20 {
		props = append(props, s.Property(t, func(p *dbq.CreatePropertyParams) { p.Capacity, p.IncludedGuests = 6, 2 }))
	}
	base := s.Today().AddDate(0, 0, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	type want struct {
		prop    int64
		in, out time.Time
	}
	var wants []want
	var bodies [][]byte
	for range 400 {
		p := props[rng.IntN(len(props))]
		in := base.AddDate(0, 0, rng.IntN(40))
		out := in.AddDate(0, 0, 1+rng.IntN(6))
		b, err := json.Marshal(holdBody(p.ID, in, out))
		require.NoError(t, err)
		bodies = append(bodies, b)
		wants = append(wants, want{p.ID, in, out})
	}
	answers := storm(s, bodies)
	created := 0
	for i, a := range answers {
		require.NoError(t, a.err)
		require.Contains(t, []int{201, 409}, a.status, string(a.body))
		if a.status != 201 {
			continue
		}
		created++
		var got struct{ Code string }
		require.NoError(t, json.Unmarshal(a.body, &got))
		r, err := s.Booking.Get(context.Background(), got.Code)
		require.NoError(t, err)
		require.Equal(t, wants[i].prop, r.PropertyID)
		require.Equal(t, booking.FormatDate(wants[i].in), booking.FormatDate(r.CheckIn))
		require.Equal(t, booking.FormatDate(wants[i].out), booking.FormatDate(r.CheckOut))
		require.Equal(t, booking.StatusPreReserved, r.Status)
	}
	require.Positive(t, created)
	overlaps, err := db.Q(s.Pool).CountOverlappingActive(context.Background())
	require.NoError(t, err)
	require.Zero(t, overlaps)
	require.Equal(t, created, s.Count(t, `SELECT count(*) FROM occupancy WHERE active`))
	require.Equal(t, created, s.Count(t, `SELECT count(*) FROM reservations`))
}
