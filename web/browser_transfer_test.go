package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// The walk-through of issue 12, in chromium at a phone's size: a guest books
// the dollar cabin, picks the bank transfer, sees the account and the exact
// pesos at the rate the hold locked, uploads a real PNG receipt and sees it
// "En revisión"; the owner finds "Comprobante para revisar" on the home
// page, opens the reservation, views the receipt and confirms the amount;
// the guest's page then says the reservation is confirmed. A screenshot at
// every step (and one of the owner's page at a desktop's size).
func TestBrowserTransferReceiptWalkthrough(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p := transferCabin(t, s)
	in := s.Today().AddDate(0, 0, 6)
	q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 3))}, "guests": {"2"}}
	phone := abuseSize{"phone", phoneW, phoneH}
	receipt := filepath.Join(t.TempDir(), "comprobante.png")
	require.NoError(t, os.WriteFile(receipt, receiptPNG(t), 0o600))

	g := abuseBrowser(t, phone)
	require.NoError(t, chromedp.Do(g,
		chromedp.Navigate(s.URL+"/p/"+p.Slug+"?"+q.Encode()),
		chromedp.WaitVisible(`#medio-de-pago`),
		chromedp.ScrollIntoView(`#medio-de-pago`),
	))
	require.Contains(t, abuseText(t, g, `#medio-de-pago`), "Transferencia bancaria")
	require.NoError(t, chromedp.Do(g,
		chromedp.Click(`#pm-transfer`),
		chromedp.SendKeys(`#guest_name`, "John Miller"),
		chromedp.SendKeys(`#guest_phone`, "+1 415 555 0134"),
		chromedp.Click(`#accept_terms`),
		chromedp.ScrollIntoView(`#reservar`),
	))
	abuseShot(t, g, phone, "1-guest-picks-transfer")
	require.NoError(t, chromedp.Do(g, chromedp.Click(`#reservar`), chromedp.WaitVisible(`#transfer-amount`)))
	require.Equal(t, tDepositARS, abuseText(t, g, `#transfer-amount`))
	require.Equal(t, tCBU, abuseText(t, g, `#transfer-cbu`))
	require.Equal(t, tAlias, abuseText(t, g, `#transfer-alias`))
	require.Equal(t, tHolder, abuseText(t, g, `#transfer-holder`))
	require.Equal(t, tCUIT, abuseText(t, g, `#transfer-cuit`))
	require.Equal(t, tBank, abuseText(t, g, `#transfer-bank`))
	code := abuseText(t, g, `#transfer-reference`)
	require.True(t, strings.HasPrefix(code, "RES"), code)
	require.Contains(t, abuseText(t, g, `#transfer-amount-note`), tDepositUSD)
	require.Contains(t, abuseText(t, g, `#pago-transferencia`), "Pagá la seña por transferencia")
	abuseShot(t, g, phone, "2-guest-transfer-details")

	require.NoError(t, chromedp.Do(g,
		chromedp.ScrollIntoView(`#receipt`),
		chromedp.SetUploadFiles(`#receipt`, []string{receipt}),
		chromedp.Click(`#enviar-comprobante`),
		chromedp.WaitVisible(`#comprobante-recibido`),
	))
	require.Contains(t, abuseText(t, g, `#comprobante-recibido`), "Comprobante recibido: el anfitrión lo va a revisar.")
	require.Contains(t, abuseText(t, g, `#comprobantes`), "En revisión")
	abuseShot(t, g, phone, "3-guest-receipt-in-review")

	o := abuseBrowser(t, phone)
	email, password := s.User(t, "owner")
	abuseLogin(t, o, s, email, password, "/admin/", `#receipts`)
	// The home page may still be settling after the login's redirect: read it once htmx is idle.
	require.NoError(t, chromedp.Do(o, webtest.HTMXIdle(), chromedp.WaitVisible(`.home-receipts`)))
	require.Contains(t, abuseText(t, o, `.home-receipts`), "John Miller")
	abuseShot(t, o, phone, "4-owner-home-receipt-to-review")
	require.NoError(t, chromedp.Do(o,
		chromedp.Click(`.home-receipts a`),
		chromedp.WaitVisible(`#comprobantes`),
		chromedp.ScrollIntoView(`#comprobantes`),
		chromedp.Poll[chromedp.Void](`(() => { const i = document.querySelector('.receipt-preview img'); return !!i && i.complete && i.naturalWidth === 240 })()`),
	))
	require.Equal(t, "115,50", abuseValue(t, o, `#receipt-amount-1`))
	abuseShot(t, o, phone, "5-owner-reservation-receipt")

	// The same page at a desktop's size, the receipt waiting for review.
	desk := abuseSize{"desktop", 1280, 900}
	d := abuseBrowser(t, desk)
	abuseLogin(t, d, s, email, password, "/admin/reservations/"+code, `#comprobantes`)
	abuseShot(t, d, desk, "5b-owner-reservation-desktop")

	href, err := chromedp.Run(o, chromedp.AttributeValue(`.receipt-open`, "href"))
	require.NoError(t, err)
	fileURL := href.Value
	require.NoError(t, chromedp.Do(o, chromedp.Navigate(s.URL+fileURL), chromedp.WaitVisible(`img`)))
	abuseShot(t, o, phone, "6-owner-views-receipt")
	require.NoError(t, chromedp.Do(o,
		chromedp.Navigate(s.URL+"/admin/reservations/"+code),
		chromedp.WaitVisible(`#receipt-amount-1`),
		chromedp.ScrollIntoView(`#receipt-amount-1`),
		chromedp.Click(`.receipt-confirm button`),
		chromedp.WaitVisible(`.flash`),
	))
	require.Contains(t, abuseText(t, o, `.flash`), "Pago por transferencia registrado")
	require.Contains(t, abuseText(t, o, `.res-head`), "Confirmada")
	abuseShot(t, o, phone, "7-owner-confirmed")

	require.NoError(t, chromedp.Do(g, chromedp.Reload(), chromedp.WaitVisible(`#estado`)))
	require.Contains(t, abuseText(t, g, `#estado`), "Reserva confirmada")
	require.Contains(t, abuseText(t, g, `#comprobantes`), "Confirmado")
	abuseShot(t, g, phone, "8-guest-confirmed")
}

// receiptPNG looks like a bank's transfer receipt: a white slip of 240 × 320
// with a coloured header and lines of "text".
func receiptPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 240, 320))
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		draw.Draw(img, image.Rect(x0, y0, x1, y1), &image.Uniform{c}, image.Point{}, draw.Src)
	}
	fill(0, 0, 240, 320, color.RGBA{255, 255, 255, 255})
	fill(0, 0, 240, 48, color.RGBA{11, 110, 79, 255})
	for i, w := range []int{180, 120, 200, 150, 90, 170, 130} {
		fill(20, 70+i*30, 20+w, 80+i*30, color.RGBA{190, 196, 200, 255})
	}
	fill(20, 290, 140, 304, color.RGBA{29, 36, 40, 255})
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}
