package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/web/webtest"
)

// pmTransfer makes a property take bank transfers to a demo account; inPesos
// asks a foreign stay's transfer in pesos at the locked rate. Set before the
// property is first read, so no cache holds its old terms.
func pmTransfer(t *testing.T, s *webtest.Server, p dbq.Property, inPesos bool) {
	t.Helper()
	_, err := s.Pool.Exec(context.Background(), `UPDATE properties SET pay_transfer = true,
		transfer_cbu = '2850590940090418135201', transfer_alias = 'cabana.bosque.demo', transfer_holder = 'Marta Quiroga',
		transfer_cuit = '27234567891', transfer_bank = 'Banco Patagonia', transfer_in_pesos = $2 WHERE id = $1`, p.ID, inPesos)
	require.NoError(t, err)
}

type pmAnswer struct {
	Code          string  `json:"code"`
	PaymentMethod *string `json:"payment_method"`
	PaymentURL    *string `json:"payment_url"`
	Transfer      *struct {
		CBU, Alias, Holder, CUIT, Bank string
		Amount                         string `json:"amount"`
		Currency                       string `json:"currency"`
		Reference                      string `json:"reference"`
	} `json:"transfer"`
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields"`
}

func pmHold(t *testing.T, s *webtest.Server, propertyID int64, days int, phone string, method any) (int, pmAnswer) {
	t.Helper()
	in := s.Today().AddDate(0, 0, days)
	body := holdBody(propertyID, in, in.AddDate(0, 0, 3))
	body["guest_phone"] = phone
	if method != nil {
		body["payment_method"] = method
	}
	r := s.Do(t, http.MethodPost, prereservePath, body, nil)
	var a pmAnswer
	r.JSON(t, &a)
	return r.Status, a
}

// A guest who picks a transfer gets the account, the exact seña (in pesos
// at the locked rate for a dollar stay when the owner asks pesos) and the
// reservation code as the reference; a method the property does not offer,
// or none we know, is refused in Spanish and holds nothing.
func TestPrereservePaymentMethodTransfer(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	usdPesos, usdDollars, ars, noTransfer := usdCabin(t, s), usdCabin(t, s), s.Property(t), s.Property(t)
	pmTransfer(t, s, usdPesos, true)
	pmTransfer(t, s, usdDollars, false)
	pmTransfer(t, s, ars, true)
	setRate(t, s, 11_855_000)

	// 3 nights of US$ 120 + US$ 25 cleaning = US$ 385; seña 30 % = US$ 115,50 × 1.185,50 = $ 136.925,25 → $ 136.925.
	status, a := pmHold(t, s, usdPesos.ID, 10, "11 5555-0001", "transfer")
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, "transfer", *a.PaymentMethod)
	require.Nil(t, a.PaymentURL, "no Mercado Pago link for a transfer")
	require.NotNil(t, a.Transfer)
	require.Equal(t, "2850590940090418135201", a.Transfer.CBU)
	require.Equal(t, "cabana.bosque.demo", a.Transfer.Alias)
	require.Equal(t, "Marta Quiroga", a.Transfer.Holder)
	require.Equal(t, "27234567891", a.Transfer.CUIT)
	require.Equal(t, "Banco Patagonia", a.Transfer.Bank)
	require.Equal(t, "136925.00", a.Transfer.Amount)
	require.Equal(t, "ARS", a.Transfer.Currency)
	require.Equal(t, a.Code, a.Transfer.Reference)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE code = $1 AND payment_method = 'transfer'`, a.Code))

	status, a = pmHold(t, s, usdDollars.ID, 10, "11 5555-0002", "transfer")
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, "115.50", a.Transfer.Amount, "the owner takes the transfer in dollars")
	require.Equal(t, "USD", a.Transfer.Currency)

	status, a = pmHold(t, s, ars.ID, 10, "11 5555-0003", "transfer")
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, "9000.00", a.Transfer.Amount, "a peso stay's seña as it is")
	require.Equal(t, "ARS", a.Transfer.Currency)

	// Refusals hold nothing.
	before := s.Count(t, `SELECT count(*) FROM reservations`)
	for _, c := range []struct {
		property int64
		method   any
		want     string
	}{
		{noTransfer.ID, "transfer", "Ese medio de pago no está disponible en este alojamiento."},
		{ars.ID, "bitcoin", "Ese medio de pago no está disponible en este alojamiento."},
		{ars.ID, "cash", "Ese medio de pago no está disponible en este alojamiento."},
	} {
		status, a = pmHold(t, s, c.property, 40, "11 5555-0009", c.method)
		require.Equal(t, http.StatusUnprocessableEntity, status, c.method)
		require.Equal(t, "validation", a.Error)
		require.Equal(t, c.want, a.Fields["payment_method"], c.method)
	}
	status, a = pmHold(t, s, ars.ID, 40, "11 5555-0009", 5)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.NotEmpty(t, a.Fields["payment_method"], "a number is not a method")
	require.Equal(t, before, s.Count(t, `SELECT count(*) FROM reservations`))
}

// Mercado Pago is echoed without transfer details; no choice is null.
func TestPrereservePaymentMethodMercadoPagoAndNone(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	pmTransfer(t, s, p, true)

	status, a := pmHold(t, s, p.ID, 10, "11 5555-0001", "mercadopago")
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, "mercadopago", *a.PaymentMethod)
	require.Nil(t, a.Transfer)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE code = $1 AND payment_method = 'mercadopago'`, a.Code))

	in := s.Today().AddDate(0, 0, 20)
	r := s.Do(t, http.MethodPost, prereservePath, holdBody(p.ID, in, in.AddDate(0, 0, 2)), nil)
	require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
	require.Contains(t, string(r.Body), `"payment_method":null`)
	require.NotContains(t, string(r.Body), `"transfer"`)
}
