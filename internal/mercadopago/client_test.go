package mercadopago_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/mercadopago"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/money"
)

func newClient(t *testing.T) (*mercadopago.Client, *mptest.Server) {
	fake := mptest.Start(t)
	c := mercadopago.NewClient(fake.URL, mptest.Token, nil)
	c.Backoff = time.Millisecond
	return c, fake
}

func TestClientRetriesServerErrors(t *testing.T) {
	t.Parallel()
	c, fake := newClient(t)
	fake.SetPayment(mptest.Payment{ID: "123456789", Status: "approved", Reference: "RES261126ABCDEF", Amount: money.FromUnits(45000)})

	fake.Fail(2, http.StatusInternalServerError)
	p, err := c.GetPayment(context.Background(), "123456789")
	require.NoError(t, err)
	require.Equal(t, "approved", p.Status)
	require.Equal(t, money.FromUnits(45000), p.TransactionAmount.Money())
	require.Equal(t, 3, fake.CallCount("GET /v1/payments"))
	require.Equal(t, "ok", c.Health().Status)

	fake.Fail(3, http.StatusTooManyRequests)
	_, err = c.GetPayment(context.Background(), "123456789")
	var apiErr *mercadopago.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, http.StatusTooManyRequests, apiErr.Status)
	require.Equal(t, "failing", c.Health().Status)
	require.Contains(t, c.Health().LastError, "429")

	// A 4xx is an answer: no retry.
	before := fake.CallCount("POST /checkout/preferences")
	_, err = c.CreatePreference(context.Background(), mercadopago.Preference{}, "pref-x")
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, http.StatusBadRequest, apiErr.Status)
	require.Equal(t, before+1, fake.CallCount("POST /checkout/preferences"))

	// An unknown payment is ErrNotFound, and not a sick API.
	_, err = c.GetPayment(context.Background(), "999")
	require.True(t, errors.Is(err, mercadopago.ErrNotFound))
	_, err = c.GetPayment(context.Background(), "../users/me")
	require.True(t, errors.Is(err, mercadopago.ErrNotFound), "ids are digits only")
}

func TestClientIdempotentPost(t *testing.T) {
	t.Parallel()
	c, fake := newClient(t)
	pref := mercadopago.Preference{ExternalReference: "RES261126ABCDEF", Items: []mercadopago.Item{{ID: "RES261126ABCDEF-DEP",
		Title: "Seña", Quantity: 1, CurrencyID: "ARS", UnitPrice: mercadopago.Amount(money.FromUnits(9000))}}}
	// The first answer is lost (a 503 after the fake made it would look the same): the retry reuses the key.
	a, err := c.CreatePreference(context.Background(), pref, "pref-RES261126ABCDEF")
	require.NoError(t, err)
	b, err := c.CreatePreference(context.Background(), pref, "pref-RES261126ABCDEF")
	require.NoError(t, err)
	require.Equal(t, a.ID, b.ID)
	require.Equal(t, 1, fake.PreferenceCount())

	unconfigured := mercadopago.NewClient(fake.URL, "", nil)
	_, err = unconfigured.GetPayment(context.Background(), "1")
	require.ErrorIs(t, err, mercadopago.ErrUnconfigured)
	require.Equal(t, "unconfigured", unconfigured.Health().Status)
	bad := mercadopago.NewClient(fake.URL, "wrong", nil)
	_, err = bad.Me(context.Background())
	require.Error(t, err)
	who, err := c.Me(context.Background())
	require.NoError(t, err)
	require.Equal(t, "CABANASDELLAGO", who)
}
