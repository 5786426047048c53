package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// Two instances on one PostgreSQL and one Redis are one system: sessions,
// rate limits, caches, nights and jobs.
func TestTwoInstancesActAsOne(t *testing.T) {
	t.Parallel()
	a := webtest.Start(t, webtest.Options{Redis: true, Workers: true})
	b := webtest.Start(t, webtest.Options{Redis: true, Workers: true, Peer: a})
	ctx := context.Background()
	p := a.Property(t)

	t.Run("a session from one instance works on the other, and logging out on either ends it", func(t *testing.T) {
		email, password := a.User(t, "owner")
		se := a.Login(t, email, password)
		r := se.On(b).Get("/admin/reservations")
		require.Equal(t, http.StatusOK, r.Status)
		require.Contains(t, string(r.Body), "Reservas")
		require.Equal(t, http.StatusSeeOther, se.On(b).PostForm("/logout", nil).Status)
		r = se.Get("/admin/reservations")
		require.Equal(t, http.StatusSeeOther, r.Status, "revoked in Redis, so on the first instance too")
	})

	t.Run("a hold taken on one instance is gone from the other's cached page", func(t *testing.T) {
		// Warm b's property cache, then change the property through a's database.
		require.Equal(t, http.StatusOK, b.Do(t, http.MethodGet, "/p/"+p.Slug, nil, nil).Status)
		_, err := a.Pool.Exec(ctx, `UPDATE properties SET name = 'Cabaña Renombrada' WHERE id = $1`, p.ID)
		require.NoError(t, err)
		dbtest.Eventually(t, "b hears the change", func() bool {
			return strings.Contains(string(b.Do(t, http.MethodGet, "/p/"+p.Slug, nil, nil).Body), "Cabaña Renombrada")
		})
	})

	t.Run("racing for the same nights on both instances sells them once", func(t *testing.T) {
		ci := a.Today().AddDate(0, 0, 50)
		body := map[string]any{"property_id": p.ID, "check_in": booking.FormatDate(ci), "check_out": booking.FormatDate(ci.AddDate(0, 0, 2)),
			"guests": 2, "guest_name": "Carrera", "guest_phone": "+5491155559999"}
		var wg sync.WaitGroup
		var mu sync.Mutex
		codes := map[int]int{}
		for i := range 40 {
			srv := a
			if i%2 == 1 {
				srv = b
			}
			wg.Go(func() {
				r := srv.Do(t, http.MethodPost, "/api/v1/reservations/pre-reserve", body, nil)
				mu.Lock()
				codes[r.Status]++
				mu.Unlock()
			})
		}
		wg.Wait()
		require.Equal(t, 1, codes[http.StatusCreated], "%v", codes)
		require.Equal(t, 1, a.Count(t, `SELECT count(*) FROM occupancy WHERE property_id = $1 AND active AND lower(nights) = $2`, p.ID, ci))
	})

	t.Run("a due hold is expired once though both instances run workers", func(t *testing.T) {
		ci := a.Today().AddDate(0, 0, 60)
		r := a.Hold(t, p.ID, ci, ci.AddDate(0, 0, 1))
		a.Clock.Advance(31 * time.Minute)
		b.Clock.Advance(31 * time.Minute)
		var wg sync.WaitGroup
		for _, srv := range []*webtest.Server{a, b, a, b} {
			wg.Go(func() {
				_, err := srv.Booking.ExpireDue(ctx)
				require.NoError(t, err)
			})
		}
		wg.Wait()
		require.Equal(t, booking.StatusExpired, rvStored(t, a, r.Code).Status)
		require.Equal(t, 1, a.Count(t, `SELECT count(*) FROM audit_log WHERE reservation_id = $1 AND action = 'hold_expired'`, r.ID))
	})

	t.Run("the rate limit is one budget across instances", func(t *testing.T) {
		// Redis's window opens with the key's first hit and lasts a minute
		// (PEXPIRE on the first INCR, under a fresh prefix per test), not a
		// clock minute: 40 quick requests all fall inside it, whatever the time.
		la := webtest.Start(t, webtest.Options{Redis: true, RateLimit: 30})
		lb := webtest.Start(t, webtest.Options{Redis: true, RateLimit: 30, Peer: la})
		lp := la.Property(t)
		ok := 0
		for i := range 40 {
			srv := la
			if i%2 == 1 {
				srv = lb
			}
			if srv.Do(t, http.MethodGet, "/p/"+lp.Slug, nil, nil).Status == http.StatusOK {
				ok++
			}
		}
		require.Equal(t, 30, ok, fmt.Sprintf("%d of 40 requests passed a shared limit of 30", ok))
	})
}
