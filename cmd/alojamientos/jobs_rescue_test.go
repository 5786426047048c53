package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/mercadopago"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/money"
	"alojamientos/internal/platform"
)

// A job taken by an instance that was then killed (SIGKILL, no graceful
// stop) stays "running" in river_job. The leader's rescuer hands it back
// within minutes, not after River's default hour: `make soak FAULTS=1` lost
// a payment, a WhatsApp message and deposit links for that hour when one
// instance was killed.
func TestJobOfAKilledInstanceIsRescued(t *testing.T) {
	t.Parallel()
	fake := mptest.Start(t)
	pool := dbtest.New(t)
	acc := dbtest.Account(t, pool)
	dbtest.Property(t, pool, acc.ID)
	addr := freeAddr(t)
	cfg, err := platform.LoadConfig(func(k string) string {
		return map[string]string{"DATABASE_URL": pool.Config().ConnString(), "ADDR": addr, "DATA_DIR": t.TempDir(),
			"MERCADOPAGO_API_BASE_URL": fake.URL, "MERCADOPAGO_ACCESS_TOKEN": mptest.Token,
			"MERCADOPAGO_WEBHOOK_SECRET": mptest.Secret}[k]
	})
	require.NoError(t, err)
	ctx := context.Background()

	// The notification as the dead instance stored it, and its job as the
	// dead instance took it ten minutes ago.
	fake.SetPayment(mptest.Payment{ID: "424242", Status: "approved", Reference: "RES261126ABCDEF", Amount: money.FromUnits(100)})
	_, err = db.Q(pool).InsertInboxWithJob(ctx, dbq.InsertInboxWithJobParams{Provider: mercadopago.Provider,
		EventKey: "payment:424242:req-1", Topic: "payment", ResourceID: "424242", Headers: []byte(`{}`), Body: `{}`,
		Now: time.Now().UTC(), JobKind: mercadopago.ProcessNotificationArgs{}.Kind()})
	require.NoError(t, err)
	tag, err := pool.Exec(ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() - interval '10 minutes',
		attempted_by = ARRAY['killed-instance'] WHERE kind = $1`, mercadopago.ProcessNotificationArgs{}.Kind())
	require.NoError(t, err)
	require.EqualValues(t, 1, tag.RowsAffected())

	stop := startServe(t, cfg, platform.SystemClock{})
	defer stop()
	require.Eventually(t, func() bool {
		var done bool
		err := pool.QueryRow(ctx, `SELECT processed_at IS NOT NULL FROM webhook_inbox WHERE event_key = 'payment:424242:req-1'`).Scan(&done)
		return err == nil && done
	}, 45*time.Second, 100*time.Millisecond, "the rescued job processes the notification")
	require.Eventually(t, func() bool {
		var state string
		err := pool.QueryRow(ctx, `SELECT state FROM river_job WHERE kind = $1`, mercadopago.ProcessNotificationArgs{}.Kind()).Scan(&state)
		return err == nil && state == "completed"
	}, 10*time.Second, 50*time.Millisecond, "the job completes once rescued")
}
