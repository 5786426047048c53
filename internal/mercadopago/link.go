package mercadopago

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
)

// mpTime is the date format Mercado Pago's examples use.
const mpTime = "2006-01-02T15:04:05.000-07:00"

// LinkError is what the guest page shows when the link could not be made.
const LinkError = "Mercado Pago no respondió"

// CreateLink makes the Checkout Pro preference of a hold's deposit and
// stores its init_point. The idempotency key is the reservation code, so a
// retry (ours or the owner's) never makes a second preference.
func (s *Service) CreateLink(ctx context.Context, reservationID int64) error {
	if !s.Client.Configured() {
		return nil
	}
	q := dbq.New(s.DB)
	r, err := q.GetReservationForLink(ctx, reservationID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mercadopago: link for %d: %w", reservationID, err)
	}
	now := s.Clock.Now().UTC()
	if booking.Status(r.Status) != booking.StatusPreReserved || r.HoldExpiresAt == nil || !r.HoldExpiresAt.After(now) || r.Deposit <= 0 {
		return nil
	}
	if link, err := q.GetPaymentLink(ctx, r.ID); err == nil && link.InitPoint != "" {
		return nil
	}
	back := s.BaseURL + "/r/" + r.Code + "/pago?t=" + r.GuestToken
	pref := Preference{
		Items: []Item{{
			ID: r.Code + "-DEP", CategoryID: "travels", Quantity: 1, CurrencyID: r.Currency, UnitPrice: Amount(r.Deposit),
			Title: fmt.Sprintf("Seña %d%% - %s, %s al %s", r.DepositPercent, r.PropertyName,
				r.CheckIn.Format("02/01"), r.CheckOut.Format("02/01")),
			Description: "Seña de la reserva " + r.Code,
		}},
		BackURLs:          BackURLs{Success: back + "&resultado=aprobado", Pending: back + "&resultado=pendiente", Failure: back + "&resultado=error"},
		AutoReturn:        "approved",
		NotificationURL:   s.BaseURL + "/webhooks/mercadopago?source_news=webhooks",
		ExternalReference: r.Code, Expires: true,
		ExpirationDateFrom: now.Format(mpTime), ExpirationDateTo: r.HoldExpiresAt.UTC().Format(mpTime),
		DateOfExpiration: r.HoldExpiresAt.UTC().Format(mpTime),
		Metadata: map[string]string{"reservation_id": strconv.FormatInt(r.ID, 10), "reservation_code": r.Code,
			"property": r.PropertySlug, "kind": "deposit"},
	}
	if r.GuestEmail != "" {
		pref.Payer = &Payer{Name: r.GuestName, Email: r.GuestEmail}
	}
	res, err := s.Client.CreatePreference(ctx, pref, "pref-"+r.Code)
	if err != nil {
		s.Log.Warn("mercadopago: payment link failed", "code", r.Code, "error", err)
		if serr := q.SavePaymentLink(ctx, dbq.SavePaymentLinkParams{ReservationID: r.ID, Error: LinkError, Now: now}); serr != nil {
			return errors.Join(err, serr)
		}
		return fmt.Errorf("mercadopago: link for %s: %w", r.Code, err)
	}
	return q.SavePaymentLink(ctx, dbq.SavePaymentLinkParams{ReservationID: r.ID, PreferenceID: res.ID,
		InitPoint: res.InitPoint, Now: now})
}

// RetryLink enqueues the link's job again (the guest's "retry" button).
func (s *Service) RetryLink(ctx context.Context, reservationID int64) error {
	if !s.Client.Configured() {
		return nil
	}
	err := dbq.New(s.DB).EnqueuePaymentLinkJob(ctx, dbq.EnqueuePaymentLinkJobParams{ReservationID: reservationID,
		JobKind: CreateLinkArgs{}.Kind()})
	if err != nil {
		return fmt.Errorf("mercadopago: retry link %d: %w", reservationID, err)
	}
	return dbq.New(s.DB).WakeQueue(ctx, Queue)
}
