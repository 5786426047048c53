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
	res, err := p.Down(ctx)
	require.NoError(t, err)
	require.Equal(t, "00018_property_currency.sql", res.Source.Path)
	require.Equal(t, 0, dbtest.Count(t, pool, `SELECT count(*) FROM information_schema.columns WHERE table_name = 'properties' AND column_name = 'currency'`))
	_, err = p.Up(ctx)
	require.NoError(t, err)
	require.NoError(t, pool.QueryRow(ctx, `SELECT currency FROM properties WHERE id = $1`, propertyID).Scan(&currency))
	require.Equal(t, "USD", currency, "backfilled from the account")
}
