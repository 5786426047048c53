package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/receipts"
	"alojamientos/web/webtest"
)

// The transfer account of transferCabin, as the guest page shows it.
const (
	tCBU    = "0110599520000001234567"
	tAlias  = "CABANA.LAGO.SOL"
	tHolder = "Ana Pérez"
	tCUIT   = "27123456784"
	tBank   = "Banco Nación"
	// The seña of 3 nights of transferCabin (3 × US$ 120 + US$ 25, 30 %) at
	// $ 1.185,50: 115,50 × 1.185,50 = 136.925,25, half-up to the whole peso.
	tDepositUSD = "US$ 115,50"
	tDepositARS = "$ 136.925,00"
)

// transferCabin is a cabin priced in dollars that takes Mercado Pago and
// transfers (asked in pesos at the locked rate), with the day's rate set.
func transferCabin(t *testing.T, s *webtest.Server, edits ...string) dbq.Property {
	t.Helper()
	p := usdCabin(t, s)
	_, err := s.Pool.Exec(context.Background(), `UPDATE properties SET pay_transfer = true, transfer_cbu = $2,
		transfer_alias = $3, transfer_holder = $4, transfer_cuit = $5, transfer_bank = $6`+strings.Join(edits, "")+` WHERE id = $1`,
		p.ID, tCBU, tAlias, tHolder, tCUIT, tBank)
	require.NoError(t, err)
	setRate(t, s, 11_855_000) // $ 1.185,50
	return p
}

// transferHold books 3 nights of p from the booking form with method and
// returns the guest's session and page path.
func transferHold(t *testing.T, s *webtest.Server, p dbq.Property, method string) (*webtest.Session, string) {
	t.Helper()
	in := s.Today().AddDate(0, 0, 6)
	se := s.NewSession(t)
	r := se.PostForm("/p/"+p.Slug+"/hold", url.Values{"accept_terms": {"true"}, "check_in": {booking.FormatDate(in)},
		"check_out": {booking.FormatDate(in.AddDate(0, 0, 3))}, "guests": {"2"}, "guest_name": {"John Miller"},
		"guest_phone": {"+1 415 555 0134"}, "payment_method": {method}})
	require.Equal(t, http.StatusSeeOther, r.Status, "%s", r.Body)
	return se, r.Header.Get("Location")
}

// reservationOf reads the reservation a guest path names.
func reservationOf(t *testing.T, s *webtest.Server, path string) booking.Reservation {
	t.Helper()
	code := strings.TrimPrefix(strings.SplitN(path, "?", 2)[0], "/r/")
	r, err := s.Booking.Get(context.Background(), code)
	require.NoError(t, err)
	return r
}

// subPath is the guest page path with sub before its query: /r/CODE/sub?t=….
func subPath(path, sub string) string {
	parts := strings.SplitN(path, "?", 2)
	return parts[0] + "/" + sub + "?" + parts[1]
}

// upload posts one file as the receipt form does, with the session's CSRF token.
func upload(t *testing.T, se *webtest.Session, s *webtest.Server, path, name string, data []byte, token string) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	require.NoError(t, w.WriteField("_csrf", token))
	fw, err := w.CreateFormFile("receipt", name)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	req, err := http.NewRequest(http.MethodPost, s.URL+subPath(path, "comprobantes"), &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Accept", "text/html")
	return se.Do(req)
}

// pngOf is a real PNG of side n pixels (each n a different file).
func pngOf(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewRGBA(image.Rect(0, 0, n, n))))
	return b.Bytes()
}

// smallPDF is a minimal, valid PDF with no active content.
var smallPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >> endobj\n" +
	"trailer << /Root 1 0 R >>\n%%EOF\n")

