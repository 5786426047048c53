package db_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbtest"
)

// Migration 00025 adds balance_reminder to the WhatsApp trigger's actions,
// keeping the others, allows one reminder per reservation, and goes down and
// up again.
func TestBalanceRemindersMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	triggerDef := func() string {
		var def string
		require.NoError(t, pool.QueryRow(ctx, `SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t
			WHERE t.tgname = 'audit_log_whatsapp' AND t.tgrelid = 'audit_log'::regclass`).Scan(&def))
		return def
	}
	def := triggerDef()
	for _, action := range []string{"'balance_reminder'", "'hold_created'", "'confirm'", "'ical_collision'"} {
		require.Contains(t, def, action)
	}

	sqlDB := stdlib.OpenDBFromPool(pool)
	defer func(d *sql.DB) { _ = d.Close() }(sqlDB)
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, db.Migrations())
	require.NoError(t, err)
	res, err := p.DownTo(ctx, 24)
	require.NoError(t, err)
	require.Equal(t, "00025_balance_reminders.sql", res[len(res)-1].Source.Path)
	if after := triggerDef(); strings.Contains(after, "'balance_reminder'") {
		// Another migration of the issue lists it too: 00025 left the trigger alone.
		require.Equal(t, def, after)
	} else {
		require.Contains(t, after, "'ical_collision'", "the other actions stay")
	}
	_, err = p.Up(ctx)
	require.NoError(t, err)
	require.Contains(t, triggerDef(), "'balance_reminder'")
	require.Equal(t, 1, dbtest.Count(t, pool, `SELECT count(*) FROM pg_indexes
		WHERE indexname = 'audit_log_balance_reminder_once' AND schemaname = current_schema()`))
}
