package booking_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
	"alojamientos/internal/money"
)

func TestGuestUpdateRepricesExtraGuests(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t, func(pp *dbq.CreatePropertyParams) { pp.ExtraGuestFee = money.FromUnits(1000) })
	r := e.Hold(t, p.ID, e.Day(10), e.Day(12)) // 2 guests, 20000
	up := booking.GuestUpdate{ReservationID: r.ID, AccountID: e.Account.ID, Name: "  Ana Núñez ",
		Phone: "011 15 4444-5555", Email: "Ana@Example.com", Note: "Llega tarde", Guests: 3, Actor: "test"}

	got, err := e.Booking.UpdateGuest(ctx, up)
	require.NoError(t, err)
	require.Equal(t, "Ana Núñez", got.GuestName)
	require.Equal(t, "+5491144445555", got.GuestPhone)
	require.Equal(t, "ana@example.com", got.GuestEmail)
	require.Equal(t, 3, got.Guests)
	require.Equal(t, money.FromUnits(22000), got.Total, "one extra guest for two nights")
	require.Equal(t, money.FromUnits(6600), got.Deposit)
	require.Equal(t, []string{"hold_created", booking.ActionGuestUpdate}, trAudit(t, e, r.ID))

	// The same values again change nothing and write nothing.
	_, err = e.Booking.UpdateGuest(ctx, up)
	require.NoError(t, err)
	require.Len(t, trAudit(t, e, r.ID), 2)

	up.Guests = 5
	_, err = e.Booking.UpdateGuest(ctx, up)
	var verr *booking.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields["guests"], "capacidad máxima es de 4")

	// After arrival the guest count is history; the contact details are not.
	_, err = e.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	_, err = e.Booking.Transition(ctx, r.ID, booking.ActionCheckIn, "test", "")
	require.NoError(t, err)
	up.Guests = 2
	_, err = e.Booking.UpdateGuest(ctx, up)
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields, "guests")
	up.Guests, up.Phone = 3, "+54 9 351 555 1234"
	got, err = e.Booking.UpdateGuest(ctx, up)
	require.NoError(t, err)
	require.Equal(t, "+5493515551234", got.GuestPhone)

	other := dbtest.Account(t, e.Pool).ID
	up.AccountID = other
	_, err = e.Booking.UpdateGuest(ctx, up)
	require.ErrorIs(t, err, booking.ErrNotFound)
}
