package booking_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

func TestPaymentRules(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Minute), now.Add(-time.Minute)
	dep := money.FromUnits(3000)

	require.True(t, booking.HoldLive(booking.StatusPreReserved, &later, now))
	require.False(t, booking.HoldLive(booking.StatusPreReserved, &earlier, now), "past its time, not yet swept")
	require.False(t, booking.HoldLive(booking.StatusPreReserved, &now, now))
	require.False(t, booking.HoldLive(booking.StatusPreReserved, nil, now))
	require.False(t, booking.HoldLive(booking.StatusConfirmed, &later, now))

	require.True(t, booking.GuestCanPay(booking.StatusPreReserved, &later, dep, now))
	require.False(t, booking.GuestCanPay(booking.StatusPreReserved, &later, 0, now), "no deposit, nothing to pay online")
	require.False(t, booking.GuestCanPay(booking.StatusExpired, &later, dep, now))

	total := money.FromUnits(10000)
	require.True(t, booking.CanPay(booking.StatusConfirmed, total, dep))
	require.True(t, booking.CanPay(booking.StatusCompleted, total, dep))
	require.False(t, booking.CanPay(booking.StatusConfirmed, total, total), "nothing left to pay")
	require.False(t, booking.CanPay(booking.StatusCancelled, total, 0))

	for st, want := range map[booking.Status]bool{booking.StatusPreReserved: true, booking.StatusConfirmed: true,
		booking.StatusCheckedIn: true, booking.StatusCompleted: false, booking.StatusExpired: false,
		booking.StatusCancelled: false, booking.StatusNoShow: false} {
		require.Equal(t, want, booking.BalanceLinkable(st, total, dep), st)
	}
	require.False(t, booking.BalanceLinkable(booking.StatusConfirmed, total, total))

	require.True(t, booking.DepositCovered(dep, dep))
	require.True(t, booking.DepositCovered(dep, dep+1))
	require.False(t, booking.DepositCovered(dep, dep-1))
	require.False(t, booking.DepositCovered(0, 0), "nothing paid covers nothing")
}

func TestCheckNote(t *testing.T) {
	t.Parallel()
	note, msg := booking.CheckNote(booking.ActionCancel, "  el huésped avisó  ")
	require.Equal(t, "el huésped avisó", note)
	require.Empty(t, msg)
	_, msg = booking.CheckNote(booking.ActionCancel, "   ")
	require.Equal(t, "Escribí el motivo de la cancelación.", msg)
	_, msg = booking.CheckNote(booking.ActionConfirm, "")
	require.Empty(t, msg, "a confirmation's note is optional")

	limit := strings.Repeat("ñ", booking.MaxNoteLen) // characters, not bytes
	_, msg = booking.CheckNote(booking.ActionCancel, limit)
	require.Empty(t, msg)
	_, msg = booking.CheckNote(booking.ActionCancel, limit+"a")
	require.Equal(t, "El motivo es demasiado largo (máximo 500 caracteres).", msg)
	_, msg = booking.CheckNote(booking.ActionConfirm, limit+"a")
	require.Equal(t, "La nota es demasiado larga (máximo 500 caracteres).", msg)
}
