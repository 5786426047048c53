package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// The guest cancels in chromium, at a phone's size and at a desktop's: they
// open their page, read the terms, open the cancellation, see the refund
// the terms give (half of the seña, three days before arrival), confirm;
// the server's workers make the partial refund at the fake Mercado Pago,
// the guest page says it was returned, and the owner's home page shows it.
func TestBrowserGuestCancelWalkthrough(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	email, password := s.User(t, "owner")
	for i, size := range abuseSizes {
		p := s.Property(t)
		ci := s.Today().AddDate(0, 0, 3)
		r := s.Hold(t, p.ID, ci, ci.AddDate(0, 0, 3)) // 30.000, seña 9.000
		pid := gcPay(t, s, fake, r.Code, money.FromUnits(9000))

		g := abuseBrowser(t, size)
		require.NoError(t, chromedp.Do(g,
			chromedp.Navigate(s.URL+gcPath(r)),
			chromedp.WaitVisible(`#cancelar`),
			chromedp.ScrollIntoView(`#cancelar`),
		))
		require.Contains(t, abuseText(t, g, `#estado`), "Reserva confirmada")
		require.Contains(t, abuseText(t, g, `#condiciones`), "Política: Moderada")
		require.Contains(t, abuseText(t, g, `#condiciones`), "hasta 1 día antes de la llegada, el 50 %")
		abuseShot(t, g, size, "1-guest-reads-terms-"+size.name)

		require.NoError(t, chromedp.Do(g, chromedp.Click(`#cancelar-link`), chromedp.WaitVisible(`#liquidacion`)))
		require.Equal(t, "$ 9.000,00", abuseText(t, g, `#pagado`))
		require.Equal(t, "$ 4.500,00", abuseText(t, g, `#devolucion`))
		require.Equal(t, "$ 4.500,00", abuseText(t, g, `#retenido`))
		require.Contains(t, abuseText(t, g, `#regla`), "cancelación a 3 días de la llegada: se devuelve el 50 %")
		require.Contains(t, abuseText(t, g, `#como-vuelve`), "Mercado Pago, a la tarjeta o cuenta con que pagaste")
		abuseShot(t, g, size, "2-guest-sees-refund-"+size.name)

		require.NoError(t, chromedp.Do(g,
			chromedp.Click(`#confirmar-cancelacion button`),
			chromedp.WaitVisible(`#cancelacion`),
		))
		require.Contains(t, abuseText(t, g, `#estado`), "Reserva cancelada")
		require.Equal(t, "$ 4.500,00", abuseText(t, g, `#devolucion-total`))
		abuseShot(t, g, size, "3-guest-cancelled-"+size.name)

		// The refund job runs in the server's workers.
		dbtest.Eventually(t, "the refund done", func() bool {
			return s.Count(t, `SELECT count(*) FROM refunds WHERE reservation_id = $1 AND status = 'done'`, r.ID) == 1
		})
		made := fake.RefundsMade()
		require.Len(t, made, i+1)
		require.Equal(t, pid, made[i].PaymentID)
		require.Equal(t, money.FromUnits(4500), made[i].Amount)
		require.True(t, made[i].Partial)
		require.Equal(t, money.FromUnits(4500), rvStored(t, s, r.Code).Paid)

		require.NoError(t, chromedp.Do(g, chromedp.Reload(), chromedp.WaitVisible(`#devoluciones`),
			chromedp.ScrollIntoView(`#devoluciones`)))
		require.Contains(t, abuseText(t, g, `#devoluciones`), "devuelto")
		abuseShot(t, g, size, "4-guest-refund-returned-"+size.name)

		o := abuseBrowser(t, size)
		abuseLogin(t, o, s, email, password, "/admin/", `#refunds`)
		require.NoError(t, chromedp.Do(o, webtest.HTMXIdle(), chromedp.WaitVisible(`.home-refunds`),
			chromedp.ScrollIntoView(`.home-refunds`)))
		card := abuseText(t, o, `#devoluciones-hechas`)
		require.Contains(t, card, "$ 4.500,00")
		require.Contains(t, card, r.Code)
		require.Contains(t, card, r.GuestName)
		require.Contains(t, card, "Mercado Pago: devuelto")
		abuseShot(t, o, size, "5-owner-home-refund-"+size.name)
	}
}
