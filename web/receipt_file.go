package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// receiptCSP is the photos' policy (web/server.go's securityHeaders); a PDF
// also gets sandbox, so whatever it holds runs in no origin of ours.
const receiptCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// receiptFile shows the owner a receipt: the cleaned file from the database
// with its sniffed type, inline, never guessed again by the browser. Only
// the account's users reach it; the guest's page never links it.
func (s *Server) receiptFile(c echo.Context) error {
	row, rc, n, err := s.adminReceipt(c)
	if err != nil {
		return err
	}
	f, err := s.receipts.Open(c.Request().Context(), currentUser(c).AccountID, rc.ID)
	if err != nil {
		return err
	}
	ext, ok := receiptExtensions[f.ContentType]
	if !ok {
		return fmt.Errorf("web: receipt %d has type %q", rc.ID, f.ContentType)
	}
	h := c.Response().Header()
	csp := receiptCSP
	if ext == "pdf" {
		csp += "; sandbox"
	}
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", fmt.Sprintf(`inline; filename="comprobante-%s-%d.%s"`, row.Reservation.Code, n, ext))
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, f.ContentType, f.Data)
}
