package db_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbtest"
)

// Migration 00020 refuses a transfer method without an account to send to
// and a receipt that is not one of the four types, and goes down and up again.
func TestPaymentMethodsMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	acc := dbtest.Account(t, pool)
	prop := dbtest.Property(t, pool, acc.ID, dbtest.Priced("USD"))
	tq := db.Translating(pool)

	_, err := tq.Exec(ctx, `UPDATE properties SET pay_transfer = true WHERE id = $1`, prop.ID)
	require.ErrorIs(t, err, db.ErrCheck, "a transfer needs a CBU or alias and a holder")
	_, err = tq.Exec(ctx, `UPDATE properties SET transfer_cbu = '123' WHERE id = $1`, prop.ID)
	require.ErrorIs(t, err, db.ErrCheck, "a CBU has 22 digits")
	_, err = tq.Exec(ctx, `UPDATE properties SET pay_transfer = true, transfer_alias = 'cabana.bosque',
		transfer_holder = 'Ana Pérez' WHERE id = $1`, prop.ID)
	require.NoError(t, err)

	sqlDB := stdlib.OpenDBFromPool(pool)
	defer func(d *sql.DB) { _ = d.Close() }(sqlDB)
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, db.Migrations())
	require.NoError(t, err)
	res, err := p.DownTo(ctx, 19)
	require.NoError(t, err)
	require.Equal(t, "00020_payment_methods.sql", res[len(res)-1].Source.Path)
	require.Equal(t, 0, dbtest.Count(t, pool, `SELECT count(*) FROM information_schema.tables WHERE table_name = 'receipts' AND table_schema = current_schema()`))
	_, err = p.Up(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, dbtest.Count(t, pool, `SELECT count(*) FROM information_schema.tables WHERE table_name = 'receipts' AND table_schema = current_schema()`))
}