// The guest chooses the transfer on the booking form and their page shows
// the account, the exact pesos at the locked rate, the code as reference,
// the deadline and the receipt form; no Mercado Pago link is made.
func TestGuestTransferInstructions(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p := transferCabin(t, s)
	in := s.Today().AddDate(0, 0, 6)
	page := s.NewSession(t).Get("/p/" + p.Slug + "?check_in=" + booking.FormatDate(in) + "&check_out=" +
		booking.FormatDate(in.AddDate(0, 0, 3)) + "&guests=2")
	require.Equal(t, http.StatusOK, page.Status)
	body := string(page.Body)
	require.Contains(t, body, "¿Cómo pagás la seña?")
	require.Regexp(t, `<input type="radio" name="payment_method" id="pm-mercadopago" value="mercadopago" checked>`, body)
	require.Contains(t, body, `value="transfer"`)
	require.Contains(t, body, "Transferencia bancaria")

	se, path := transferHold(t, s, p, booking.MethodTransfer)
	r := reservationOf(t, s, path)
	require.Equal(t, booking.MethodTransfer, r.PaymentMethod)
	require.Zero(t, s.Count(t, "SELECT count(*) FROM river_job WHERE kind = $1", booking.PaymentLinkJobKind))

	g := se.Get(path)
	require.Equal(t, http.StatusOK, g.Status)
	body = string(g.Body)
	for _, want := range []string{"Pagá la seña por transferencia", tCBU, tAlias, tHolder, tCUIT, tBank, r.Code,
		`id="transfer-amount">` + tDepositARS, "Es la seña de " + tDepositUSD + " al tipo de cambio fijado en tu reserva: 1 USD = $ 1.185,50.",
		"para transferir y subir el comprobante", "el anfitrión lo revisa y confirma tu reserva",
		`enctype="multipart/form-data"`, `action="` + strings.ReplaceAll(subPath(path, "comprobantes"), "&", "&amp;") + `"`,
		"Prefiero pagar con Mercado Pago"} {
		require.Contains(t, body, want)
	}
	require.NotContains(t, body, "El dueño se va a comunicar con vos")

	// Asked in dollars: the stay's currency, no pesos.
	s2 := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p2 := transferCabin(t, s2, ", transfer_in_pesos = false, pay_mercadopago = false")
	page = s2.NewSession(t).Get("/p/" + p2.Slug + "?check_in=" + booking.FormatDate(in) + "&check_out=" +
		booking.FormatDate(in.AddDate(0, 0, 3)) + "&guests=2")
	require.NotContains(t, string(page.Body), "¿Cómo pagás la seña?", "one method: no choice")
	require.Contains(t, string(page.Body), `<input type="hidden" name="payment_method" value="transfer">`)
	se2, path2 := transferHold(t, s2, p2, booking.MethodTransfer)
	body = string(se2.Get(path2).Body)
	require.Contains(t, body, `id="transfer-amount">`+tDepositUSD)
	require.NotContains(t, body, "tipo de cambio fijado")
	require.NotContains(t, body, "Prefiero pagar", "nothing to switch to")
}

