package web

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/mercadopago"
)

// maxWebhookBody bounds a notification: Mercado Pago's are a few hundred bytes.
const maxWebhookBody = 64 << 10

// webhookMercadoPago takes a Mercado Pago notification: the raw body first,
// then the signature (x-signature over data.id, x-request-id and ts), and
// only then anything else. A refused delivery stores nothing; an accepted one
// goes to the inbox with its processing job and is answered at once.
//
// A legacy IPN (?topic=payment&id=N) is unsigned: anyone can send one. It is
// taken only when MERCADOPAGO_ACCEPT_IPN allows it (answered 200 "ignored"
// otherwise, so Mercado Pago stops retrying), per client network at most
// mercadopago.IPNPerMinute a minute, only for a plausible payment id, and the
// inbox bounds it further (one waiting per payment, a ceiling on all of them,
// its own job queue).
func (s *Server) webhookMercadoPago(c echo.Context) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, maxWebhookBody))
	if err != nil {
		s.metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, "too_large").Inc()
		return &apiError{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large"}
	}
	n := mercadopago.ReadNotification(c.Request(), body)
	log := s.logger(c)
	if n.Legacy {
		if err := s.admitIPN(c, n); err != nil || c.Response().Committed {
			return err
		}
	} else if err := s.mercadoPago.CheckSignature(n); err != nil {
		result := "bad_signature"
		if errors.Is(err, mercadopago.ErrReplay) {
			result = "replay"
		}
		s.metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, result).Inc()
		log.Warn("mercadopago webhook refused", "reason", err.Error(), "data_id", trim(n.DataID, 40),
			"request_id", trim(n.RequestID, 80))
		return &apiError{Status: http.StatusUnauthorized, Code: "invalid_signature"}
	}
	result, err := s.mercadoPago.Store(c.Request().Context(), n)
	if err != nil {
		s.metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, "error").Inc()
		return err
	}
	if result == mercadopago.ResultFull {
		// Mercado Pago retries a refused IPN later; by then the junk has drained.
		s.metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, "unsigned_full").Inc()
		c.Response().Header().Set("Retry-After", "60")
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"error": "busy"})
	}
	if n.Legacy && result == mercadopago.ResultStored {
		result = "legacy_refetch"
	}
	s.metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, result).Inc()
	return c.JSON(http.StatusOK, map[string]string{"status": result})
}

// admitIPN applies the bounds of a legacy IPN that come before the inbox and
// answers the ones it refuses (the response is then committed): switched off
// (200 "ignored"), over the client network's budget (429), or naming no
// plausible payment (400). Refusals are counted, not logged one by one: a
// flood must not become one of log lines too.
func (s *Server) admitIPN(c echo.Context, n mercadopago.Notification) error {
	if !s.mercadoPago.AcceptIPN {
		s.metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, "ipn_disabled").Inc()
		return c.JSON(http.StatusOK, map[string]string{"status": mercadopago.ResultIgnored})
	}
	ok, retry, err := s.shared.Allow(c.Request().Context(), "mpipn:"+clientNet(c), mercadopago.IPNPerMinute, time.Minute)
	if err != nil {
		s.logger(c).Warn("rate limit unavailable", "error", err)
	}
	if !ok {
		s.metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, "rate_limited").Inc()
		c.Response().Header().Set("Retry-After", retryAfter(retry))
		return c.JSON(http.StatusTooManyRequests, map[string]string{"error": "rate_limited"})
	}
	if n.Type == "payment" && !mercadopago.PlausiblePaymentID(n.DataID) {
		s.metrics.WebhookEvents.WithLabelValues(mercadopago.Provider, "invalid_id").Inc()
		return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid_payment_id"})
	}
	return nil
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
