package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

type prereserveRequest struct {
	PropertyID      int64  `json:"property_id"`
	AccommodationID int64  `json:"accommodation_id"`
	CheckIn         string `json:"check_in"`
	CheckOut        string `json:"check_out"`
	Guests          int    `json:"guests"`
	GuestName       string `json:"guest_name"`
	GuestPhone      string `json:"guest_phone"`
	GuestEmail      string `json:"guest_email"`
	Channel         string `json:"channel"`
	Note            string `json:"note"`
	// PaymentMethod is the guest's choice among the property's methods: mercadopago or transfer.
	PaymentMethod string `json:"payment_method"`
}

type prereserveResponse struct {
	Code          string      `json:"code"`
	Status        string      `json:"status"`
	PropertyID    int64       `json:"property_id"`
	CheckIn       string      `json:"check_in"`
	CheckOut      string      `json:"check_out"`
	ExpiresAt     string      `json:"expires_at"`
	Nights        int         `json:"nights"`
	Guests        int         `json:"guests"`
	TotalPrice    money.Money `json:"total_price"`
	DepositAmount money.Money `json:"deposit_amount"`
	Currency      string      `json:"currency"`
	PaymentURL    *string     `json:"payment_url"`
	GuestURL      string      `json:"guest_url"`
	// PaymentMethod echoes the guest's choice, null when none was made.
	PaymentMethod *string `json:"payment_method"`
	// Transfer is where and how much to transfer, when the guest chose a transfer.
	Transfer *transferJSON `json:"transfer,omitempty"`
	// CancellationPolicy is the terms frozen on the hold.
	CancellationPolicy *policyJSON `json:"cancellation_policy"`
	// For a foreign currency, the rate locked on the hold and the amounts in pesos at it.
	pesosJSON
	// What a Mercado Pago seña charges in pesos (a foreign currency, a surcharge).
	mpJSON
}

// prereserveLockTTL bounds how long a crashed request can keep its twin
// waiting; a live request releases the lock as soon as it answers.
const prereserveLockTTL = 10 * time.Second

func (s *Server) apiPrereserve(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	// A key belongs to the client network that used it: a replay never crosses clients.
	return s.idempotent(c, "prereserve:"+clientNet(c), body, func() (int, []byte, error) {
		r, err := s.prereserve(c, body)
		if err != nil {
			return 0, nil, err
		}
		out, err := json.Marshal(r)
		return http.StatusCreated, out, err
	})
}

func (s *Server) prereserve(c echo.Context, body []byte) (prereserveResponse, error) {
	var in prereserveRequest
	fields, err := decodeObject(body, &in)
	if err != nil {
		return prereserveResponse{}, err
	}
	pid := in.PropertyID
	if pid == 0 {
		pid = in.AccommodationID
	} else if in.AccommodationID != 0 && in.AccommodationID != pid {
		fields["accommodation_id"] = "No coincide con property_id."
	}
	req := booking.HoldRequest{
		PropertyID: pid, CheckIn: in.CheckIn, CheckOut: in.CheckOut, Guests: in.Guests, GuestName: in.GuestName,
		GuestPhone: in.GuestPhone, GuestEmail: in.GuestEmail, Note: in.Note, Channel: in.Channel, Actor: "api",
		ClientNet: clientNet(c), PaymentMethod: in.PaymentMethod,
	}
	ctx := c.Request().Context()
	p, q, err := s.booking.ValidateHold(ctx, &req)
	var verr *booking.ValidationError
	if errors.As(err, &verr) {
		// Decoding problems come first: a field of the wrong type reads as missing to the booking core.
		for k, v := range verr.Fields {
			if _, ok := fields[k]; !ok {
				fields[k] = v
			}
		}
	} else if err != nil {
		return prereserveResponse{}, err
	}
	if len(fields) > 0 {
		return prereserveResponse{}, validationError(fields)
	}

	h, err := s.takeNights(c, p, q, req, 0)
	if ae := holdLimitError(c, err); ae != nil {
		return prereserveResponse{}, ae
	}
	if err != nil {
		return prereserveResponse{}, bookingError(err)
	}
	res := h.Reservation
	var payURL *string
	// Mercado Pago charges the seña in pesos: a foreign stay held without a rate cannot be (booking.ErrNoRate).
	pay, payErr := res.MPCharge(res.Deposit)
	mpOK := s.mercadoPago != nil && s.mercadoPago.Client.Configured() && p.Pay.MercadoPago && payErr == nil &&
		res.PaymentMethod != booking.MethodTransfer
	if mpOK && booking.GuestCanPay(res.Status, res.HoldExpiresAt, res.Deposit, s.clock.Now()) {
		// The guest's page carries the Mercado Pago button once the link is made (a job, seconds).
		u := s.guestURL(res)
		payURL = &u
	}
	out := prereserveResponse{
		Code: res.Code, Status: string(res.Status), PropertyID: p.ID, CheckIn: booking.FormatDate(res.CheckIn),
		CheckOut: booking.FormatDate(res.CheckOut), ExpiresAt: res.HoldExpiresAt.UTC().Format(time.RFC3339),
		Nights: res.Nights(), Guests: res.Guests, TotalPrice: res.Total, DepositAmount: res.Deposit,
		Currency: res.Currency, GuestURL: s.guestURL(res), PaymentURL: payURL,
		pesosJSON: pesosOf(res.Rate, res.Total, res.Deposit), mpJSON: mpJSONOf(pay, mpOK),
		CancellationPolicy: policyOf(res.Policy),
	}
	if res.PaymentMethod != "" {
		out.PaymentMethod = &res.PaymentMethod
	}
	if res.PaymentMethod == booking.MethodTransfer {
		out.Transfer = transferOf(p.Pay.Account, res)
	}
	return out, nil
}

