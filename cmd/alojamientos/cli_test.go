package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/platform"
)

// emptyDatabase creates a database with nothing in it, dropped at the end.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dbtest.BaseURL())
	require.NoError(t, err)
	defer admin.Close(ctx)
	name := "alojamientos_cli_" + platform.RandomToken(6)
	_, err = admin.Exec(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err)
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dbtest.BaseURL())
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	return dbtest.URLFor(name)
}

type cli struct {
	env map[string]string
}

func (c cli) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb, func(k string) string { return c.env[k] })
	return code, out.String(), errb.String()
}

func TestMigrateSeedUserAndProperties(t *testing.T) {
	t.Parallel()
	c := cli{env: map[string]string{"DATABASE_URL": emptyDatabase(t), "LOG_LEVEL": "warn", "BASE_URL": "https://reservas.example.ar"}}

	code, _, stderr := c.run(t, "serve")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "run `alojamientos migrate`", "serve refuses an unmigrated database and says what to do")

	code, _, stderr = c.run(t, "migrate")
	require.Equal(t, 0, code, stderr)
	code, _, stderr = c.run(t, "migrate")
	require.Equal(t, 0, code, "migrate twice is harmless: %s", stderr)

	code, out, stderr := c.run(t, "seed", "--demo")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "owner login: "+demoEmail)
	require.Contains(t, out, "password:    "+demoPassword)
	code, out, _ = c.run(t, "seed", "--demo")
	require.Equal(t, 0, code)
	require.Contains(t, out, "already loaded")

	code, out, stderr = c.run(t, "properties", "--json")
	require.Equal(t, 0, code, stderr)
	var props []struct {
		ID     int64  `json:"id"`
		Slug   string `json:"slug"`
		Name   string `json:"name"`
		ICSURL string `json:"ics_url"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &props))
	require.Len(t, props, 5, "seeded once, not twice")
	for _, p := range props {
		require.NotZero(t, p.ID)
		require.NotEmpty(t, p.Name)
		require.Regexp(t, `^https://reservas\.example\.ar/ical/[0-9a-f]{64}\.ics$`, p.ICSURL)
	}

	pool, err := pgxpool.New(context.Background(), c.env["DATABASE_URL"])
	require.NoError(t, err)
	defer pool.Close()
	var reservations, confirmed, seasons int
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT count(*), count(*) FILTER (WHERE status = 'confirmed'), (SELECT count(*) FROM seasons) FROM reservations`).
		Scan(&reservations, &confirmed, &seasons))
	require.Equal(t, len(props)+1, reservations)
	// The dollar cabin and a peso cabin take transfers to the demo account;
	// the dollar cabin's guest chose one.
	var usdTerms string
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT concat_ws('|', pay_transfer, pay_mercadopago,
		mp_surcharge_bp, balance_due_days, transfer_in_pesos, transfer_cbu, transfer_alias, transfer_holder, transfer_cuit,
		transfer_bank) FROM properties WHERE slug = 'cabana-bosque-usd'`).Scan(&usdTerms))
	require.Equal(t, "t|t|0|7|t|0340001200000123456784|cabana.bosque.demo|Marta Quiroga|27234567891|Banco Patagonia", usdTerms)
	var transferProps, transferPesos, chose int
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT count(*), count(*) FILTER (WHERE currency = 'ARS'),
		(SELECT count(*) FROM reservations WHERE payment_method = 'transfer') FROM properties WHERE pay_transfer`).
		Scan(&transferProps, &transferPesos, &chose))
	require.Equal(t, []int{2, 1, 1}, []int{transferProps, transferPesos, chose})
	require.Equal(t, 5, confirmed)
	require.Equal(t, 10, seasons)
	// One cabin is priced in dollars, and its reservation was held in them.
	var usdProps, usdRes int
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM properties WHERE currency = 'USD'), (SELECT count(*) FROM reservations WHERE currency = 'USD')`).
		Scan(&usdProps, &usdRes))
	require.Equal(t, 1, usdProps)
	require.Equal(t, 1, usdRes)
	// The demo's dollar rate is locked on that reservation.
	var locked int64
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT exchange_rate_e4 FROM reservations WHERE currency = 'USD'`).Scan(&locked))
	require.Equal(t, int64(11_855_000), locked)
	// The demo properties show the presets, and each reservation froze its property's terms.
	var presets, unfrozen int
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT (SELECT count(DISTINCT cancel_policy->>'preset')
		FROM properties), (SELECT count(*) FROM reservations r JOIN properties p ON p.id = r.property_id
		WHERE r.cancel_policy IS DISTINCT FROM p.cancel_policy)`).Scan(&presets, &unfrozen))
	require.Equal(t, 5, presets)
	require.Zero(t, unfrozen)

	// The seed made one account, so a staff user joins it without --account.
	code, out, stderr = c.run(t, "user", "create", "--email", "Staff@Example.com", "--password", "una-clave-larga", "--role", "staff")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "created staff user staff@example.com")
}

