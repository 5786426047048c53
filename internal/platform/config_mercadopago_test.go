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
