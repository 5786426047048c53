package booking_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
)

// Service.Withdraw: the withdrawal button's request (code + contact).

func TestWithdrawMatchesCodeAndContact(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(30), e.Day(33)) // phone +5491155551234

	for name, req := range map[string]booking.WithdrawRequest{
		"unknown code":     {Code: "RES000000ABCDEF", Contact: "+5491155551234"},
		"another phone":    {Code: r.Code, Contact: "+5491155559999"},
		"an e-mail":        {Code: r.Code, Contact: "huesped@example.com"}, // the hold has none
		"a foreign number": {Code: r.Code, Contact: "+1 212 555 1234"},
	} {
		_, err := e.Booking.Withdraw(ctx, req)
		require.ErrorIs(t, err, booking.ErrNoWithdrawalMatch, name)
	}
	var verr *booking.ValidationError
	_, err := e.Booking.Withdraw(ctx, booking.WithdrawRequest{Code: " ", Contact: "no es un teléfono"})
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields, "code")
	require.Contains(t, verr.Fields, "contact")
	require.Equal(t, booking.StatusPreReserved, trStatus(t, e, r.Code), "nothing changed")

	// The phone as people type it, the code in lower case with spaces.
	w, err := e.Booking.Withdraw(ctx, booking.WithdrawRequest{Code: " " + lower(r.Code) + " ", Contact: "011 15 5555-1234",
		ClientNet: "192.0.2.1"})
	require.NoError(t, err)
	require.Regexp(t, `^ARR-[2-9A-HJ-NP-Z]{8}$`, w.Code)
	require.True(t, w.InTime)
	require.False(t, w.Again)
	require.Zero(t, w.Refund, "nothing was paid")
	require.Contains(t, w.Rule, "dentro del plazo legal")
	require.Equal(t, booking.StatusCancelled, trStatus(t, e, r.Code))
	require.Equal(t, []string{"hold_created", "withdrawn", "cancel"}, trAudit(t, e, r.ID))
	var contact, net string
	require.NoError(t, e.Pool.QueryRow(ctx, "SELECT contact, client_net FROM withdrawals WHERE reservation_id = $1", r.ID).
		Scan(&contact, &net))
	require.Equal(t, "+5491155551234", contact)
	require.Equal(t, "192.0.2.1", net)

	// Asking again answers the same code and changes nothing.
	again, err := e.Booking.Withdraw(ctx, booking.WithdrawRequest{Code: r.Code, Contact: "+54 9 11 5555-1234"})
	require.NoError(t, err)
	require.Equal(t, w.Code, again.Code)
	require.True(t, again.Again)
	require.Len(t, trAudit(t, e, r.ID), 3)
	// …but not to someone with the wrong contact.
	_, err = e.Booking.Withdraw(ctx, booking.WithdrawRequest{Code: r.Code, Contact: "+5491155559999"})
	require.ErrorIs(t, err, booking.ErrNoWithdrawalMatch)
}

func TestWithdrawNothingToWithdraw(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(30), e.Day(33))
	_, err := e.Booking.Cancel(ctx, booking.CancelRequest{ReservationID: r.ID, By: booking.PartyGuest, Actor: "guest"})
	require.NoError(t, err)
	_, err = e.Booking.Withdraw(ctx, booking.WithdrawRequest{Code: r.Code, Contact: "+5491155551234"})
	require.ErrorIs(t, err, booking.ErrNothingToWithdraw, "cancelled, not withdrawn")
}

func TestWithdrawTwiceAtOnceGivesOneCode(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(30), e.Day(33))
	var wg sync.WaitGroup
	codes := make([]string, 6)
	errs := make([]error, 6)
	for i := range codes {
		wg.Go(func() {
			w, err := e.Booking.Withdraw(context.Background(), booking.WithdrawRequest{Code: r.Code, Contact: "+5491155551234"})
			codes[i], errs[i] = w.Code, err
		})
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	for _, c := range codes {
		require.Equal(t, codes[0], c)
	}
	require.Equal(t, 1, count(t, e, "SELECT count(*) FROM withdrawals"))
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func count(t *testing.T, e *bookingtest.Env, q string) int {
	t.Helper()
	var n int
	require.NoError(t, e.Pool.QueryRow(context.Background(), q).Scan(&n))
	return n
}

// A stay whose day of arrival has passed is not the guest's to end from
// outside (guest page, API, WhatsApp, the withdrawal button): the owner
// decides, on the guest's behalf or as host.
func TestGuestCannotEndAStartedStay(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(3), e.Day(6))
	_, err := e.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	e.Clock.Advance(4 * 24 * time.Hour) // the day after arrival, no check-in recorded

	_, err = e.Booking.Withdraw(ctx, booking.WithdrawRequest{Code: r.Code, Contact: "+5491155551234"})
	require.ErrorIs(t, err, booking.ErrNothingToWithdraw)
	var terr *booking.TransitionError
	_, err = e.Booking.Cancel(ctx, booking.CancelRequest{ReservationID: r.ID, By: booking.PartyGuest, Actor: "guest"})
	require.ErrorAs(t, err, &terr)
	require.True(t, terr.Started)
	require.Equal(t, booking.StatusConfirmed, trStatus(t, e, r.Code), "nothing changed")

	_, err = e.Booking.Cancel(ctx, booking.CancelRequest{ReservationID: r.ID, AccountID: p.AccountID,
		By: booking.PartyGuest, Actor: "user:1", Note: "Se fue antes"})
	require.NoError(t, err, "the owner may, on the guest's behalf")
	require.Equal(t, booking.StatusCancelled, trStatus(t, e, r.Code))
}
