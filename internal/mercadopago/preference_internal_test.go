package mercadopago

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/money"
)

func TestPreference(t *testing.T) {
	t.Parallel()
	s := &Service{BaseURL: "https://a.example"}
	in, out := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
	now := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
	until := now.Add(30 * time.Minute)

	dep := s.preference(charge{Kind: "deposit", DepositPct: 30, ReservationID: 7, Code: "RES1", GuestToken: "t+k",
		PropertyName: "Casa", CheckIn: in, CheckOut: out, Amount: money.FromUnits(6000), Currency: "ARS",
		Expires: until, Now: now, Payer: &Payer{Name: "Ana", Email: "ana@example.com"},
		Metadata: map[string]string{"property": "casa", "deposit": "6000.00"}})
	require.Equal(t, []Item{{ID: "RES1-DEP", CategoryID: "travels", Quantity: 1, CurrencyID: "ARS", UnitPrice: 600000,
		Title: "Seña 30% - Casa, 08/01 al 10/01", Description: "Seña de la reserva RES1"}}, dep.Items)
	require.Equal(t, BackURLs{Success: "https://a.example/r/RES1/pago?t=t%2Bk&resultado=aprobado",
		Pending: "https://a.example/r/RES1/pago?t=t%2Bk&resultado=pendiente",
		Failure: "https://a.example/r/RES1/pago?t=t%2Bk&resultado=error"}, dep.BackURLs)
	require.Equal(t, "https://a.example/webhooks/mercadopago?source_news=webhooks", dep.NotificationURL)
	require.Equal(t, "RES1", dep.ExternalReference)
	require.Equal(t, "approved", dep.AutoReturn)
	require.True(t, dep.Expires)
	require.Equal(t, "2027-01-01T12:00:00.000+00:00", dep.ExpirationDateFrom)
	require.Equal(t, "2027-01-01T12:30:00.000+00:00", dep.ExpirationDateTo)
	require.Equal(t, dep.ExpirationDateTo, dep.DateOfExpiration)
	require.Equal(t, map[string]string{"reservation_id": "7", "reservation_code": "RES1", "kind": "deposit",
		"property": "casa", "deposit": "6000.00"}, dep.Metadata)
	require.Equal(t, &Payer{Name: "Ana", Email: "ana@example.com"}, dep.Payer)

	bal := s.preference(charge{Kind: "balance", ReservationID: 7, Code: "RES1", GuestToken: "tk", PropertyName: "Casa",
		CheckIn: in, CheckOut: out, Amount: 1234550, Currency: "ARS"})
	require.Equal(t, []Item{{ID: "RES1-SALDO", CategoryID: "travels", Quantity: 1, CurrencyID: "ARS", UnitPrice: 1234550,
		Title: "Saldo - Casa, 08/01 al 10/01", Description: "Saldo de la reserva RES1"}}, bal.Items)
	require.False(t, bal.Expires)
	require.Empty(t, bal.ExpirationDateTo)
	require.Nil(t, bal.Payer)
	require.Equal(t, map[string]string{"reservation_id": "7", "reservation_code": "RES1", "kind": "balance"}, bal.Metadata)
}
