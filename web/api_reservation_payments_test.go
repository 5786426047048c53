package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// apiReceipt stores a transfer receipt of r with status (en_revision,
// confirmed with paymentID, or rejected), as the guest page's upload would.
func apiReceipt(t *testing.T, s *webtest.Server, r booking.Reservation, status string, paymentID *int64) {
	t.Helper()
	data := []byte("%PDF-1.4 comprobante " + status + time.Now().String())
	sum := sha256.Sum256(data)
	_, err := s.Pool.Exec(context.Background(), `INSERT INTO receipts (account_id, reservation_id, status, source,
		content_type, size, sha256, data, payment_id, reject_reason, reviewed_at, created_at)
		VALUES ($1, $2, $3, 'guest_page', 'application/pdf', $4, $5, $6, $7,
		        CASE WHEN $3 = 'rejected' THEN 'No se ve el monto' ELSE '' END,
		        CASE WHEN $3 <> 'en_revision' THEN $8::timestamptz END, $8)`,
		r.AccountID, r.ID, status, len(data), hex.EncodeToString(sum[:]), data, paymentID, s.Clock.Now())
	require.NoError(t, err)
}

// apiPayment stores a payment of r and returns its id.
func apiPayment(t *testing.T, s *webtest.Server, r booking.Reservation, provider, method, status, amount, currency string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, s.Pool.QueryRow(context.Background(), `INSERT INTO payments (account_id, reservation_id, provider,
		provider_id, method, status, amount, currency, created_at, updated_at)
		VALUES ($1, $2, $3, CASE WHEN $3 = 'mercadopago' THEN md5(random()::text) END, $4, $5, $6::numeric, $7, $8, $8)
		RETURNING id`, r.AccountID, r.ID, provider, method, status, amount, currency, s.Clock.Now()).Scan(&id))
	return id
}

// The guest's reservation answer lists payments with their method and
// status, receipts under review as en_revision and rejected ones as
// rejected, and for a dollar stay the rate locked on the hold with the peso
// amounts at it, as the quote and pre-reserve answers carry them.
func TestAPIReservationShowPaymentsAndRate(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	usd := usdCabin(t, s)
	setRate(t, s, 11_855_000)
	in := s.Today().AddDate(0, 0, 10)
	res := s.Hold(t, usd.ID, in, in.AddDate(0, 0, 3))
	lockedAt := s.Clock.Now().UTC()
	s.Clock.Advance(time.Minute)
	setRate(t, s, 15_000_000) // a later rate changes nothing of the answer

	s.Clock.Advance(time.Minute)
	apiPayment(t, s, res, "mercadopago", "visa", "rejected", "136925.00", "ARS")
	s.Clock.Advance(time.Minute)
	apiPayment(t, s, res, "mercadopago", "account_money", "approved", "136925.00", "ARS")
	s.Clock.Advance(time.Minute)
	apiReceipt(t, s, res, "rejected", nil)
	s.Clock.Advance(time.Minute)
	tr := apiPayment(t, s, res, "manual", "transfer", "approved", "100.00", "USD")
	apiReceipt(t, s, res, "confirmed", &tr) // listed as its payment, not twice
	s.Clock.Advance(time.Minute)
	apiReceipt(t, s, res, "en_revision", nil)
	s.Clock.Advance(time.Minute)
	apiPayment(t, s, res, "manual", "cash", "approved", "50.00", "USD")

	r := s.Do(t, http.MethodGet, "/api/v1/reservations/"+res.Code+"?t="+res.GuestToken, nil, nil)
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	var got struct {
		Currency           string `json:"currency"`
		TotalPrice         string `json:"total_price"`
		ExchangeRate       string `json:"exchange_rate"`
		ExchangeRateSource string `json:"exchange_rate_source"`
		ExchangeRateAt     string `json:"exchange_rate_at"`
		TotalARS           string `json:"total_ars"`
		DepositARS         string `json:"deposit_ars"`
		Payments           []struct {
			Method    string  `json:"method"`
			Status    string  `json:"status"`
			Amount    *string `json:"amount"`
			Currency  *string `json:"currency"`
			CreatedAt string  `json:"created_at"`
		} `json:"payments"`
	}
	r.JSON(t, &got)
	require.Equal(t, "USD", got.Currency)
	require.Equal(t, "385.00", got.TotalPrice)
	require.Equal(t, "1185.5000", got.ExchangeRate, "the rate locked on the hold")
	require.Equal(t, "manual", got.ExchangeRateSource)
	at, err := time.Parse(time.RFC3339, got.ExchangeRateAt)
	require.NoError(t, err)
	require.WithinDuration(t, lockedAt, at, time.Second)
	require.Equal(t, "456418.00", got.TotalARS)
	require.Equal(t, "136925.00", got.DepositARS)

	type pay struct{ method, status, amount, currency string }
	var pays []pay
	for _, p := range got.Payments {
		var amount, currency string
		if p.Amount != nil {
			amount, currency = *p.Amount, *p.Currency
		}
		_, err := time.Parse(time.RFC3339, p.CreatedAt)
		require.NoError(t, err, p.CreatedAt)
		pays = append(pays, pay{p.Method, p.Status, amount, currency})
	}
	require.Equal(t, []pay{
		{"mercadopago", "rejected", "136925.00", "ARS"},
		{"mercadopago", "approved", "136925.00", "ARS"},
		{"transfer", "rejected", "", ""}, // a refused receipt: no amount
		{"transfer", "approved", "100.00", "USD"},
		{"transfer", "en_revision", "", ""},
		{"cash", "approved", "50.00", "USD"},
	}, pays)
	require.Contains(t, string(r.Body), `"amount":null,"currency":null`)

	// A peso stay: no rate fields, and an empty list, never null.
	ars := s.Property(t)
	pres := s.Hold(t, ars.ID, in, in.AddDate(0, 0, 2))
	r = s.Do(t, http.MethodGet, "/api/v1/reservations/"+pres.Code+"?t="+pres.GuestToken, nil, nil)
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	require.Contains(t, string(r.Body), `"payments":[]`)
	for _, k := range []string{"exchange_rate", "total_ars", "deposit_ars"} {
		require.NotContains(t, string(r.Body), `"`+k+`"`)
	}
	// Another reservation's token shows nothing of this one.
	r = s.Do(t, http.MethodGet, "/api/v1/reservations/"+res.Code+"?t="+pres.GuestToken, nil, nil)
	require.Equal(t, http.StatusNotFound, r.Status)
	require.NotContains(t, string(r.Body), "136925")
}
