package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
)

var idempotencyKeyRe = regexp.MustCompile(`^[\x21-\x7e]{1,255}$`)

// idempotencyStale is how long a key may stay "in progress" before another
// request may take it over (the first one crashed mid-way).
const idempotencyStale = time.Minute

// idempotent wraps a JSON handler so that a retry carrying the same
// Idempotency-Key gets the first answer byte for byte. scope names the
// action and the client (its network): keys of different clients never meet. handler returns the
// status and body it wants written; 5xx answers are not kept, so they can be retried.
func (s *Server) idempotent(c echo.Context, scope string, body []byte, handler func() (int, []byte, error)) error {
	key := c.Request().Header.Get("Idempotency-Key")
	if key == "" {
		status, out, err := handler()
		if err != nil {
			return err
		}
		return c.Blob(status, echo.MIMEApplicationJSON, out)
	}
	if !idempotencyKeyRe.MatchString(key) {
		return validationError(map[string]string{"Idempotency-Key": "Clave inválida: de 1 a 255 caracteres visibles."})
	}
	ctx := c.Request().Context()
	q := dbq.New(s.pool)
	h := sha256.Sum256(body)
	now := s.clock.Now()
	claimed, err := q.ClaimIdempotencyKey(ctx, dbq.ClaimIdempotencyKeyParams{
		Scope: scope, Key: key, RequestHash: h[:], Now: now, StaleBefore: now.Add(-idempotencyStale),
	})
	if err != nil {
		return fmt.Errorf("web: claim idempotency key: %w", err)
	}
	if claimed == 0 {
		prev, err := q.GetIdempotencyKey(ctx, dbq.GetIdempotencyKeyParams{Scope: scope, Key: key})
		if errors.Is(err, pgx.ErrNoRows) {
			// Released by a failed first attempt between our two statements.
			return &apiError{Status: http.StatusConflict, Code: "processing_or_unavailable"}
		}
		if err != nil {
			return fmt.Errorf("web: read idempotency key: %w", err)
		}
		if !bytes.Equal(prev.RequestHash, h[:]) {
			return &apiError{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_reused",
				Message: "Esta Idempotency-Key ya se usó con otro pedido."}
		}
		if prev.CompletedAt == nil || prev.StatusCode == nil {
			return &apiError{Status: http.StatusConflict, Code: "processing_or_unavailable",
				Message: "El primer pedido con esta clave todavía se está procesando."}
		}
		c.Response().Header().Set("Idempotent-Replayed", "true")
		return c.Blob(int(*prev.StatusCode), echo.MIMEApplicationJSON, prev.Response)
	}

	status, out, err := handler()
	if err != nil {
		// Turn 4xx errors into their answer so the replay repeats them; 5xx
		// and 429 (try again later) free the key.
		var ae *apiError
		if errors.As(err, &ae) && ae.Status < 500 && ae.Status != http.StatusTooManyRequests {
			status, err = ae.Status, nil
			out, _ = json.Marshal(ae.body())
		}
	}
	// Recording must survive the client hanging up mid-request.
	rctx := context.WithoutCancel(ctx)
	if err != nil {
		if rerr := q.ReleaseIdempotencyKey(rctx, dbq.ReleaseIdempotencyKeyParams{Scope: scope, Key: key}); rerr != nil {
			s.logger(c).Error("release idempotency key", "error", rerr)
		}
		return err
	}
	st := int32(status)
	if err := q.CompleteIdempotencyKey(rctx, dbq.CompleteIdempotencyKeyParams{
		Scope: scope, Key: key, StatusCode: &st, Response: out, Now: s.clock.Now(),
	}); err != nil {
		// The hold exists; losing the replay record only means a retry is answered afresh (409).
		s.logger(c).Error("store idempotent answer", "error", err)
	}
	return c.Blob(status, echo.MIMEApplicationJSON, out)
}
