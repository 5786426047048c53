package mercadopago

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/internal/rates"
)

func TestPreference(t *testing.T) {
	t.Parallel()
	s := &Service{BaseURL: "https://a.example"}
	in, out := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
	now := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
	until := now.Add(30 * time.Minute)

	dep := s.preference(charge{Kind: "deposit", DepositPct: 30, ReservationID: 7, Code: "RES1", GuestToken: "t+k",
		PropertyName: "Casa", CheckIn: in, CheckOut: out, Pay: chargeOf(t, money.FromUnits(6000), "ARS", nil, 0),
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
		CheckIn: in, CheckOut: out, Pay: chargeOf(t, 1234550, "ARS", nil, 0)})
	require.Equal(t, []Item{{ID: "RES1-SALDO", CategoryID: "travels", Quantity: 1, CurrencyID: "ARS", UnitPrice: 1234550,
		Title: "Saldo - Casa, 08/01 al 10/01", Description: "Saldo de la reserva RES1"}}, bal.Items)
	require.False(t, bal.Expires)
	require.Empty(t, bal.ExpirationDateTo)
	require.Nil(t, bal.Payer)
	require.Equal(t, map[string]string{"reservation_id": "7", "reservation_code": "RES1", "kind": "balance"}, bal.Metadata)
	require.Nil(t, bal.PaymentMethods, "no cap: Mercado Pago's own installments")
}

func chargeOf(t *testing.T, amount money.Money, currency string, rate *booking.LockedRate, bp int) booking.Charge {
	t.Helper()
	c, err := booking.PesosCharge(amount, currency, rate, bp)
	require.NoError(t, err)
	return c
}

func usd(t *testing.T, s string) *booking.LockedRate {
	t.Helper()
	r, err := rates.Parse(s)
	require.NoError(t, err)
	return &booking.LockedRate{Currency: "USD", Rate: r, Source: "manual", At: time.Date(2026, 12, 2, 13, 0, 0, 0, time.UTC)}
}

// A dollar seña is charged in whole pesos at the locked rate, the surcharge
// on top, in one ARS item whose title names the dollars and the rate; the
// installments cap goes in payment_methods.installments.
func TestPreferenceInPesos(t *testing.T) {
	t.Parallel()
	s := &Service{BaseURL: "https://a.example"}
	in, out := time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	pay := chargeOf(t, money.FromUnits(72), "USD", usd(t, "1185,50"), 600)
	dep := s.preference(charge{Kind: "deposit", DepositPct: 30, ReservationID: 7, Code: "RES1", GuestToken: "tk",
		PropertyName: "Cabaña del Bosque", CheckIn: in, CheckOut: out, Pay: pay, MaxInstallments: 3})
	require.Equal(t, []Item{{ID: "RES1-DEP", CategoryID: "travels", Quantity: 1, CurrencyID: "ARS", UnitPrice: 9047700,
		Title:       "Seña 30% - Cabaña del Bosque, 10/01 al 15/01 (US$ 72,00 a $ 1.185,50)",
		Description: "Seña de la reserva RES1: $ 85.356 + recargo por pago con Mercado Pago (6 %) $ 5.121"}}, dep.Items)
	require.Equal(t, &PaymentMethods{Installments: 3}, dep.PaymentMethods)
	require.Equal(t, map[string]string{"reservation_id": "7", "reservation_code": "RES1", "kind": "deposit",
		"amount": "72.00", "currency": "USD", "charged_ars": "90477.00", "exchange_rate": "1185.5000"}, dep.Metadata)

	// What goes over the wire: unit_price 90477.00, currency_id ARS, payment_methods.installments 3.
	b, err := json.Marshal(dep)
	require.NoError(t, err)
	require.Contains(t, string(b), `"currency_id":"ARS","unit_price":90477.00}`)
	require.Contains(t, string(b), `"payment_methods":{"installments":3}`)

	// Without a surcharge: the pesos at the rate, whole.
	bal := s.preference(charge{Kind: "balance", ReservationID: 7, Code: "RES1", GuestToken: "tk",
		PropertyName: "Cabaña del Bosque", CheckIn: in, CheckOut: out, Pay: chargeOf(t, 16801, "USD", usd(t, "1185,50"), 0)})
	require.Equal(t, Amount(19917600), bal.Items[0].UnitPrice, "168,01 × 1185,50 = 199.175,855 → 199.176")
	require.Equal(t, "Saldo - Cabaña del Bosque, 10/01 al 15/01 (US$ 168,01 a $ 1.185,50)", bal.Items[0].Title)
	require.Equal(t, "Saldo de la reserva RES1", bal.Items[0].Description)

	// A peso stay with a surcharge keeps its cents.
	ars := s.preference(charge{Kind: "deposit", DepositPct: 30, Code: "RES2", Pay: chargeOf(t, 600050, "ARS", nil, 600),
		PropertyName: "Casa", CheckIn: in, CheckOut: out})
	require.Equal(t, Amount(636053), ars.Items[0].UnitPrice, "6.000,50 + 360,03")
	require.Equal(t, "Seña 30% - Casa, 10/01 al 15/01", ars.Items[0].Title)
}

