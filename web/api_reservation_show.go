package web

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

type reservationJSON struct {
	Code          string      `json:"code"`
	Status        string      `json:"status"`
	PropertyID    int64       `json:"property_id"`
	PropertyName  string      `json:"property_name"`
	CheckIn       string      `json:"check_in"`
	CheckOut      string      `json:"check_out"`
	Nights        int         `json:"nights"`
	Guests        int         `json:"guests"`
	GuestName     string      `json:"guest_name"`
	ExpiresAt     *string     `json:"expires_at"`
	TotalPrice    money.Money `json:"total_price"`
	DepositAmount money.Money `json:"deposit_amount"`
	Paid          money.Money `json:"paid"`
	Currency      string      `json:"currency"`
	GuestURL      string      `json:"guest_url"`
	// Payments and transfer receipts, oldest first (never null).
	Payments []paymentJSON `json:"payments"`
	// CancellationPolicy is the terms frozen on the hold; null for a stay without them.
	CancellationPolicy *policyJSON `json:"cancellation_policy"`
	// Refunds (never null) and the damage deposit (null when none), api_reservation_money.go.
	Refunds       []refundJSON `json:"refunds"`
	DamageDeposit *depositJSON `json:"damage_deposit"`
	// For a foreign currency, the rate locked on the hold and the amounts in pesos at it.
	pesosJSON
}

// paymentJSON is one payment of a reservation as its guest reads it, or a
// transfer receipt not (yet) recorded as one: status en_revision while the
// owner reviews it, rejected when refused; a receipt has no amount nor
// currency, since only the owner's confirmation says what arrived.
type paymentJSON struct {
	Method    string       `json:"method"` // mercadopago, transfer, cash or other
	Status    string       `json:"status"`
	Amount    *money.Money `json:"amount"`
	Currency  *string      `json:"currency"`
	CreatedAt time.Time    `json:"created_at"`
}

// guestReservation loads a reservation by code for its guest. A wrong or
// missing token is the same 404 as an unknown code, so codes can't be probed.
func (s *Server) guestReservation(c echo.Context) (booking.Reservation, error) {
	r, err := s.booking.Get(c.Request().Context(), c.Param("code"))
	if err != nil {
		return r, err
	}
	if subtle.ConstantTimeCompare([]byte(c.QueryParam("t")), []byte(r.GuestToken)) != 1 {
		return booking.Reservation{}, errNotFound
	}
	return r, nil
}

func (s *Server) apiReservationShow(c echo.Context) error {
	r, err := s.guestReservation(c)
	if err != nil {
		return err
	}
	out := reservationJSON{
		Code: r.Code, Status: string(r.Status), PropertyID: r.PropertyID, PropertyName: r.PropertyName,
		CheckIn: booking.FormatDate(r.CheckIn), CheckOut: booking.FormatDate(r.CheckOut), Nights: r.Nights(),
		Guests: r.Guests, GuestName: r.GuestName, TotalPrice: r.Total, DepositAmount: r.Deposit, Paid: r.Paid,
		Currency: r.Currency, GuestURL: s.guestURL(r), pesosJSON: pesosOf(r.Rate, r.Total, r.Deposit),
		CancellationPolicy: policyOf(r.Policy),
	}
	if out.Payments, err = s.guestPayments(c.Request().Context(), r); err != nil {
		return err
	}
	if out.Refunds, out.DamageDeposit, err = s.guestRefundsAndDeposit(c.Request().Context(), r); err != nil {
		return err
	}
	if r.Status == booking.StatusPreReserved && r.HoldExpiresAt != nil {
		e := r.HoldExpiresAt.UTC().Format(time.RFC3339)
		out.ExpiresAt = &e
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, http.StatusOK, out)
}

// guestPayments lists a reservation's payments and its receipts that did not
// become one, oldest first.
func (s *Server) guestPayments(ctx context.Context, r booking.Reservation) ([]paymentJSON, error) {
	q := db.Q(s.pool)
	pays, err := q.ListReservationPayments(ctx, dbq.ListReservationPaymentsParams{ReservationID: r.ID, AccountID: r.AccountID})
	if err != nil {
		return nil, fmt.Errorf("web: payments of %s: %w", r.Code, err)
	}
	receipts, err := q.GuestReceiptsOfReservation(ctx, dbq.GuestReceiptsOfReservationParams{ReservationID: r.ID,
		AccountID: r.AccountID})
	if err != nil {
		return nil, fmt.Errorf("web: receipts of %s: %w", r.Code, err)
	}
	out := make([]paymentJSON, 0, len(pays)+len(receipts))
	for _, p := range pays {
		amount, currency := p.Amount, p.Currency
		out = append(out, paymentJSON{Method: paymentMethodOf(p.Provider, p.Method), Status: p.Status,
			Amount: &amount, Currency: &currency, CreatedAt: p.CreatedAt.UTC()})
	}
	for _, rc := range receipts {
		out = append(out, paymentJSON{Method: "transfer", Status: rc.Status, CreatedAt: rc.CreatedAt.UTC()})
	}
	slices.SortStableFunc(out, func(a, b paymentJSON) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

// paymentMethodOf is how a payment was made: mercadopago for Mercado Pago's
// (whatever card or account it used), else the method recorded by hand
// (cash, transfer, other).
func paymentMethodOf(provider, method string) string {
	switch {
	case provider == "mercadopago":
		return "mercadopago"
	case booking.PaymentMethods[method]:
		return method
	}
	return "other"
}
