package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// TestBrowserDepositReturnedWithDeduction: the owner, on a phone and on a
// desktop, returns a damage deposit keeping part of it. Without a note the
// form says so beside the note; with it the page shows what went back and
// the ledger, and the guest's page shows the note.
func TestBrowserDepositReturnedWithDeduction(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	owner := s.Login(t, email, password)

	for _, size := range abuseSizes {
		t.Run(size.name, func(t *testing.T) {
			r := depositStayConfirmed(t, s, depositCabin(t, s, owner), 1, 3)
			_, err := s.Booking.RecordDeposit(context.Background(), booking.DepositReceipt{AccountID: s.Account.ID,
				ReservationID: r.ID, Method: booking.DepositCash, Actor: "test"})
			require.NoError(t, err)
			ctx := abuseBrowser(t, size)
			abuseLogin(t, ctx, s, email, password, "/admin/reservations/"+r.Code, `#deposit-return`)
			require.NoError(t, chromedp.Do(ctx, chromedp.ScrollIntoView(`#deposito`)))
			require.Contains(t, abuseText(t, ctx, `#deposit-received`), "Recibido: $ 50.000,00 (Efectivo)")
			abuseShot(t, ctx, size, "1-deposit-received")

			require.NoError(t, chromedp.Do(ctx, abuseClear(`#deposit-deducted`), chromedp.SendKeys(`#deposit-deducted`, "8.000")))
			submit(t, ctx, `#deposit-return button[type=submit]`, `!!document.getElementById('deposit-note-error')`)
			require.Equal(t, "Escribí qué se descontó y por qué: el huésped lo va a leer.", abuseText(t, ctx, `#deposit-note-error`))
			abuseBeside(t, ctx, `#deposit-note`, "deposit-note-error")
			require.Equal(t, "8.000", abuseValue(t, ctx, `#deposit-deducted`), "what was typed is kept")
			abuseShot(t, ctx, size, "2-note-required")
			partShot(t, ctx, `#deposito`, "2a-deposit-section")

			require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(`#deposit-note`, "se descontó una copa rota")))
			submit(t, ctx, `#deposit-return button[type=submit]`, `!!document.querySelector('.flash')`)
			require.Contains(t, abuseText(t, ctx, `.flash`), "devolvés $ 42.000,00 (descontado $ 8.000,00)")
			require.Contains(t, abuseText(t, ctx, `#deposit-settled`), "Devuelto $ 42.000,00 y descontado $ 8.000,00")
			require.Contains(t, abuseText(t, ctx, `#movimientos`), "Descontado del depósito")
			require.NoError(t, chromedp.Do(ctx, chromedp.ScrollIntoView(`#deposito`)))
			abuseShot(t, ctx, size, "3-returned")
			partShot(t, ctx, `#deposito`, "3a-deposit-section")
			partShot(t, ctx, `#movimientos`, "3b-ledger")

			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.URL+booking.GuestPath(r.Code, r.GuestToken)),
				chromedp.WaitVisible(`#deposito-nota`)))
			require.Equal(t, "Nota del anfitrión: se descontó una copa rota", abuseText(t, ctx, `#deposito-nota`))
			require.Contains(t, abuseText(t, ctx, `#deposito-estado`), "Te devolvimos $ 42.000,00 del depósito")
			require.Contains(t, abuseText(t, ctx, `#movimientos`), "Depósito en garantía devuelto")
			abuseShot(t, ctx, size, "4-guest-page")
		})
	}
}

// partShot saves a screenshot of one part of the page, beside the full
// ones, to look at a section of a long page at its real size.
func partShot(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(sel, chromedp.NodeVisible))
	require.NoError(t, err)
	dir := filepath.Join(os.TempDir(), "alojamientos-screenshots", strings.ReplaceAll(t.Name(), "/", "_"))
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o600))
}
