package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
	"alojamientos/internal/money"
)

// booking.PlanRefunds splits what goes back over the payments received:
// Mercado Pago payments first, largest first (as ListRefundablePayments
// orders them), each in its own pesos; the rest by transfer in the stay's
// currency.

func mpPay(id int64, amount, refunded money.Money) dbq.ListRefundablePaymentsRow {
	pid := "mp-" + string(rune('0'+id))
	return dbq.ListRefundablePaymentsRow{ID: id, Provider: booking.MethodMercadoPago, ProviderID: &pid,
		Method: booking.MethodMercadoPago, Amount: amount, Refunded: refunded, Currency: "ARS"}
}

func handPay(id int64, amount money.Money, currency string) dbq.ListRefundablePaymentsRow {
	return dbq.ListRefundablePaymentsRow{ID: id, Provider: "manual", Method: "transfer", Amount: amount, Currency: currency}
}

type plannedPart struct {
	payment  int64 // 0: by transfer
	method   string
	amount   money.Money
	currency string
	stay     money.Money
}

func planned(parts []booking.RefundPart) []plannedPart {
	var out []plannedPart
	for _, p := range parts {
		var id int64
		if p.PaymentID != nil {
			id = *p.PaymentID
		}
		out = append(out, plannedPart{id, p.Method, p.Amount, p.Currency, p.StayAmount})
	}
	return out
}

func TestPlanRefundsPesoStay(t *testing.T) {
	t.Parallel()
	res := dbq.Reservation{Currency: "ARS"}
	pays := []dbq.ListRefundablePaymentsRow{
		mpPay(7, pesos(70_000), 0), mpPay(3, pesos(30_000), 0), handPay(9, pesos(20_000), "ARS"),
	}
	for _, c := range []struct {
		name   string
		refund money.Money
		want   []plannedPart
	}{
		{"nothing to give back", 0, nil},
		{"part of the largest payment", pesos(50_000), []plannedPart{
			{7, booking.MethodMercadoPago, pesos(50_000), "ARS", pesos(50_000)}}},
		{"the largest whole, then part of the next", pesos(90_000), []plannedPart{
			{7, booking.MethodMercadoPago, pesos(70_000), "ARS", pesos(70_000)},
			{3, booking.MethodMercadoPago, pesos(20_000), "ARS", pesos(20_000)}}},
		{"beyond Mercado Pago: the rest by transfer", pesos(115_000), []plannedPart{
			{7, booking.MethodMercadoPago, pesos(70_000), "ARS", pesos(70_000)},
			{3, booking.MethodMercadoPago, pesos(30_000), "ARS", pesos(30_000)},
			{0, booking.MethodTransfer, pesos(15_000), "ARS", pesos(15_000)}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, planned(booking.PlanRefunds(res.Currency, booking.ReservationRate(res), int(res.MpSurchargeBp), pays, c.refund)))
		})
	}
	t.Run("a payment refunded in part before gives back only what is left", func(t *testing.T) {
		got := planned(booking.PlanRefunds(res.Currency, booking.ReservationRate(res), int(res.MpSurchargeBp), []dbq.ListRefundablePaymentsRow{mpPay(7, pesos(70_000), pesos(60_000)),
			mpPay(3, pesos(30_000), 0)}, pesos(35_000)))
		require.Equal(t, []plannedPart{
			{7, booking.MethodMercadoPago, pesos(10_000), "ARS", pesos(10_000)},
			{3, booking.MethodMercadoPago, pesos(25_000), "ARS", pesos(25_000)}}, got)
	})
	t.Run("only money received by hand: all by transfer", func(t *testing.T) {
		got := planned(booking.PlanRefunds(res.Currency, booking.ReservationRate(res), int(res.MpSurchargeBp), []dbq.ListRefundablePaymentsRow{handPay(9, pesos(20_000), "ARS")}, pesos(20_000)))
		require.Equal(t, []plannedPart{{0, booking.MethodTransfer, pesos(20_000), "ARS", pesos(20_000)}}, got)
	})
}