// A method the property does not offer is refused beside the form.
func TestGuestHoldMethodNotOffered(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p := usdCabin(t, s) // Mercado Pago only
	setRate(t, s, 11_855_000)
	in := s.Today().AddDate(0, 0, 6)
	r := s.NewSession(t).PostForm("/p/"+p.Slug+"/hold", url.Values{"accept_terms": {"true"}, "check_in": {booking.FormatDate(in)},
		"check_out": {booking.FormatDate(in.AddDate(0, 0, 3))}, "guests": {"2"}, "guest_name": {"John Miller"},
		"guest_phone": {"+1 415 555 0134"}, "payment_method": {"transfer"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Ese medio de pago no está disponible en este alojamiento.")
	require.Zero(t, s.Count(t, "SELECT count(*) FROM reservations"))
}

// While the hold lasts the guest switches method: to Mercado Pago (the link
// is asked for) and back; a method not offered, a wrong token or a hold that
// is over change nothing.
func TestGuestSwitchPaymentMethod(t *testing.T) {
	t.Parallel()
	fake := mptest.Start(t)
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true, MercadoPagoURL: fake.URL,
		MercadoPagoToken: mptest.Token, MercadoPagoSecret: mptest.Secret})
	p := transferCabin(t, s)
	se, path := transferHold(t, s, p, booking.MethodTransfer)
	links := func() int {
		return s.Count(t, "SELECT count(*) FROM river_job WHERE kind = $1", booking.PaymentLinkJobKind)
	}
	require.Zero(t, links())

	r := se.PostForm(subPath(path, "medio-de-pago"), url.Values{"method": {"mercadopago"}})
	require.Equal(t, http.StatusSeeOther, r.Status, "%s", r.Body)
	require.Equal(t, booking.MethodMercadoPago, reservationOf(t, s, path).PaymentMethod)
	require.Equal(t, 1, links(), "the link is asked for")
	body := string(se.Get(path).Body)
	require.NotContains(t, body, tCBU)
	require.Contains(t, body, "Prefiero pagar por transferencia")

	r = se.PostForm(subPath(path, "medio-de-pago"), url.Values{"method": {"transfer"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Contains(t, string(se.Get(path).Body), tCBU)
	require.Equal(t, 2, s.Count(t, "SELECT count(*) FROM audit_log WHERE action = 'payment_method_changed'"))

	r = se.PostForm(subPath(path, "medio-de-pago"), url.Values{"method": {"cash"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Ese medio de pago no está disponible en este alojamiento.")

	wrong := strings.SplitN(path, "?", 2)[0] + "/medio-de-pago?t=" + strings.Repeat("a", 32)
	require.Equal(t, http.StatusNotFound, se.PostForm(wrong, url.Values{"method": {"mercadopago"}}).Status)
	require.Equal(t, http.StatusForbidden, se.PostFormNoCSRF(subPath(path, "medio-de-pago"),
		url.Values{"method": {"mercadopago"}}).Status)

	// The hold is over: the page as it is, the method unchanged.
	_, err := s.Pool.Exec(context.Background(), "UPDATE reservations SET hold_expires_at = now() - interval '1 minute'")
	require.NoError(t, err)
	r = se.PostForm(subPath(path, "medio-de-pago"), url.Values{"method": {"mercadopago"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Equal(t, booking.MethodTransfer, reservationOf(t, s, path).PaymentMethod)
	require.Equal(t, 1, links())
}

var receiptLinkRe = regexp.MustCompile(`/admin/reservations/[A-Z0-9]+/comprobantes/(\d+)`)

// The guest uploads a receipt: it is stored cleaned and listed "En
// revisión"; every refusal says why in Spanish, beside the field, and
// stores nothing; the file is never served back to the guest.
func TestGuestReceiptUpload(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p := transferCabin(t, s)
	se, path := transferHold(t, s, p, booking.MethodTransfer)
	count := func() int { return s.Count(t, "SELECT count(*) FROM receipts") }

	r := upload(t, se, s, path, "comprobante.png", pngOf(t, 4), se.CSRF())
	require.Equal(t, http.StatusSeeOther, r.Status, "%s", r.Body)
	require.Equal(t, 1, count())
	page := string(se.Get(r.Header.Get("Location")).Body)
	require.Contains(t, page, "Comprobante recibido: el anfitrión lo va a revisar.")
	require.Contains(t, page, "En revisión")
	require.NotRegexp(t, receiptLinkRe, page, "the guest page never links the file")
	require.NotContains(t, page, "/comprobantes/1")
	require.NotContains(t, string(se.Get(path).Body), "Comprobante recibido", "the notice is shown once")

	for name, c := range map[string]struct {
		file, data []byte
		fname      string
		status     int
		want       string
	}{
		"an .exe renamed .pdf": {data: append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 512)...),
			fname: "comprobante.pdf", status: http.StatusUnprocessableEntity, want: receipts.Message(receipts.ErrType)},
		"HTML as a .png": {data: []byte("<html><script>alert(1)</script></html>"), fname: "c.png",
			status: http.StatusUnprocessableEntity, want: receipts.Message(receipts.ErrType)},
		"an empty file": {data: []byte{}, fname: "c.pdf", status: http.StatusUnprocessableEntity,
			want: receipts.Message(receipts.ErrEmpty)},
		"11 MB": {data: bytes.Repeat([]byte("a"), 11<<20), fname: "c.pdf", status: http.StatusRequestEntityTooLarge,
			want: "El comprobante supera los 10 MB."},
	} {
		t.Run(name, func(t *testing.T) {
			r := upload(t, se, s, path, c.fname, c.data, se.CSRF())
			require.Equal(t, c.status, r.Status)
			require.Contains(t, string(r.Body), c.want)
			require.Contains(t, string(r.Body), `aria-describedby="receipt-error"`, "beside the field")
			require.NotContains(t, string(r.Body), "<script>alert(1)")
		})
	}
	require.Equal(t, 1, count(), "nothing refused was stored")

	// No file at all.
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	require.NoError(t, w.WriteField("_csrf", se.CSRF()))
	require.NoError(t, w.Close())
	req, _ := http.NewRequest(http.MethodPost, s.URL+subPath(path, "comprobantes"), &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	r = se.Do(req)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Elegí el archivo del comprobante.")

	// A wrong token, a bad CSRF token: 404 and 403, nothing stored.
	wrong := strings.SplitN(path, "?", 2)[0] + "?t=" + strings.Repeat("b", 32)
	require.Equal(t, http.StatusNotFound, upload(t, se, s, wrong, "c.pdf", smallPDF, se.CSRF()).Status)
	require.Equal(t, http.StatusForbidden, upload(t, se, s, path, "c.pdf", smallPDF, strings.Repeat("x", 32)).Status)
	require.Equal(t, http.StatusForbidden, upload(t, s.NewSession(t), s, path, "c.pdf", smallPDF, "").Status)
	require.Equal(t, 1, count())

	// The same file again is the same receipt; four more make five; the sixth is refused.
	require.Equal(t, http.StatusSeeOther, upload(t, se, s, path, "otra.png", pngOf(t, 4), se.CSRF()).Status)
	require.Equal(t, 1, count())
	require.Equal(t, http.StatusSeeOther, upload(t, se, s, path, "c.pdf", smallPDF, se.CSRF()).Status)
	for n := 5; count() < receipts.MaxPerReservation; n++ {
		require.Equal(t, http.StatusSeeOther, upload(t, se, s, path, "c.png", pngOf(t, n), se.CSRF()).Status)
	}
	require.NotContains(t, string(se.Get(path).Body), `id="subir-comprobante"`, "no form once full")
	r = upload(t, se, s, path, "c.png", pngOf(t, 40), se.CSRF())
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), receipts.Message(receipts.ErrTooMany))
	require.Equal(t, receipts.MaxPerReservation, count())
}

// A body streamed (no Content-Length) past the limit is cut and refused
// with 413 in Spanish, not taken for a missing CSRF token.
func TestGuestReceiptStreamedTooBig(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p := transferCabin(t, s)
	se, path := transferHold(t, s, p, booking.MethodTransfer)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	require.NoError(t, w.WriteField("_csrf", se.CSRF()))
	fw, err := w.CreateFormFile("receipt", "c.pdf")
	require.NoError(t, err)
	_, _ = fw.Write(bytes.Repeat([]byte("a"), 11<<20))
	require.NoError(t, w.Close())
	req, err := http.NewRequest(http.MethodPost, s.URL+subPath(path, "comprobantes"), struct{ *bytes.Buffer }{&body})
	require.NoError(t, err)
	req.ContentLength = -1
	req.Header.Set("Content-Type", w.FormDataContentType())
	r := se.Do(req)
	require.Equal(t, http.StatusRequestEntityTooLarge, r.Status)
	require.Contains(t, string(r.Body), "El comprobante supera los 10 MB.")
	require.Zero(t, s.Count(t, "SELECT count(*) FROM receipts"))
}

// Uploads have their own, tighter count per client network.
func TestGuestReceiptRateLimited(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true, RateLimit: 1000})
	p := transferCabin(t, s)
	se, path := transferHold(t, s, p, booking.MethodTransfer)
	var last webtest.Response
	for range 11 {
		last = upload(t, se, s, path, "c.exe", []byte("MZ"), se.CSRF())
	}
	require.Equal(t, http.StatusTooManyRequests, last.Status)
	require.NotEmpty(t, last.Header.Get("Retry-After"))
	require.Contains(t, string(last.Body), "Demasiados pedidos seguidos")
	require.Equal(t, http.StatusOK, se.Get(path).Status, "the page itself is still served")
}

// receiptID is the id of the reservation's n-th receipt.
func receiptID(t *testing.T, s *webtest.Server, reservationID int64, n int) int64 {
	t.Helper()
	var id int64
	require.NoError(t, s.Pool.QueryRow(context.Background(),
		"SELECT id FROM receipts WHERE reservation_id = $1 ORDER BY id OFFSET $2 LIMIT 1", reservationID, n-1).Scan(&id))
	return id
}

// The owner sees the receipt on the home page and the reservation, views it
// (served as its sniffed type, inline, with nosniff and the CSP; sandboxed
// for a PDF), and confirms the amount: the payment is recorded and the
// reservation confirmed, which the guest page then says.
func TestOwnerReviewsReceipt(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p := transferCabin(t, s)
	se, path := transferHold(t, s, p, booking.MethodTransfer)
	require.Equal(t, http.StatusSeeOther, upload(t, se, s, path, "c.png", pngOf(t, 4), se.CSRF()).Status)
	require.Equal(t, http.StatusSeeOther, upload(t, se, s, path, "c.pdf", smallPDF, se.CSRF()).Status)
	res := reservationOf(t, s, path)
	png1, pdf2 := receiptID(t, s, res.ID, 1), receiptID(t, s, res.ID, 2)
	email, password := s.User(t, "owner")
	owner := s.Login(t, email, password)

	home := string(owner.Get("/admin/").Body)
	require.Contains(t, home, "Comprobante para revisar")
	require.Contains(t, home, "John Miller")
	require.Contains(t, home, "/admin/reservations/"+res.Code+"#comprobantes")

	base := "/admin/reservations/" + res.Code
	detail := string(owner.Get(base).Body)
	require.Contains(t, detail, "Comprobantes de transferencia")
	require.Contains(t, detail, fmt.Sprintf(`<img src="%s/comprobantes/%d"`, base, png1))
	require.Contains(t, detail, fmt.Sprintf(`href="%s/comprobantes/%d" target="_blank"`, base, pdf2))
	require.Contains(t, detail, `value="115,50"`, "the confirm form expects the seña")
	require.Contains(t, detail, `Al huésped se le pide transferir <strong class="nowrap">`+tDepositARS+
		`</strong> por la seña (<span class="nowrap">`+tDepositUSD+`</span>, al tipo de cambio fijado en la reserva).`)
	require.Contains(t, detail, "Monto recibido en US$ (la seña)")

	f := owner.Get(fmt.Sprintf("%s/comprobantes/%d", base, png1))
	require.Equal(t, http.StatusOK, f.Status)
	require.Equal(t, "image/png", f.Header.Get("Content-Type"))
	require.Equal(t, fmt.Sprintf(`inline; filename="comprobante-%s-1.png"`, res.Code), f.Header.Get("Content-Disposition"))
	require.Equal(t, "nosniff", f.Header.Get("X-Content-Type-Options"))
	require.Contains(t, f.Header.Get("Content-Security-Policy"), "default-src 'self'")
	require.NotContains(t, f.Header.Get("Content-Security-Policy"), "sandbox")
	require.True(t, bytes.HasPrefix(f.Body, []byte("\x89PNG")))
	f = owner.Get(fmt.Sprintf("%s/comprobantes/%d", base, pdf2))
	require.Equal(t, "application/pdf", f.Header.Get("Content-Type"))
	require.Equal(t, fmt.Sprintf(`inline; filename="comprobante-%s-2.pdf"`, res.Code), f.Header.Get("Content-Disposition"))
	require.True(t, strings.HasSuffix(f.Header.Get("Content-Security-Policy"), "; sandbox"))

	// A bad amount, a rejection without a reason: refused beside the field.
	r := owner.PostForm(fmt.Sprintf("%s/comprobantes/%d/confirmar", base, png1), url.Values{"amount": {"mucho"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Monto inválido: escribilo como 12.345,67.")
	require.Contains(t, string(r.Body), `value="mucho"`)
	r = owner.PostForm(fmt.Sprintf("%s/comprobantes/%d/rechazar", base, pdf2), url.Values{"reason": {"  "}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), receipts.Message(receipts.ErrReasonRequired))

	// The PDF was not the transfer: rejected with a reason the guest reads.
	r = owner.PostForm(fmt.Sprintf("%s/comprobantes/%d/rechazar", base, pdf2), url.Values{"reason": {"Es de otra reserva"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Contains(t, string(owner.Get(base).Body), "Comprobante rechazado. Le avisamos al huésped el motivo.")
	guestPage := string(se.Get(path).Body)
	require.Contains(t, guestPage, "Rechazado")
	require.Contains(t, guestPage, "Motivo: Es de otra reserva")

	r = owner.PostForm(fmt.Sprintf("%s/comprobantes/%d/confirmar", base, png1), url.Values{"amount": {"115,50"}})
	require.Equal(t, http.StatusSeeOther, r.Status, "%s", r.Body)
	detail = string(owner.Get(base).Body)
	require.Contains(t, detail, "Pago por transferencia registrado. La seña quedó cubierta y la reserva está confirmada.")
	require.Equal(t, booking.StatusConfirmed, reservationOf(t, s, path).Status)
	require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM payments WHERE reservation_id = $1 AND method = 'transfer' AND amount = 115.50", res.ID))
	require.NotContains(t, string(owner.Get("/admin/").Body), "Comprobante para revisar", "nothing left to review")

	// Reviewing it again: said, not done twice.
	r = owner.PostForm(fmt.Sprintf("%s/comprobantes/%d/confirmar", base, png1), url.Values{"amount": {"115,50"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Contains(t, string(owner.Get(base).Body), receipts.Message(receipts.ErrReviewed))
	require.Equal(t, 1, s.Count(t, "SELECT count(*) FROM payments WHERE reservation_id = $1", res.ID))

	guestPage = string(se.Get(path).Body)
	require.Contains(t, guestPage, "Reserva confirmada")
	require.Contains(t, guestPage, "Confirmado")
}

// Staff review receipts as they record any payment; another account's
// receipt, or one of another reservation, is not found.
func TestReceiptReviewAccess(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{NoPropertyCache: true})
	p := transferCabin(t, s)
	se, path := transferHold(t, s, p, booking.MethodTransfer)
	require.Equal(t, http.StatusSeeOther, upload(t, se, s, path, "c.png", pngOf(t, 4), se.CSRF()).Status)
	res := reservationOf(t, s, path)
	id := receiptID(t, s, res.ID, 1)
	other := s.Hold(t, p.ID, s.Today().AddDate(0, 0, 20), s.Today().AddDate(0, 0, 22))

	_, emailB, pwB := s.OtherAccount(t)
	ownerB := s.Login(t, emailB, pwB)
	file := fmt.Sprintf("/admin/reservations/%s/comprobantes/%d", res.Code, id)
	require.Equal(t, http.StatusNotFound, ownerB.Get(file).Status)
	require.Equal(t, http.StatusNotFound, ownerB.PostForm(file+"/confirmar", url.Values{"amount": {"115,50"}}).Status)
	require.Equal(t, http.StatusNotFound, ownerB.PostForm(file+"/rechazar", url.Values{"reason": {"no"}}).Status)

	email, password := s.User(t, "owner")
	owner := s.Login(t, email, password)
	elsewhere := fmt.Sprintf("/admin/reservations/%s/comprobantes/%d", other.Code, id)
	require.Equal(t, http.StatusNotFound, owner.Get(elsewhere).Status, "a receipt under another reservation's code")
	require.Equal(t, http.StatusNotFound, owner.Get(file+"0").Status)
	require.Equal(t, http.StatusNotFound, owner.Get(fmt.Sprintf("/admin/reservations/%s/comprobantes/x", res.Code)).Status)
	require.Equal(t, http.StatusForbidden, owner.PostFormNoCSRF(file+"/confirmar", url.Values{"amount": {"115,50"}}).Status)

	staffEmail, staffPW := s.User(t, "staff")
	staff := s.Login(t, staffEmail, staffPW)
	require.Equal(t, http.StatusOK, staff.Get(file).Status)
	r := staff.PostForm(file+"/confirmar", url.Values{"amount": {"115,50"}})
	require.Equal(t, http.StatusSeeOther, r.Status, "%s", r.Body)
	require.Equal(t, booking.StatusConfirmed, reservationOf(t, s, path).Status)
}
