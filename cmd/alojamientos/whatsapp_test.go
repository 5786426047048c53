package main

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// The installation's admin assigns WhatsApp numbers to accounts; a number
// held by one account is never given to another.
func TestWhatsAppAssignNumberFromTheCLI(t *testing.T) {
	t.Parallel()
	dbURL := emptyDatabase(t)
	c := cli{env: map[string]string{"DATABASE_URL": dbURL, "LOG_LEVEL": "warn"}}
	code, _, stderr := c.run(t, "migrate")
	require.Equal(t, 0, code, stderr)
	for _, a := range []struct{ email, account string }{{"a@example.com", "Cabañas A"}, {"b@example.com", "Domos B"}} {
		code, _, stderr = c.run(t, "user", "create", "--email", a.email, "--password", "clave-larga-123", "--account", a.account)
		require.Equal(t, 0, code, stderr)
	}

	code, out, stderr := c.run(t, "whatsapp", "assign", "--account", "Cabañas A", "--phone-number-id", "111000111000111")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "assigned WhatsApp number 111000111000111 to account cabanas-a")

	// B cannot be given A's number.
	code, _, stderr = c.run(t, "whatsapp", "assign", "--account", "domos-b", "--phone-number-id", "111000111000111")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "number assigned to another account (cabanas-a)")
	code, out, stderr = c.run(t, "whatsapp", "assign", "--account", "domos-b", "--phone-number-id", "222000222000222")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "to account domos-b")

	// A's own token was proven for its old number only: a new number drops it.
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `UPDATE whatsapp_settings SET access_token = 'token-a' WHERE phone_number_id = '111000111000111'`)
	require.NoError(t, err)
	code, _, stderr = c.run(t, "whatsapp", "assign", "--account", "cabanas-a", "--phone-number-id", "111000111000111")
	require.Equal(t, 0, code, stderr)
	var token string
	require.NoError(t, conn.QueryRow(ctx, `SELECT access_token FROM whatsapp_settings WHERE phone_number_id = '111000111000111'`).Scan(&token))
	require.Equal(t, "token-a", token, "the same number again keeps the token")
	code, _, stderr = c.run(t, "whatsapp", "assign", "--account", "cabanas-a", "--phone-number-id", "333000333000333")
	require.Equal(t, 0, code, stderr)
	require.NoError(t, conn.QueryRow(ctx, `SELECT access_token FROM whatsapp_settings WHERE phone_number_id = '333000333000333'`).Scan(&token))
	require.Empty(t, token)

	code, out, stderr = c.run(t, "whatsapp", "list")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "cabanas-a\t333000333000333\tenabled\tinstallation token")
	require.Contains(t, out, "domos-b\t222000222000222\tenabled\tinstallation token")

	for _, bad := range [][]string{
		{"whatsapp", "assign", "--account", "nadie", "--phone-number-id", "444"},
		{"whatsapp", "assign", "--account", "domos-b", "--phone-number-id", "12ab"},
		{"whatsapp", "assign", "--phone-number-id", "444"},
		{"whatsapp"},
	} {
		code, _, stderr = c.run(t, bad...)
		require.Equal(t, 1, code, bad)
		require.NotEmpty(t, stderr)
	}
}
