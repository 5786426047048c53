package web

import (
	"crypto/subtle"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/whatsapp"
)

// maxWhatsAppBody bounds a delivery: Meta batches up to about a thousand
// events, a few hundred bytes each.
const maxWhatsAppBody = 1 << 20

// webhookWhatsAppVerify is Meta's subscription handshake: the challenge back,
// byte for byte as plain text, only for subscribe with our token.
func (s *Server) webhookWhatsAppVerify(c echo.Context) error {
	q := c.QueryParams()
	token := s.whatsApp.VerifyToken
	if token == "" || q.Get("hub.mode") != "subscribe" ||
		subtle.ConstantTimeCompare([]byte(q.Get("hub.verify_token")), []byte(token)) != 1 {
		s.metrics.WebhookEvents.WithLabelValues(whatsapp.Provider, "verify_refused").Inc()
		return c.String(http.StatusForbidden, "forbidden")
	}
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(q.Get("hub.challenge")))
}

// webhookWhatsApp takes a delivery: the raw body, then X-Hub-Signature-256
// over it, and only then parsing. Refused: 401, a counter and a log line,
// nothing stored. Accepted: every event to the inbox with its job in one
// statement, answered at once.
func (s *Server) webhookWhatsApp(c echo.Context) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, maxWhatsAppBody))
	if err != nil {
		s.metrics.WebhookEvents.WithLabelValues(whatsapp.Provider, "too_large").Inc()
		return &apiError{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large"}
	}
	if err := whatsapp.VerifySignature(s.whatsApp.AppSecret, body, c.Request().Header.Get("X-Hub-Signature-256")); err != nil {
		s.metrics.WebhookEvents.WithLabelValues(whatsapp.Provider, "bad_signature").Inc()
		s.logger(c).Warn("whatsapp webhook refused", "reason", "bad signature", "bytes", len(body))
		return &apiError{Status: http.StatusUnauthorized, Code: "invalid_signature"}
	}
	stored, total, err := s.whatsApp.Receive(c.Request().Context(), body)
	if errors.Is(err, whatsapp.ErrNotWhatsApp) || (err != nil && total == 0) {
		// Signed by Meta but not something we read: answering anything but 200 only brings retries.
		s.metrics.WebhookEvents.WithLabelValues(whatsapp.Provider, "ignored").Inc()
		s.logger(c).Warn("whatsapp webhook not understood", "error", err)
		return c.JSON(http.StatusOK, map[string]any{"status": "ignored"})
	}
	if err != nil {
		s.metrics.WebhookEvents.WithLabelValues(whatsapp.Provider, "error").Inc()
		return err
	}
	s.metrics.WebhookEvents.WithLabelValues(whatsapp.Provider, "accepted").Add(float64(stored))
	s.metrics.WebhookEvents.WithLabelValues(whatsapp.Provider, "duplicate").Add(float64(total - stored))
	return c.JSON(http.StatusOK, map[string]any{"status": "accepted", "events": total, "new": stored})
}

func (s *Server) checkWhatsApp() check {
	st, detail := s.whatsApp.Health()
	c := check{"status": st}
	if detail != "" {
		c["error"] = detail
	}
	return c
}
