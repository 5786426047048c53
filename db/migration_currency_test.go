package db_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbtest"
)

// Migration 00018: a property's currency defaults to its account's (also for
// an insert that names none), must look like an ISO 4217 code, and the
// migration goes down and up again with the backfill.
func TestPropertyCurrencyMigration(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	var accountID, propertyID int64
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO accounts (slug, name, currency) VALUES ('usd', 'En dólares', 'USD') RETURNING id`).
		Scan(&accountID))
	insert := `INSERT INTO properties (account_id, slug, name, capacity, included_guests, base_price) VALUES ($1, $2, 'Cabaña', 2, 2, 100) RETURNING id`
	require.NoError(t, pool.QueryRow(ctx, insert, accountID, "sin-moneda").Scan(&propertyID))
	var currency string
	require.NoError(t, pool.QueryRow(ctx, `SELECT currency FROM properties WHERE id = $1`, propertyID).Scan(&currency))
	require.Equal(t, "USD", currency, "the account's currency")

	_, err := db.Translating(pool).Exec(ctx, `UPDATE properties SET currency = 'usd' WHERE id = $1`, propertyID)
	require.ErrorIs(t, err, db.ErrCheck)

	sqlDB := stdlib.OpenDBFromPool(pool)
	defer sqlDB.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, db.Migrations())
	require.NoError(t, err)
	res, err := p.DownTo(ctx, 17)
	require.NoError(t, err)
	require.Equal(t, "00018_property_currency.sql", res[len(res)-1].Source.Path)
	require.Equal(t, 0, dbtest.Count(t, pool, `SELECT count(*) FROM information_schema.columns WHERE table_name = 'properties' AND column_name = 'currency'`))
	_, err = p.Up(ctx)
	require.NoError(t, err)
	require.NoError(t, pool.QueryRow(ctx, `SELECT currency FROM properties WHERE id = $1`, propertyID).Scan(&currency))
	require.Equal(t, "USD", currency, "backfilled from the account")
}

// Migration 00019: a reservation's locked rate is all or nothing (rate,
// source and time together), positive, and the migration goes down and up.
func TestReservationRateMigration(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	acc := dbtest.Account(t, pool)
	prop := dbtest.Property(t, pool, acc.ID, dbtest.Priced("USD"))
	var id int64
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO occupancy (property_id, nights, kind)
		VALUES ($1, daterange(current_date + 10, current_date + 12), 'reservation') RETURNING id`, prop.ID).Scan(&id))
	insert := `INSERT INTO reservations (code, account_id, property_id, occupancy_id, check_in, check_out, guests,
		guest_name, guest_phone, channel, status, price_breakdown, total, deposit, currency, guest_token, exchange_rate_e4, exchange_rate_source,
		exchange_rate_at, created_at, updated_at)
		VALUES ('RES261202ABCDE' || $5, $1, $2, $3, current_date + 10, current_date + 12, 2, 'Ana', '+5491155551234', 'direct', 'confirmed', '{}',
		240, 72, 'USD', 'tok' || $5, $4, 'manual', CASE WHEN $4::bigint IS NULL THEN NULL ELSE now() END, now(), now())`
	_, err := db.Translating(pool).Exec(ctx, insert, acc.ID, prop.ID, id, int64(0), "A")
	require.ErrorIs(t, err, db.ErrCheck, "a rate is positive")
	_, err = db.Translating(pool).Exec(ctx, insert, acc.ID, prop.ID, id, nil, "B")
	require.ErrorIs(t, err, db.ErrCheck, "no rate means no source either")
	_, err = pool.Exec(ctx, insert, acc.ID, prop.ID, id, int64(11_855_000), "C")
	require.NoError(t, err)

	sqlDB := stdlib.OpenDBFromPool(pool)
	defer sqlDB.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, db.Migrations())
	require.NoError(t, err)
	res, err := p.DownTo(ctx, 18)
	require.NoError(t, err)
	require.Equal(t, "00019_reservation_rate.sql", res[len(res)-1].Source.Path)
	require.Equal(t, 0, dbtest.Count(t, pool, `SELECT count(*) FROM information_schema.columns WHERE table_name = 'reservations' AND column_name LIKE 'exchange_rate%'`))
	_, err = p.Up(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, dbtest.Count(t, pool, `SELECT count(*) FROM information_schema.columns WHERE table_name = 'reservations' AND column_name LIKE 'exchange_rate%'`))
}
