package platform

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLoadConfigMercadoPago(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(configEnv(nil))
	require.NoError(t, err)
	require.Equal(t, 10*time.Minute, c.MercadoPagoTolerance)
	require.Equal(t, time.Hour, c.MercadoPagoHoldExtension)
	require.Equal(t, "https://api.mercadopago.com", c.MercadoPagoAPIBaseURL)

	c, err = LoadConfig(configEnv(map[string]string{"MERCADOPAGO_WEBHOOK_TOLERANCE": "5m", "MERCADOPAGO_HOLD_EXTENSION": "90m"}))
	require.NoError(t, err)
	require.Equal(t, 5*time.Minute, c.MercadoPagoTolerance)
	require.Equal(t, 90*time.Minute, c.MercadoPagoHoldExtension)

	_, err = LoadConfig(configEnv(map[string]string{"MERCADOPAGO_WEBHOOK_TOLERANCE": "diez"}))
	require.ErrorContains(t, err, "MERCADOPAGO_WEBHOOK_TOLERANCE")

	prod := map[string]string{"ENV": "production", "SESSION_SECRET": "s", "ICS_SALT": "i", "BASE_URL": "https://x.example",
		"MERCADOPAGO_ACCESS_TOKEN": "APP_USR-1"}
	_, err = LoadConfig(configEnv(prod))
	require.ErrorContains(t, err, "MERCADOPAGO_WEBHOOK_SECRET is required")
	prod["MERCADOPAGO_WEBHOOK_SECRET"] = "w"
	_, err = LoadConfig(configEnv(prod))
	require.NoError(t, err)
}

func TestLoadConfigMercadoPagoAcceptIPN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		secret, accept string
		want           bool
	}{
		{"", "", true},      // no secret: IPN is the only way in
		{"w", "", false},    // a secret: signed webhooks only
		{"w", "1", true},    // forced on
		{"", "0", false},    // forced off
		{"w", "true", true}, // the other spellings AUTO_MIGRATE takes
		{"", "no", false},
	} {
		c, err := LoadConfig(configEnv(map[string]string{"MERCADOPAGO_WEBHOOK_SECRET": tc.secret, "MERCADOPAGO_ACCEPT_IPN": tc.accept}))
		require.NoError(t, err)
		require.Equal(t, tc.want, c.MercadoPagoAcceptIPN, "secret %q, MERCADOPAGO_ACCEPT_IPN %q", tc.secret, tc.accept)
	}
	_, err := LoadConfig(configEnv(map[string]string{"MERCADOPAGO_ACCEPT_IPN": "a veces"}))
	require.ErrorContains(t, err, "MERCADOPAGO_ACCEPT_IPN must be 1 or 0")
}