func TestCounts(t *testing.T) {
	t.Parallel()
	e4, src, at := int64(11855000), "manual", time.Now()
	res := dbq.Reservation{Currency: "USD", ExchangeRateE4: &e4, ExchangeRateSource: &src, ExchangeRateAt: &at, MpSurchargeBp: 600}
	// Exactly what the link asked counts the seña in dollars, the surcharge never counted.
	require.Equal(t, money.FromUnits(72), counts("approved", "ARS", 9047700, 0, res))
	// A peso short is less than the seña.
	require.Less(t, counts("approved", "ARS", 9047600, 0, res), money.FromUnits(72))
	// Refunds in pesos come off before converting: half refunded counts about half.
	half := counts("approved", "ARS", 9047700, 4523850, res)
	require.InDelta(t, 3600, int64(half), 1)
	require.Zero(t, counts("approved", "ARS", 9047700, 9047700, res))
	require.Zero(t, counts("refunded", "ARS", 9047700, 0, res))
	require.Zero(t, counts("pending", "ARS", 9047700, 0, res))
	// Dollars paid on a dollar stay count as they are; any other currency counts nothing.
	require.Equal(t, money.FromUnits(50), counts("approved", "USD", money.FromUnits(50), 0, res))
	require.Zero(t, counts("approved", "BRL", money.FromUnits(50), 0, res))
	// No rate locked: pesos cannot be counted in dollars.
	require.Zero(t, counts("approved", "ARS", 9047700, 0, dbq.Reservation{Currency: "USD"}))
	// A peso stay without a surcharge counts the pesos left, as always.
	ars := dbq.Reservation{Currency: "ARS"}
	require.Equal(t, money.FromUnits(6000), counts("approved", "ARS", money.FromUnits(6000), 0, ars))
	require.Equal(t, money.FromUnits(5000), counts("approved", "ARS", money.FromUnits(6000), money.FromUnits(1000), ars))
	require.Zero(t, counts("approved", "USD", money.FromUnits(6000), 0, ars))
	// With a surcharge, the surcharge is taken off: 6.360 paid counts 6.000.
	ars.MpSurchargeBp = 600
	require.Equal(t, money.FromUnits(6000), counts("approved", "ARS", money.FromUnits(6360), 0, ars))
}

func TestFee(t *testing.T) {
	t.Parallel()
	var p Payment
	require.NoError(t, json.Unmarshal([]byte(`{"id": 1, "fee_details": [
		{"type": "mercadopago_fee", "amount": 3571.23, "fee_payer": "collector"},
		{"type": "application_fee", "amount": 100, "fee_payer": "collector"},
		{"type": "financing_fee", "amount": 9000.5, "fee_payer": "payer"}]}`), &p))
	require.Equal(t, money.Money(367123), p.Fee(), "the seller's fees; the payer's financing is not the owner's cost")
	require.Zero(t, Payment{}.Fee())
}
