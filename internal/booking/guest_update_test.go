package booking_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

func TestGuestUpdateRepricesExtraGuests(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	p := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.ExtraGuestFee = money.FromUnits(1000) })
	r := s.Hold(t, p.ID, csDays(s, 10), csDays(s, 12)) // 2 guests, 20000
	up := booking.GuestUpdate{ReservationID: r.ID, AccountID: s.Account.ID, Name: "  Ana Núñez ",
		Phone: "011 15 4444-5555", Email: "Ana@Example.com", Note: "Llega tarde", Guests: 3, Actor: "test"}

	got, err := s.Booking.UpdateGuest(ctx, up)
	require.NoError(t, err)
	require.Equal(t, "Ana Núñez", got.GuestName)
	require.Equal(t, "+5491144445555", got.GuestPhone)
	require.Equal(t, "ana@example.com", got.GuestEmail)
	require.Equal(t, 3, got.Guests)
	require.Equal(t, money.FromUnits(22000), got.Total, "one extra guest for two nights")
	require.Equal(t, money.FromUnits(6600), got.Deposit)
	require.Equal(t, []string{"hold_created", booking.ActionGuestUpdate}, trAudit(t, s, r.ID))

	// The same values again change nothing and write nothing.
	_, err = s.Booking.UpdateGuest(ctx, up)
	require.NoError(t, err)
	require.Len(t, trAudit(t, s, r.ID), 2)

	up.Guests = 5
	_, err = s.Booking.UpdateGuest(ctx, up)
	var verr *booking.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields["guests"], "capacidad máxima es de 4")

	// After arrival the guest count is history; the contact details are not.
	_, err = s.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	_, err = s.Booking.Transition(ctx, r.ID, booking.ActionCheckIn, "test", "")
	require.NoError(t, err)
	up.Guests = 2
	_, err = s.Booking.UpdateGuest(ctx, up)
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields, "guests")
	up.Guests, up.Phone = 3, "+54 9 351 555 1234"
	got, err = s.Booking.UpdateGuest(ctx, up)
	require.NoError(t, err)
	require.Equal(t, "+5493515551234", got.GuestPhone)

	other, _, _ := s.OtherAccount(t)
	up.AccountID = other
	_, err = s.Booking.UpdateGuest(ctx, up)
	require.ErrorIs(t, err, booking.ErrNotFound)
}
