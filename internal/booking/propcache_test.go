package booking_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
	"alojamientos/internal/money"
	"alojamientos/internal/platform"
)

func TestPropertyCacheFollowsEveryChange(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{PropertyCache: true})
	p := e.Property(t)
	ctx := context.Background()
	load := func() booking.Property {
		got, err := e.Booking.LoadProperty(ctx, p.ID)
		require.NoError(t, err)
		return got
	}
	require.Equal(t, money.FromUnits(10000), load().Rules.BasePrice)

	exec := func(sql string, args ...any) {
		_, err := e.Pool.Exec(ctx, sql, args...)
		require.NoError(t, err)
	}
	// Each change is seen by the next loads once its notification arrives.
	exec(`UPDATE properties SET base_price = 12345 WHERE id = $1`, p.ID)
	dbtest.Eventually(t, "the new base price", func() bool { return load().Rules.BasePrice == money.FromUnits(12345) })

	exec(`INSERT INTO seasons (property_id, name, starts_on, ends_on, nightly_price) VALUES ($1, 'Alta', '2030-01-01', '2030-01-31', 20000)`, p.ID)
	dbtest.Eventually(t, "the new season", func() bool { return len(load().Seasons) == 1 })

	exec(`UPDATE seasons SET nightly_price = 21000 WHERE property_id = $1`, p.ID)
	dbtest.Eventually(t, "the season's new price", func() bool { return load().Seasons[0].NightlyPrice == money.FromUnits(21000) })

	exec(`DELETE FROM seasons WHERE property_id = $1`, p.ID)
	dbtest.Eventually(t, "the season to go", func() bool { return len(load().Seasons) == 0 })

	exec(`UPDATE accounts SET timezone = 'America/Argentina/Cordoba' WHERE id = $1`, e.Account.ID)
	dbtest.Eventually(t, "the account's new timezone", func() bool { return load().Timezone.String() == "America/Argentina/Cordoba" })

	exec(`UPDATE properties SET active = false WHERE id = $1`, p.ID)
	dbtest.Eventually(t, "the property to be inactive", func() bool { return !load().Active })
	// And an inactive property takes no holds (over HTTP, a 422: TestPrereserveValidation in web/).
	in := e.Day(3)
	_, err := e.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(in),
		CheckOut: booking.FormatDate(in.AddDate(0, 0, 2)), Guests: 2, GuestName: "Ana", GuestPhone: "+5491155551234",
		Channel: "direct", Actor: "api"})
	var verr *booking.ValidationError
	require.ErrorAs(t, err, &verr)
}

func TestPropertyCacheIsOffWithoutItsListener(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	p := e.Property(t)
	ctx := context.Background()
	cache := booking.NewPropertyCache()
	svc := *e.Booking
	svc.Properties = cache
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		cache.Listen(lctx, func(context.Context) (*pgx.Conn, error) { return nil, errors.New("database unreachable") },
			platform.NewLogger(io.Discard, "error"), nil)
	}()
	defer func() { cancel(); <-done }()

	got, err := svc.LoadProperty(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(10000), got.Rules.BasePrice)
	_, err = e.Pool.Exec(ctx, `UPDATE properties SET base_price = 999 WHERE id = $1`, p.ID)
	require.NoError(t, err)
	// No listener, no cache: the very next load sees the change.
	got, err = svc.LoadProperty(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, money.FromUnits(999), got.Rules.BasePrice)
}