// transferJSON is what a guest who chose a bank transfer needs: the
// property's account, the exact amount of the seña and the reference to
// write (the reservation code).
type transferJSON struct {
	CBU       string      `json:"cbu"`
	Alias     string      `json:"alias"`
	Holder    string      `json:"holder"`
	CUIT      string      `json:"cuit"`
	Bank      string      `json:"bank"`
	Amount    money.Money `json:"amount"`
	Currency  string      `json:"currency"`
	Reference string      `json:"reference"`
}

// transferOf is the transfer of res's seña to account: in pesos at the
// rate locked on the hold when the stay is in a foreign currency and the
// owner asks transfers in pesos (booking.PesosCharge, no surcharge: that is
// Mercado Pago's), otherwise in the stay's currency (also a foreign stay
// held without a rate, which cannot be converted).
func transferOf(account booking.TransferAccount, res booking.Reservation) *transferJSON {
	due := account.TransferAmount(res.Deposit, res.Currency, res.Rate)
	return &transferJSON{CBU: account.CBU, Alias: account.Alias, Holder: account.Holder, CUIT: account.CUIT,
		Bank: account.Bank, Amount: due.Value, Currency: due.Currency, Reference: res.Code}
}

// takeNights places a validated hold behind the in-flight lock. Twin
// requests (double clicks, client retries) get booking.ErrBusy instead of
// queueing on the constraint; different ranges never share a key. With
// waitBusy > 0 a twin waits that long for the first request's outcome.
func (s *Server) takeNights(c echo.Context, p booking.Property, q booking.Quote, req booking.HoldRequest, waitBusy time.Duration) (booking.Hold, error) {
	ctx := c.Request().Context()
	// Channel calendars first (at most ~2 s), outside the lock.
	stale := s.booking.RefreshFeeds(ctx, p.ID)
	lockKey := fmt.Sprintf("prereserve:%d:%s:%s", p.ID, booking.FormatDate(q.CheckIn), booking.FormatDate(q.CheckOut))
	deadline := time.Now().Add(waitBusy)
	for {
		release, ok, err := s.shared.TryLock(ctx, lockKey, prereserveLockTTL)
		if err != nil {
			// The constraint is the guarantee; a sick Redis only loses the fast path.
			s.logger(c).Warn("prereserve lock unavailable", "error", err)
		} else if !ok {
			if time.Now().Before(deadline) {
				select {
				case <-ctx.Done():
					return booking.Hold{}, ctx.Err()
				case <-time.After(50 * time.Millisecond):
				}
				continue
			}
			s.metrics.PrereserveBusy.Inc()
			return booking.Hold{}, booking.ErrBusy
		}
		h, err := s.booking.TakeNights(ctx, p, q, req)
		release()
		if err == nil {
			s.booking.RecordFeedRisk(ctx, h.Reservation, stale)
		}
		return h, err
	}
}

func (s *Server) guestURL(r booking.Reservation) string {
	return booking.GuestURL(s.config.BaseURL, r.Code, r.GuestToken)
}