// A dollar stay paid in pesos through Mercado Pago at the rate locked on the
// hold (1 USD = $ 1.000) with a 5 % surcharge: US$ 300 was charged
// $ 315.000 and US$ 100 $ 105.000; US$ 200 came by transfer.
func TestPlanRefundsDollarStayAtTheLockedRate(t *testing.T) {
	t.Parallel()
	e4, src, at := int64(1000*10_000), "manual", time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	res := dbq.Reservation{Currency: "USD", ExchangeRateE4: &e4, ExchangeRateSource: &src, ExchangeRateAt: &at,
		MpSurchargeBp: 500}
	usd := func(n int64) money.Money { return money.FromUnits(n) }
	pays := []dbq.ListRefundablePaymentsRow{
		mpPay(1, pesos(315_000), 0), mpPay(2, pesos(105_000), 0), handPay(3, usd(200), "USD"),
	}
	// The pesos of US$ 50 with its surcharge: what the guest paid for them.
	c, err := booking.PesosCharge(usd(50), "USD", booking.ReservationRate(res), 500)
	require.NoError(t, err)
	require.Equal(t, pesos(52_500), c.Total)

	for _, tc := range []struct {
		name   string
		refund money.Money
		want   []plannedPart
	}{
		{"US$ 350: the largest payment whole, US$ 50 of the next in its pesos", usd(350), []plannedPart{
			{1, booking.MethodMercadoPago, pesos(315_000), "ARS", usd(300)},
			{2, booking.MethodMercadoPago, pesos(52_500), "ARS", usd(50)}}},
		{"US$ 450: both payments whole, US$ 50 by transfer in dollars", usd(450), []plannedPart{
			{1, booking.MethodMercadoPago, pesos(315_000), "ARS", usd(300)},
			{2, booking.MethodMercadoPago, pesos(105_000), "ARS", usd(100)},
			{0, booking.MethodTransfer, usd(50), "USD", usd(50)}}},
		{"US$ 120 of the largest payment: its pesos with the surcharge", usd(120), []plannedPart{
			{1, booking.MethodMercadoPago, pesos(126_000), "ARS", usd(120)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := booking.PlanRefunds(res.Currency, booking.ReservationRate(res), int(res.MpSurchargeBp), pays, tc.refund)
			require.Equal(t, tc.want, planned(parts))
			var stay money.Money
			for _, p := range parts {
				stay += p.StayAmount
			}
			require.Equal(t, tc.refund, stay, "the parts add up to the refund, in the stay's currency")
		})
	}
	t.Run("no rate locked: nothing through Mercado Pago, all by transfer", func(t *testing.T) {
		bare := dbq.Reservation{Currency: "USD", MpSurchargeBp: 500}
		require.Equal(t, []plannedPart{{0, booking.MethodTransfer, usd(100), "USD", usd(100)}},
			planned(booking.PlanRefunds(bare.Currency, booking.ReservationRate(bare), int(bare.MpSurchargeBp), pays, usd(100))))
	})
}

// A refund decided but not yet carried out (a manual refund in flight)
// counts as given back: a cancellation then plans only what is left of
// the payment through Mercado Pago, never more than Mercado Pago holds.
func TestRefundablePaymentsCountPendingRefunds(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(30), e.Day(33))
	var pay int64
	require.NoError(t, e.Pool.QueryRow(ctx, `INSERT INTO payments (account_id, reservation_id, provider, provider_id,
		status, amount, currency) VALUES ($1, $2, 'mercadopago', 'mp-pending-1', 'approved', 9000, 'ARS') RETURNING id`,
		r.AccountID, r.ID).Scan(&pay))
	_, err := e.Pool.Exec(ctx, `INSERT INTO refunds (account_id, reservation_id, payment_id, reason, method, status,
		amount, currency, actor) VALUES ($1, $2, $3, 'manual', 'mercadopago', 'pending', 4000, 'ARS', 'user:1')`,
		r.AccountID, r.ID, pay)
	require.NoError(t, err)

	pays, err := dbq.New(e.Pool).ListRefundablePayments(ctx, r.ID)
	require.NoError(t, err)
	require.Len(t, pays, 1)
	require.Equal(t, pesos(4000), pays[0].Refunded, "the pending refund counts as given back")
	require.Equal(t, []plannedPart{
		{pay, booking.MethodMercadoPago, pesos(5000), "ARS", pesos(5000)},
		{0, booking.MethodTransfer, pesos(4000), "ARS", pesos(4000)}},
		planned(booking.PlanRefunds("ARS", nil, 0, pays, pesos(9000))))
}
