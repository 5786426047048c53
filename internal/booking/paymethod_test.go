package booking_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
)

func TestEffectiveMethod(t *testing.T) {
	t.Parallel()
	both := booking.PaymentTerms{MercadoPago: true, Transfer: true}
	require.Equal(t, booking.MethodTransfer, booking.EffectiveMethod(booking.MethodTransfer, both))
	require.Equal(t, booking.MethodMercadoPago, booking.EffectiveMethod("", both))
	require.Equal(t, booking.MethodTransfer, booking.EffectiveMethod("", booking.PaymentTerms{Transfer: true}))
	require.Equal(t, "", booking.EffectiveMethod("", booking.PaymentTerms{Cash: true}))
}

// A guest switches the method of a live hold among the offered ones, with
// an audit entry; the same method again changes nothing; a method not
// offered is a validation error; a hold that is over is closed.
func TestChangeMethod(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12))
	terms := booking.PaymentTerms{MercadoPago: true, Transfer: true}
	audits := func() int {
		var n int
		require.NoError(t, e.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE reservation_id = $1
			AND action = 'payment_method_changed'`, r.ID).Scan(&n))
		return n
	}

	changed, err := e.Booking.ChangeMethod(ctx, r, terms, booking.MethodTransfer)
	require.NoError(t, err)
	require.True(t, changed)
	r, err = e.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, booking.MethodTransfer, r.PaymentMethod)
	require.Equal(t, 1, audits())

	changed, err = e.Booking.ChangeMethod(ctx, r, terms, booking.MethodTransfer)
	require.NoError(t, err)
	require.False(t, changed, "already that method")
	require.Equal(t, 1, audits())

	for _, m := range []string{"", "cash", booking.MethodMercadoPago} {
		_, err = e.Booking.ChangeMethod(ctx, r, booking.PaymentTerms{Transfer: true}, m)
		var verr *booking.ValidationError
		require.True(t, errors.As(err, &verr), "%q: %v", m, err)
		require.Equal(t, "Ese medio de pago no está disponible en este alojamiento.", verr.Fields["payment_method"])
	}

	e.Clock.Advance(2 * time.Hour) // past the hold's 30 minutes
	_, err = e.Booking.ChangeMethod(ctx, r, terms, booking.MethodMercadoPago)
	require.ErrorIs(t, err, booking.ErrMethodClosed)
	r, err = e.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, booking.MethodTransfer, r.PaymentMethod)
}
