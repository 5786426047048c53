package mercadopago

import (
	"context"
	"errors"
	"fmt"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

// mpTime is the date format Mercado Pago's examples use.
const mpTime = "2006-01-02T15:04:05.000-07:00"

// LinkError is what the guest page shows when the link could not be made.
const LinkError = "Mercado Pago no respondió"

// Currency is the one currency Mercado Pago charges in for now. A
// reservation in another currency gets no link (rather than dollars charged
// as pesos) until its amount is converted at a locked exchange rate.
const Currency = "ARS"

// ChargesIn reports whether Mercado Pago can charge an amount in currency.
func ChargesIn(currency string) bool { return currency == Currency }

// ErrCurrency is BalanceLink's answer for a reservation in a currency
// Mercado Pago does not charge in (see Currency).
var ErrCurrency = errors.New("mercadopago: currency not charged by Mercado Pago")

// CreateLink makes the Checkout Pro preference of a hold's deposit and
// stores its init_point. The idempotency key is the reservation code and what
// the link charges, so a retry (ours or the owner's) never makes a second
// preference, and a re-priced hold (its deposit changed: migration 00013
// clears the link and queues this job) gets a new one for the new amount.
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
	if !booking.GuestCanPay(booking.Status(r.Status), r.HoldExpiresAt, r.Deposit, now) || !ChargesIn(r.Currency) {
		return true, nil
	}
	if link, err := q.GetPaymentLink(ctx, r.ID); err == nil && CurrentLink(link, r.Deposit, r.Currency) {
		return true, nil
	}
	c := charge{Kind: "deposit", DepositPct: int(r.DepositPercent), ReservationID: r.ID, Code: r.Code,
		GuestToken: r.GuestToken, PropertyName: r.PropertyName, CheckIn: r.CheckIn, CheckOut: r.CheckOut,
		Amount: r.Deposit, Currency: r.Currency, Expires: *r.HoldExpiresAt, Now: now,
		Metadata: map[string]string{"property": r.PropertySlug, "deposit": r.Deposit.String()}}
	if r.GuestEmail != "" {
		c.Payer = &Payer{Name: r.GuestName, Email: r.GuestEmail}
	}
	pref := s.preference(c)
	res, err := s.Client.CreatePreference(ctx, pref, "pref-"+r.Code+"-"+r.Deposit.String()+r.Currency)
	if err != nil {
		s.Log.Warn("mercadopago: payment link failed", "code", r.Code, "error", err)
		if serr := q.SavePaymentLink(ctx, dbq.SavePaymentLinkParams{ReservationID: r.ID, Error: LinkError, Now: now}); serr != nil {
			return false, errors.Join(err, serr)
		}
		return false, fmt.Errorf("mercadopago: link for %s: %w", r.Code, err)
	}
	n, err := q.SaveCurrentPaymentLink(ctx, dbq.SaveCurrentPaymentLinkParams{ReservationID: r.ID, PreferenceID: res.ID,
		InitPoint: res.InitPoint, Amount: r.Deposit, Currency: r.Currency, Now: now})
	if err != nil {
		return false, fmt.Errorf("mercadopago: save link for %s: %w", r.Code, err)
	}
	return n > 0, nil
}

// CurrentLink reports whether a stored link is made and charges the
// reservation's deposit as it is now: only then is it shown to the guest.
func CurrentLink(link dbq.PaymentLink, deposit money.Money, currency string) bool {
	return link.InitPoint != "" && link.Amount == deposit && link.Currency == currency
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
