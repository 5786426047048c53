package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/whatsapp"
)

// Three days before the balance is due (from 10:00 local time) the guest
// gets one reminder with the ways to pay, however often the job runs; as a
// template, since the guest never wrote.
func TestWhatsAppBalanceReminder(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	ctx := context.Background()
	p := s.Property(t, waName("Cabaña del Lago"))
	_, err := s.Pool.Exec(ctx, `UPDATE properties SET balance_due_days = 5, pay_transfer = true,
		transfer_alias = 'cabana.lago', transfer_holder = 'Ana Pérez' WHERE id = $1`, p.ID)
	require.NoError(t, err)
	guest := "5491155551301"
	ci := s.Today().AddDate(0, 0, 10)
	h, err := s.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci),
		CheckOut: booking.FormatDate(ci.AddDate(0, 0, 2)), Guests: 2, GuestName: "Laura Sosa", GuestPhone: "+" + guest,
		Channel: "web", Actor: "guest"})
	require.NoError(t, err)
	e.waitTo(t, guest, 1)
	_, err = s.Booking.Transition(ctx, h.Reservation.ID, booking.ActionConfirm, "test", "")
	require.NoError(t, err)
	e.waitTo(t, guest, 2)

	due := ci.AddDate(0, 0, -5)
	day := due.AddDate(0, 0, -3)
	ar := time.FixedZone("AR", -3*3600)
	s.Clock.Set(time.Date(day.Year(), day.Month(), day.Day(), 9, 30, 0, 0, ar))
	_, err = s.Booking.SweepBalances(ctx)
	require.NoError(t, err)
	e.settle(t)
	require.Len(t, e.to(guest), 2, "not before 10:00")
	s.Clock.Set(time.Date(day.Year(), day.Month(), day.Day(), 10, 30, 0, 0, ar))
	for range 2 {
		_, err = s.Booking.SweepBalances(ctx)
		require.NoError(t, err)
	}
	m := e.waitTo(t, guest, 3)
	require.Equal(t, whatsapp.DefaultTemplates[whatsapp.EventBalanceReminder], m.Template)
	page := booking.GuestURL(s.URL, h.Reservation.Code, h.Reservation.GuestToken)
	require.Equal(t, []string{"Laura", h.Reservation.Code, "$ 20.000", format.Date(due),
		"con Mercado Pago, desde el link de tu reserva; por transferencia a alias cabana.lago, a nombre de Ana Pérez; poné " +
			h.Reservation.Code + " como referencia; en efectivo al llegar", page}, m.Params)
	e.settle(t)
	require.Len(t, e.to(guest), 3, "once")
}
