package booking_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
)

// A hold freezes the property's payment terms and the guest's method; a
// method the property does not offer is refused and holds nothing.
func TestHoldFreezesPaymentTerms(t *testing.T) {
	t.Parallel()
	env := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := env.Property(t)
	_, err := env.Pool.Exec(ctx, `UPDATE properties SET mp_surcharge_bp = 600, mp_max_installments = 3,
		balance_due_days = 7 WHERE id = $1`, p.ID)
	require.NoError(t, err)

	req := booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(env.Day(20)),
		CheckOut: booking.FormatDate(env.Day(22)), Guests: 2, GuestName: "Ana Pérez", GuestPhone: "+5491155551234",
		Actor: "api", PaymentMethod: booking.MethodTransfer}
	_, err = env.Booking.PlaceHold(ctx, req)
	var verr *booking.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields["payment_method"], "no está disponible")
	require.Equal(t, 0, dbtest.Count(t, env.Pool, `SELECT count(*) FROM reservations`))

	_, err = env.Pool.Exec(ctx, `UPDATE properties SET pay_transfer = true, transfer_alias = 'cabana.bosque',
		transfer_holder = 'Ana Pérez' WHERE id = $1`, p.ID)
	require.NoError(t, err)
	h, err := env.Booking.PlaceHold(ctx, req)
	require.NoError(t, err)
	r := h.Reservation
	require.Equal(t, booking.MethodTransfer, r.PaymentMethod)
	require.Equal(t, 600, r.SurchargeBP)
	require.Equal(t, 3, r.MaxInstallments)
	require.Equal(t, env.Day(13), r.BalanceDue(), "seven days before arrival")

	_, err = env.Pool.Exec(ctx, `UPDATE properties SET mp_surcharge_bp = 0, balance_due_days = 0 WHERE id = $1`, p.ID)
	require.NoError(t, err)
	again, err := env.Booking.Get(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, 600, again.SurchargeBP, "a later change of the property never changes a booking")
	require.Equal(t, 7, again.BalanceDueDays)
}
