package mercadopago

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

// ErrRefundAmount is a refund amount above what is left of the payment (or not positive).
var ErrRefundAmount = errors.New("mercadopago: refund amount out of range")

// ErrNotRefundable is a payment that is not an approved Mercado Pago payment.
var ErrNotRefundable = errors.New("mercadopago: payment cannot be refunded")

// RefundRequest asks to give back (part of) a Mercado Pago payment.
type RefundRequest struct {
	AccountID     int64
	ReservationID int64
	PaymentID     int64       // our payments.id
	Amount        money.Money // 0 = what is left of it
	Actor         string
}

// Refund calls Mercado Pago's refunds API and then records what Mercado Pago
// says the payment is now. The idempotency key names the payment, the amount
// and what was refunded before, so a double click is one refund while a
// second partial refund made on purpose is another.
func (s *Service) Refund(ctx context.Context, req RefundRequest) (money.Money, error) {
	q := db.Q(s.DB)
	pay, err := q.GetPaymentForRefund(ctx, dbq.GetPaymentForRefundParams{ID: req.PaymentID,
		ReservationID: req.ReservationID, AccountID: req.AccountID})
	if errors.Is(err, db.ErrNotFound) {
		return 0, booking.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("mercadopago: refund: %w", err)
	}
	if pay.Provider != Provider || pay.ProviderID == nil || pay.Status != "approved" {
		return 0, ErrNotRefundable
	}
	left := pay.Amount - pay.Refunded
	amount := req.Amount
	if amount == 0 {
		amount = left
	}
	if amount <= 0 || amount > left {
		return 0, ErrRefundAmount
	}
	send := amount
	if amount == left && pay.Refunded == 0 {
		send = 0 // a full refund is asked for without an amount, as documented
	}
	key := fmt.Sprintf("refund-%s-%d-%d", *pay.ProviderID, amount, pay.Refunded)
	if _, err := s.Client.Refund(ctx, *pay.ProviderID, send, key); err != nil {
		return 0, fmt.Errorf("mercadopago: refund payment %s: %w", *pay.ProviderID, err)
	}
	detail, _ := json.Marshal(map[string]string{"payment_id": *pay.ProviderID, "amount": amount.String()})
	if err := q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: pay.AccountID, ReservationID: &pay.ReservationID,
		Actor: req.Actor, Action: "payment_refund", Detail: detail, Now: s.Clock.Now().UTC()}); err != nil {
		return 0, err
	}
	// The notification will come too; this makes the page right at once.
	if p, err := s.Client.GetPayment(ctx, *pay.ProviderID); err == nil {
		if _, err := s.ApplyPayment(ctx, p); err != nil {
			s.Log.Warn("mercadopago: apply after refund", "payment_id", *pay.ProviderID, "error", err)
		}
	}
	return amount, nil
}

// BalanceLink makes a Checkout Pro link for what is left to pay of a
// reservation, for the owner to send: the balance in the stay's currency,
// charged in pesos at the rate locked on its hold with its frozen surcharge
// (booking.ErrNoRate for a foreign stay held without a rate). The key names
// the reservation and the pesos charged, so asking twice for the same
// balance gives the same link.
func (s *Service) BalanceLink(ctx context.Context, r booking.Reservation) (string, booking.Charge, error) {
	balance := r.Total - r.Paid
	if balance <= 0 {
		return "", booking.Charge{}, ErrRefundAmount
	}
	pay, err := r.MPCharge(balance)
	if err != nil {
		return "", booking.Charge{}, err
	}
	pref := s.preference(charge{Kind: "balance", ReservationID: r.ID, Code: r.Code, GuestToken: r.GuestToken,
		PropertyName: r.PropertyName, CheckIn: r.CheckIn, CheckOut: r.CheckOut, Pay: pay,
		MaxInstallments: r.MaxInstallments})
	res, err := s.Client.CreatePreference(ctx, pref, fmt.Sprintf("balance-%s-%d-%s%s", r.Code, balance, pay.Total,
		booking.PesoCurrency))
	if err != nil {
		return "", booking.Charge{}, fmt.Errorf("mercadopago: balance link for %s: %w", r.Code, err)
	}
	return res.InitPoint, pay, nil
}
