package web

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/mercadopago"
)

// maxWebhookBody bounds a notification: Mercado Pago's are a few hundred bytes.
const maxWebhookBody = 64 << 10

// webhookMercadoPago takes a Mercado Pago notification: the raw body first,
// then the signature (x-signature over data.id, x-request-id and ts), and
// only then anything else. A refused delivery stores nothing; an accepted one
// goes to the inbox with its processing job and is answered at once.
func (s *Server) webhookMercadoPago(c echo.Context) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, maxWebhookBody))
	if err != nil {
		s.Metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, "too_large").Inc()
		return &apiError{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large"}
	}
	n := mercadopago.ReadNotification(c.Request(), body)
	log := s.logger(c)
	if !n.Legacy {
		if err := s.MercadoPago.CheckSignature(n); err != nil {
			result := "bad_signature"
			if errors.Is(err, mercadopago.ErrReplay) {
				result = "replay"
			}
			s.Metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, result).Inc()
			log.Warn("mercadopago webhook refused", "reason", err.Error(), "data_id", trim(n.DataID, 40),
				"request_id", trim(n.RequestID, 80))
			return &apiError{Status: http.StatusUnauthorized, Code: "invalid_signature"}
		}
	}
	result, err := s.MercadoPago.Store(c.Request().Context(), n)
	if err != nil {
		s.Metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, "error").Inc()
		return err
	}
	if n.Legacy && result == mercadopago.ResultStored {
		result = "legacy_refetch"
	}
	s.Metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, result).Inc()
	return c.JSON(http.StatusOK, map[string]string{"status": result})
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
