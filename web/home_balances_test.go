package web_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// The home page lists the balances due within a week and the overdue ones
// ("vencido", in red), soonest first; paid, cancelled and later ones are not
// there. The balance job's overdue alert shows among the conflicts.
func TestHomeListsBalancesDue(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ctx := context.Background()
	hrAt(s, 2027, time.March, 1, 12, 0)
	p := s.Property(t)
	_, err := s.Pool.Exec(ctx, `UPDATE properties SET balance_due_days = 5 WHERE id = $1`, p.ID)
	require.NoError(t, err)
	stay := func(in, out int, guest string, actions ...booking.Action) booking.Reservation {
		return hrStay(t, s, p.ID, hrDate(2027, time.March, in), hrDate(2027, time.March, out), guest, "direct", actions...)
	}
	confirm := booking.ActionConfirm
	stay(5, 7, "Bruno Vencido", confirm) // due 01/03 (booked that day)
	stay(9, 10, "Flor Hoy", confirm)     // due 04/03
	stay(10, 12, "Ana Pronto", confirm)  // due 05/03
	stay(20, 22, "Carla Lejos", confirm) // due 15/03: later than a week
	paid := stay(13, 15, "Diego Pagado", confirm)
	_, err = s.Booking.AddManualPayment(ctx, booking.ManualPayment{ReservationID: paid.ID, AccountID: s.Account.ID,
		Amount: paid.Total, Method: "cash", Actor: "test"})
	require.NoError(t, err)
	stay(16, 18, "Eva Cancelada", confirm, booking.ActionCancel)
	stay(24, 26, "Gastón Pendiente") // a hold owes a seña, not a balance

	hrAt(s, 2027, time.March, 4, 9, 0)
	res, err := s.Booking.SweepBalances(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, res.Overdue)

	email, password := s.User(t, "owner")
	se := s.Login(t, email, password)
	r := se.Get("/admin/")
	require.Equal(t, http.StatusOK, r.Status)
	body := html.UnescapeString(string(r.Body))
	i := strings.Index(body, "Saldos a cobrar")
	require.Positive(t, i)
	section := body[i:]
	section = section[:strings.Index(section, "</section>")]
	var order []int
	for _, g := range []string{"Bruno Vencido", "Flor Hoy", "Ana Pronto"} {
		order = append(order, strings.Index(section, g))
		require.Positive(t, order[len(order)-1], g)
	}
	require.IsIncreasing(t, order, "soonest due first")
	for _, g := range []string{"Carla Lejos", "Diego Pagado", "Eva Cancelada", "Gastón Pendiente"} {
		require.NotContains(t, section, g)
	}
	require.Contains(t, section, `<li class="home-overdue"><span class="home-due">vencido el 01/03/2027</span>`)
	require.Contains(t, section, `<span class="home-due">vence hoy</span>`)
	require.Contains(t, section, `<span class="home-due">vence el 05/03/2027</span>`)
	require.Contains(t, section, "saldo <strong>$ 20.000,00</strong>")
	require.Contains(t, section, "(acepta efectivo al llegar)")

	require.Contains(t, body, "Saldo vencido sin cobrar")
	require.Equal(t, 1, strings.Count(body, "Saldo vencido sin cobrar"))
}