func TestUserCreate(t *testing.T) {
	t.Parallel()
	c := cli{env: map[string]string{"DATABASE_URL": dbtest.URLFor(dbtest.NewDatabase(t)), "LOG_LEVEL": "warn"}}
	code, out, stderr := c.run(t, "user", "create", "--email", "Duena@Example.com", "--password", "una-clave-larga", "--account", "Cabañas del Sol")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "created owner user duena@example.com")

	code, _, stderr = c.run(t, "user", "create", "--email", "duena@example.com", "--password", "otra-clave-larga")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "already registered")

	code, _, stderr = c.run(t, "user", "create", "--email", "x@example.com", "--password", "corta")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "at least 10 characters")

	code, _, stderr = c.run(t, "user", "create", "--email", "no-es-email", "--password", "una-clave-larga")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "not an email address")

	// Only one account: --account may be left out.
	code, out, stderr = c.run(t, "user", "create", "--email", "staff@example.com", "--password", "una-clave-larga", "--role", "staff")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "created staff user staff@example.com")
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	t.Parallel()
	c := cli{env: map[string]string{"ENV": "production"}}
	code, _, stderr := c.run(t, "serve")
	require.Equal(t, 2, code)
	for _, v := range []string{"SESSION_SECRET", "ICS_SALT", "BASE_URL"} {
		require.Contains(t, stderr, v)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// startServe runs the real serve command until stop is called.
func startServe(t *testing.T, cfg platform.Config, clock platform.Clock) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := serve(ctx, cfg, platform.NewLogger(&bytes.Buffer{}, "error"), clock); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + cfg.Addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	}, 20*time.Second, 50*time.Millisecond)
	return func() { cancel(); wg.Wait() }
}

func TestHoldExpiresAcrossRestart(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	acc := dbtest.Account(t, pool)
	prop := dbtest.Property(t, pool, acc.ID)
	addr := freeAddr(t)
	cfg, err := platform.LoadConfig(func(k string) string {
		return map[string]string{"DATABASE_URL": pool.Config().ConnString(), "ADDR": addr, "DATA_DIR": t.TempDir()}[k]
	})
	require.NoError(t, err)

	// First run: its clock is 30 minutes behind less two seconds, so the hold
	// it creates expires two real seconds from now, while it is down.
	clock := platform.NewTestClock(time.Now().Add(-30*time.Minute + 2*time.Second))
	stop := startServe(t, cfg, clock)
	in := booking.LocalDate(time.Now(), time.UTC).AddDate(0, 0, 5)
	body := fmt.Sprintf(`{"property_id":%d,"check_in":"%s","check_out":"%s","guests":2,"guest_name":"Ana","guest_phone":"+5491155551234"}`,
		prop.ID, booking.FormatDate(in), booking.FormatDate(in.AddDate(0, 0, 2)))
	resp, err := http.Post("http://"+addr+"/api/v1/reservations/pre-reserve", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	var hold struct{ Code string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&hold))
	resp.Body.Close()
	require.Equal(t, 201, resp.StatusCode)
	stop()

	status := func() string {
		var s string
		require.NoError(t, pool.QueryRow(context.Background(), "SELECT status FROM reservations WHERE code = $1", hold.Code).Scan(&s))
		return s
	}
	require.Equal(t, "pre_reserved", status(), "nothing expired it while the server was down")

	// Second run, its clock a minute past the hold's expiry (time passed
	// while it was down, without a real sleep): the hold is past due and must
	// expire on its own, through the sweep run at start or the job scheduled
	// with the hold, and exactly once.
	stop = startServe(t, cfg, platform.NewTestClock(time.Now().Add(time.Minute)))
	defer stop()
	require.Eventually(t, func() bool { return status() == "expired" }, 20*time.Second, 100*time.Millisecond)
	var expiredEvents, active int
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM audit_log WHERE action = 'hold_expired'), (SELECT count(*) FROM occupancy WHERE active)`).
		Scan(&expiredEvents, &active))
	require.Equal(t, 1, expiredEvents, "expired exactly once")
	require.Zero(t, active, "nights released")
}
