package web_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/receipts"
	"alojamientos/internal/whatsapp"
	"alojamientos/internal/whatsapp/watest"
	"alojamientos/web/webtest"
)

// The phone every webtest hold is placed with, as WhatsApp writes it.
const receiptGuest = "5491155551234"

const receiptSecret = "GPS -34.6037,-58.3816 Galaxy de Juan"

func receiptJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 20, 10))
	img.Set(3, 3, color.RGBA{G: 200, A: 255})
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, nil))
	b := buf.Bytes()
	payload := append([]byte("Exif\x00\x00"), receiptSecret...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(append(append([]byte{}, b[:2]...), append(seg, payload...)...), b[2:]...)
}

// sendMedia posts a guest's photo (or, with a filename, a document) as Meta would.
func (e waEnv) sendMedia(t *testing.T, from, mediaID, mime, filename string) []byte {
	t.Helper()
	var body []byte
	if filename == "" {
		body = watest.ImageMessage(webtest.WhatsAppNumberID, from, "Huésped", waID(), mediaID, mime, "", e.s.Clock.Now())
	} else {
		body = watest.DocumentMessage(webtest.WhatsAppNumberID, from, "Huésped", waID(), mediaID, mime, filename, "", e.s.Clock.Now())
	}
	require.Equal(t, http.StatusOK, e.post(t, body, whatsapp.Sign(webtest.WhatsAppSecret, body)))
	return body
}

// waitText waits until a message to number says text, and returns how many did.
func (e waEnv) waitText(t *testing.T, number, text string) int {
	t.Helper()
	count := func() int {
		n := 0
		for _, r := range e.to(number) {
			// Free text inside the window, the template's parameters outside it.
			if strings.Contains(r.Text+" "+strings.Join(r.Params, " "), text) {
				n++
			}
		}
		return n
	}
	dbtest.Eventually(t, "a message to "+number+" saying "+text, func() bool { return count() > 0 })
	return count()
}

func TestWhatsAppReceiptPhotoIsAddedToTheHold(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	p := e.s.Property(t)
	r := e.s.Hold(t, p.ID, e.s.Today().AddDate(0, 0, 10), e.s.Today().AddDate(0, 0, 12))
	e.graph.AddMedia(watest.Media{ID: "7001", MimeType: "image/jpeg", Data: receiptJPEG(t)})

	body := e.sendMedia(t, receiptGuest, "7001", "image/jpeg", "")
	e.waitText(t, receiptGuest, "Recibimos tu comprobante, el anfitrión lo va a revisar.")
	var source, ref, ct string
	var data []byte
	require.NoError(t, e.s.Pool.QueryRow(context.Background(), `SELECT source, source_ref, content_type, data
		FROM receipts WHERE reservation_id = $1`, r.ID).Scan(&source, &ref, &ct, &data))
	require.Equal(t, []string{"whatsapp", "7001", "image/jpeg"}, []string{source, ref, ct})
	require.NotContains(t, string(data), receiptSecret, "stored without its EXIF")
	require.Equal(t, 1, e.s.Count(t, `SELECT count(*) FROM reservations WHERE id = $1 AND receipt_hold_extended`, r.ID))
	// The owner hears there is a receipt to review.
	e.waitText(t, strings.TrimPrefix(waOwner, "+"), "Comprobante de transferencia para revisar: reserva "+r.Code)
	// The assistant did not answer the photo as if it were a question.
	e.settle(t)
	require.Equal(t, 0, e.s.Count(t, `SELECT count(*) FROM wa_messages WHERE author = 'assistant'
		AND conversation_id = (SELECT id FROM wa_conversations WHERE wa_id = $1)`, receiptGuest))

	// Meta delivers the same message again: nothing new, no second answer.
	require.Equal(t, http.StatusOK, e.post(t, body, whatsapp.Sign(webtest.WhatsAppSecret, body)))
	e.settle(t)
	require.Equal(t, 1, e.s.Count(t, `SELECT count(*) FROM receipts`))
	require.Equal(t, 1, e.waitText(t, receiptGuest, "Recibimos tu comprobante"))

	// The owner rejects it: the guest is told why, in the chat.
	svc := receipts.New(receipts.Deps{DB: e.s.Pool, Clock: e.s.Clock, Log: webtest.Logger(t), Booking: e.s.Booking})
	list, err := svc.List(context.Background(), e.s.Account.ID, r.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.NoError(t, svc.Reject(context.Background(), receipts.Rejection{AccountID: e.s.Account.ID, ReceiptID: list[0].ID,
		Actor: "test", Reason: "La captura no muestra el monto."}))
	e.waitText(t, receiptGuest, "no pudo aceptar el comprobante de transferencia de tu reserva "+r.Code+": La captura no muestra el monto.")
}

func TestWhatsAppReceiptRefusals(t *testing.T) {
	t.Parallel()
	e := waStart(t, false)
	p := e.s.Property(t)
	e.s.Hold(t, p.ID, e.s.Today().AddDate(0, 0, 10), e.s.Today().AddDate(0, 0, 12))

	// Someone with no reservation.
	e.graph.AddMedia(watest.Media{ID: "8001", MimeType: "application/pdf", Data: []byte("%PDF-1.4\n%%EOF\n")})
	e.sendMedia(t, "5491155559999", "8001", "application/pdf", "comprobante.pdf")
	e.waitText(t, "5491155559999", "No encontramos una reserva tuya para este comprobante.")

	// A web page named like a PDF.
	e.graph.AddMedia(watest.Media{ID: "8002", MimeType: "application/pdf", Data: []byte("<!DOCTYPE html><html><script>x</script></html>")})
	e.sendMedia(t, receiptGuest, "8002", "application/pdf", "comprobante.pdf")
	e.waitText(t, receiptGuest, "Subí el comprobante como PDF, JPG, PNG o WebP.")

	// A file Meta says is over 10 MB is never downloaded.
	e.graph.AddMedia(watest.Media{ID: "8003", MimeType: "image/jpeg", Data: []byte{0xFF, 0xD8}, FileSize: receipts.MaxBytes + 1})
	e.sendMedia(t, receiptGuest, "8003", "image/jpeg", "")
	e.waitText(t, receiptGuest, "El comprobante supera los 10 MB.")

	// A media id Meta does not know (expired): the guest is asked to send it again.
	e.sendMedia(t, receiptGuest, "8004", "image/jpeg", "")
	e.waitText(t, receiptGuest, "No pudimos descargar el archivo que mandaste.")

	e.settle(t)
	for _, f := range e.graph.MediaFetches() {
		require.False(t, f.MediaID == "8003" && f.Step == "download", "the oversized file was downloaded")
		require.Equal(t, watest.DefaultToken, f.Token)
	}
	require.Equal(t, 0, e.s.Count(t, `SELECT count(*) FROM receipts`))
	require.Equal(t, "ok", waHealth(t, e.s), "a guest's expired media is not a Graph API failure")
}
