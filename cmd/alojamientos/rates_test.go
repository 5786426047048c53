package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
)

func TestRatesSetAndShow(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	acc := dbtest.Account(t, pool)
	c := cli{env: map[string]string{"DATABASE_URL": pool.Config().ConnString(), "LOG_LEVEL": "error"}}

	code, out, stderr := c.run(t, "rates", "show")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "USD")
	require.Contains(t, out, "(none)")

	code, out, stderr = c.run(t, "rates", "set", "USD", "1185.50")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, acc.Slug+": 1 USD = $ 1.185,50 (manual)")
	code, out, stderr = c.run(t, "rates", "set", "usd", "1.190,25", "--account", acc.Slug)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "1 USD = $ 1.190,25")

	code, out, stderr = c.run(t, "rates", "show", "--account="+acc.Slug)
	require.Equal(t, 0, code, stderr)
	require.Regexp(t, `USD\s+1190\.2500\s+manual\s+manual`, out)
	require.Equal(t, 2, dbtest.Count(t, pool, `SELECT count(*) FROM exchange_rates WHERE account_id = $1`, acc.ID))
	// Another currency, typed once, is listed too.
	code, _, stderr = c.run(t, "rates", "set", "EUR", "1300")
	require.Equal(t, 0, code, stderr)
	code, out, stderr = c.run(t, "rates", "show")
	require.Equal(t, 0, code, stderr)
	require.Regexp(t, `EUR\s+1300\.0000\s+manual`, out)

	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"rates", "set", "USD", "mil"}, "Escribí la cotización en pesos"},
		{[]string{"rates", "set", "USD", "0"}, "mayor que cero"},
		{[]string{"rates", "set", "ARS", "1"}, "not a foreign currency"},
		{[]string{"rates", "set", "USD"}, "usage:"},
		{[]string{"rates", "show", "--account", "no-such"}, `no account "no-such"`},
		{[]string{"rates", "show", "--bogus"}, "unknown flag --bogus"},
	} {
		code, _, stderr = c.run(t, bad.args...)
		require.Equal(t, 1, code, bad.args)
		require.Contains(t, stderr, bad.want, bad.args)
	}

	// With two accounts, one must be named.
	dbtest.Account(t, pool)
	code, _, stderr = c.run(t, "rates", "show")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "several accounts: name one with --account")
}
