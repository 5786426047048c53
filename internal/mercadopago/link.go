package mercadopago

import (
	"context"
	"errors"
	"fmt"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
)

// mpTime is the date format Mercado Pago's examples use.
const mpTime = "2006-01-02T15:04:05.000-07:00"

// LinkError is what the guest page shows when the link could not be made.
const LinkError = "Mercado Pago no respondió"

// CreateLink makes the Checkout Pro preference of a hold's deposit and
// stores its init_point. The idempotency key is the reservation code and what
// the link charges (the pesos total, in ARS), so a retry (ours or the
// owner's) never makes a second preference, and a re-priced hold (its deposit
// changed: migration 00013 clears the link and queues this job) gets a new
// one for the new amount. A foreign-currency hold without a locked rate gets
// no link (booking.ErrNoRate): the guest page says how else to pay.
func (s *Service) CreateLink(ctx context.Context, reservationID int64) error {
	if !s.Client.Configured() {
		return nil
	}
	// The deposit may change again while the link is being made: then the
	// link is not saved and is made once more for the new amount.
	for range 3 {
		saved, err := s.createLink(ctx, reservationID)
		if err != nil || saved {
			return err
		}
	}
	return fmt.Errorf("mercadopago: link for %d: the deposit kept changing", reservationID)
}

// createLink makes and saves the link for the deposit as it is now; false
// when it changed before the link could be saved.
func (s *Service) createLink(ctx context.Context, reservationID int64) (bool, error) {
	q := db.Q(s.DB)
	r, err := q.GetReservationForLink(ctx, reservationID)
	if errors.Is(err, db.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("mercadopago: link for %d: %w", reservationID, err)
	}
	now := s.Clock.Now().UTC()
	if !booking.GuestCanPay(booking.Status(r.Status), r.HoldExpiresAt, r.Deposit, now) {
		return true, nil
	}
	pay, err := booking.PesosCharge(r.Deposit, r.Currency,
		booking.RateFromColumns(r.Currency, r.ExchangeRateE4, r.ExchangeRateSource, r.ExchangeRateAt), int(r.MpSurchargeBp))
	if errors.Is(err, booking.ErrNoRate) {
		return true, nil
	}
	if link, err := q.GetPaymentLink(ctx, r.ID); err == nil && CurrentLink(link, pay) {
		return true, nil
	}
	c := charge{Kind: "deposit", DepositPct: int(r.DepositPercent), ReservationID: r.ID, Code: r.Code,
		GuestToken: r.GuestToken, PropertyName: r.PropertyName, CheckIn: r.CheckIn, CheckOut: r.CheckOut,
		Pay: pay, MaxInstallments: int(r.MpMaxInstallments), Expires: *r.HoldExpiresAt, Now: now,
		Metadata: map[string]string{"property": r.PropertySlug, "deposit": r.Deposit.String()}}
	if r.GuestEmail != "" {
		c.Payer = &Payer{Name: r.GuestName, Email: r.GuestEmail}
	}
	pref := s.preference(c)
	res, err := s.Client.CreatePreference(ctx, pref, "pref-"+r.Code+"-"+pay.Total.String()+booking.PesoCurrency)
	if err != nil {
		s.Log.Warn("mercadopago: payment link failed", "code", r.Code, "error", err)
		if serr := q.SavePaymentLink(ctx, dbq.SavePaymentLinkParams{ReservationID: r.ID, Error: LinkError, Now: now}); serr != nil {
			return false, errors.Join(err, serr)
		}
		return false, fmt.Errorf("mercadopago: link for %s: %w", r.Code, err)
	}
	// Saved only while the deposit (in the stay's currency) is still the one
	// priced; the row records what the link charges: pesos, in ARS.
	n, err := q.SaveCurrentPaymentLink(ctx, dbq.SaveCurrentPaymentLinkParams{ReservationID: r.ID, PreferenceID: res.ID,
		InitPoint: res.InitPoint, Deposit: r.Deposit, ResCurrency: r.Currency, Amount: pay.Total,
		Currency: booking.PesoCurrency, Now: now})
	if err != nil {
		return false, fmt.Errorf("mercadopago: save link for %s: %w", r.Code, err)
	}
	return n > 0, nil
}

// CurrentLink reports whether a stored link is made and charges what the
// reservation's deposit costs in pesos now (pay: booking.PesosCharge of the
// deposit at the locked rate, with the surcharge): only then is it shown to
// the guest.
func CurrentLink(link dbq.PaymentLink, pay booking.Charge) bool {
	return link.InitPoint != "" && link.Amount == pay.Total && link.Currency == booking.PesoCurrency
}

// RetryLink enqueues the link's job again (the guest's "retry" button).
func (s *Service) RetryLink(ctx context.Context, reservationID int64) error {
	if !s.Client.Configured() {
		return nil
	}
	err := db.Q(s.DB).EnqueuePaymentLinkJob(ctx, dbq.EnqueuePaymentLinkJobParams{ReservationID: reservationID,
		JobKind: CreateLinkArgs{}.Kind()})
	if err != nil {
		return fmt.Errorf("mercadopago: retry link %d: %w", reservationID, err)
	}
	return db.Q(s.DB).WakeQueue(ctx, Queue)
}
