package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/internal/whatsapp"
)

// The guest hears on WhatsApp what came back of the deposit and why part
// was kept: inside the 24-hour window as text, outside it with the
// deposito_devuelto template carrying the same words.
func TestWhatsAppDepositReturnedNotice(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	s := e.s
	ctx := context.Background()
	p := s.Property(t)
	_, err := s.Pool.Exec(ctx, `UPDATE properties SET damage_deposit = 50000 WHERE id = $1`, p.ID)
	require.NoError(t, err)
	text := "Te devolvimos $ 42.000,00 del depósito en garantía. Se descontaron $ 8.000,00: se descontó una copa rota"

	for _, c := range []struct {
		phone  string
		writes bool
	}{{"5491155553301", true}, {"5491155553302", false}} {
		if c.writes {
			e.say(t, c.phone, "Marta", "hola, ¿cómo devuelven el depósito?")
		}
		ci := s.Today().AddDate(0, 0, 30)
		if !c.writes {
			ci = ci.AddDate(0, 0, 5)
		}
		h, err := s.Booking.PlaceHold(ctx, booking.HoldRequest{PropertyID: p.ID, CheckIn: booking.FormatDate(ci),
			CheckOut: booking.FormatDate(ci.AddDate(0, 0, 2)), Guests: 2, GuestName: "Marta Gil", GuestPhone: "+" + c.phone,
			Channel: "web", Actor: "api"})
		require.NoError(t, err)
		r := h.Reservation
		require.Equal(t, money.FromUnits(50000), r.DamageDeposit)
		_, err = s.Booking.Transition(ctx, r.ID, booking.ActionConfirm, "test", "")
		require.NoError(t, err)
		_, err = s.Booking.RecordDeposit(ctx, booking.DepositReceipt{AccountID: s.Account.ID, ReservationID: r.ID,
			Method: booking.DepositCash, Actor: "test"})
		require.NoError(t, err)
		_, err = s.Booking.ReturnDeposit(ctx, booking.DepositReturn{AccountID: s.Account.ID, ReservationID: r.ID,
			Deducted: money.FromUnits(8000), Note: "se descontó una copa rota", Actor: "test"})
		require.NoError(t, err)
		waitStatus(t, e, fmt.Sprintf("deposit_returned:%d:guest", r.ID), "sent")

		var got *string
		for _, m := range e.to(c.phone) {
			switch {
			case c.writes && m.Type == "text" && strings.Contains(m.Text, text):
				got = &m.Text
			case !c.writes && m.Template == whatsapp.DefaultTemplates[whatsapp.EventDepositReturned]:
				require.Equal(t, []string{"Marta", r.Code, text}, m.Params)
				got = &m.Template
			}
		}
		require.NotNil(t, got, "the deposit notice reached %s", c.phone)
	}
}
