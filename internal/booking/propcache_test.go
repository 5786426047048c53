package booking_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

func TestPropertyCacheFollowsEveryChange(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	ctx := context.Background()
	load := func() booking.Property {
		got, err := s.Booking.LoadProperty(ctx, p.ID)
		require.NoError(t, err)
		return got
	}
	require.Equal(t, money.FromUnits(10000), load().Rules.BasePrice)

	exec := func(sql string, args ...any) {
		_, err := s.Pool.Exec(ctx, sql, args...)
		require.NoError(t, err)
	}
	// Each change is seen by the next loads once its notification arrives.
	exec(`UPDATE properties SET base_price = 12345 WHERE id = $1`, p.ID)
	require.Eventually(t, func() bool { return load().Rules.BasePrice == money.FromUnits(12345) }, 5*time.Second, 10*time.Millisecond)

	exec(`INSERT INTO seasons (property_id, name, starts_on, ends_on, nightly_price) VALUES ($1, 'Alta', '2030-01-01', '2030-01-31', 20000)`, p.ID)
	require.Eventually(t, func() bool { return len(load().Seasons) == 1 }, 5*time.Second, 10*time.Millisecond)

	exec(`UPDATE seasons SET nightly_price = 21000 WHERE property_id = $1`, p.ID)
	require.Eventually(t, func() bool { return load().Seasons[0].NightlyPrice == money.FromUnits(21000) }, 5*time.Second, 10*time.Millisecond)

	exec(`DELETE FROM seasons WHERE property_id = $1`, p.ID)
	require.Eventually(t, func() bool { return len(load().Seasons) == 0 }, 5*time.Second, 10*time.Millisecond)

	exec(`UPDATE accounts SET timezone = 'America/Argentina/Cordoba' WHERE id = $1`, s.Account.ID)
	require.Eventually(t, func() bool { return load().Timezone.String() == "America/Argentina/Cordoba" }, 5*time.Second, 10*time.Millisecond)

	exec(`UPDATE properties SET active = false WHERE id = $1`, p.ID)
	require.Eventually(t, func() bool { return !load().Active }, 5*time.Second, 10*time.Millisecond)
	// And through the API: an inactive property takes no holds.
	in := s.Today().AddDate(0, 0, 3)
	r := s.Do(t, "POST", "/api/v1/reservations/pre-reserve", map[string]any{"property_id": p.ID, "check_in": booking.FormatDate(in),
		"check_out": booking.FormatDate(in.AddDate(0, 0, 2)), "guests": 2, "guest_name": "Ana", "guest_phone": "+5491155551234"}, nil)
	require.Equal(t, 422, r.Status)
}

func TestPropertyCacheIsOffWithoutItsListener(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p := s.Property(t)
	ctx := context.Background()
	cache := booking.NewPropertyCache()
	svc := *s.Booking
	svc.Properties = cache
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		cache.Listen(lctx, func(context.Context) (*pgx.Conn, error) { return nil, errors.New("database unreachable") },
			webtest.Logger(t), nil)
	}()
	defer func() { cancel(); <-done }()

	got, err := svc.LoadProperty(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(10000), got.Rules.BasePrice)
	_, err = s.Pool.Exec(ctx, `UPDATE properties SET base_price = 999 WHERE id = $1`, p.ID)
	require.NoError(t, err)
	// No listener, no cache: the very next load sees the change.
	got, err = svc.LoadProperty(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(999), got.Rules.BasePrice)
}
