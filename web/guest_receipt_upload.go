package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/receipts"
	"alojamientos/views/guest"
)

// receiptBodyMax bounds a receipt upload's body: the file (receipts.MaxBytes)
// plus room for the multipart headers and the CSRF field, nothing more.
const receiptBodyMax = receipts.MaxBytes + 16<<10

// receiptUploadsPerMinute is the most receipt uploads a client network may
// send in a minute (fewer when RATE_LIMIT_PER_MINUTE is lower): each may
// be 10 MB, so they have their own, tighter count than the pages.
const receiptUploadsPerMinute = 10

// receiptReceived is the notice after a stored upload (a flash, so a reload
// of the page does not post the file again).
const receiptReceived = "Comprobante recibido: el anfitrión lo va a revisar."

// receiptBody reads the upload's multipart body before the CSRF check does,
// bounded to receiptBodyMax: a body announced or streamed beyond it is
// refused with 413 and the page saying so in Spanish, never read whole, and
// never mistaken for a missing CSRF token.
func (s *Server) receiptBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > receiptBodyMax {
			return s.refuseReceipt(c, http.StatusRequestEntityTooLarge, receipts.Message(receipts.ErrTooBig))
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, receiptBodyMax)
		err := req.ParseMultipartForm(1 << 20)
		if req.MultipartForm != nil {
			// net/http removes the temporary files of the request it made,
			// not of this one (a copy made by WithContext upstream).
			defer func() { _ = req.MultipartForm.RemoveAll() }()
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return s.refuseReceipt(c, http.StatusRequestEntityTooLarge, receipts.Message(receipts.ErrTooBig))
			}
			// Not multipart: the CSRF check and the handler say what is missing.
		}
		return next(c)
	}
}

// guestReceiptUpload stores the receipt of a bank transfer a guest sends
// from their reservation page (multipart field receipt, one file). The file
// is checked by its content and cleaned by receipts.Service.Add; a refusal
// (type, size, too many, reservation paid or cancelled) re-renders the page
// with the reason beside the field, status 422.
func (s *Server) guestReceiptUpload(c echo.Context) error {
	r, err := s.guestReservation(c)
	if err != nil {
		return err
	}
	if s.receipts == nil {
		return errNotFound
	}
	data, msg, err := uploadedReceipt(c)
	if err != nil {
		return err
	}
	if msg != "" {
		return s.refuseReceipt(c, http.StatusUnprocessableEntity, msg)
	}
	_, err = s.receipts.Add(c.Request().Context(), receipts.Upload{AccountID: r.AccountID, ReservationID: r.ID,
		Source: receipts.SourceGuestPage, Data: data})
	switch {
	case err == nil:
	case errors.Is(err, booking.ErrNotFound):
		return errNotFound
	case receipts.Refused(err):
		return s.refuseReceipt(c, http.StatusUnprocessableEntity, receipts.Message(err))
	default:
		return err
	}
	setFlash(c, receiptReceived)
	return c.Redirect(http.StatusSeeOther, booking.GuestPath(r.Code, r.GuestToken)+"#pago")
}

// uploadedReceipt reads the one file of the form; msg says in Spanish what
// is wrong with the form itself (no file, several files).
func uploadedReceipt(c echo.Context) (data []byte, msg string, err error) {
	form := c.Request().MultipartForm
	if form == nil {
		return nil, "Elegí el archivo del comprobante.", nil
	}
	n := 0
	for _, fs := range form.File {
		n += len(fs)
	}
	files := form.File["receipt"]
	switch {
	case len(files) == 0:
		return nil, "Elegí el archivo del comprobante.", nil
	case n > 1:
		return nil, "Subí un solo archivo por vez.", nil
	case files[0].Size > receipts.MaxBytes:
		return nil, receipts.Message(receipts.ErrTooBig), nil
	}
	f, err := files[0].Open()
	if err != nil {
		return nil, "", fmt.Errorf("web: open receipt upload: %w", err)
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, receipts.MaxBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("web: read receipt upload: %w", err)
	}
	return data, "", nil
}

// refuseReceipt re-renders the guest's page with msg beside the receipt
// field. A wrong code or token is the usual 404.
func (s *Server) refuseReceipt(c echo.Context, status int, msg string) error {
	if csrfToken(c) == "" {
		// Refused before the CSRF check ran (too big): the page's forms carry
		// the token the browser already has, as that check would have set it.
		if ck, err := c.Cookie(csrfCookie); err == nil {
			c.Set(csrfKey, ck.Value)
		}
	}
	vm, err := s.reservationView(c)
	if err != nil {
		return err
	}
	vm.Pay.UploadError = msg
	if vm.Pay.UploadURL == "" {
		// No form to put it beside (paid, too many…): say it above.
		vm.ReturnNote = msg
	}
	return s.render(c, status, guest.Reservation(vm))
}
