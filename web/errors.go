package web

import (
	"context"
	"errors"
	"html"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/internal/auth"
	"alojamientos/internal/booking"
	"alojamientos/internal/ical"
	"alojamientos/internal/media"
)

// The one place errors become answers. Handlers return what went wrong, as
// the domain says it (db.ErrNotFound, booking.ErrNotFound, a
// *booking.ValidationError…), wrapped with context; answerFor picks the
// status, code and Spanish message, and handleError logs and writes it: an
// HTML page for a browser, JSON for /api, /webhooks and any other client.

// apiError is a JSON error answer with an optional field map.
type apiError struct {
	Status  int
	Code    string
	Fields  map[string]string
	Message string
	Extra   map[string]any
}

func (e *apiError) Error() string { return "web: " + e.Code }

// errNotFound is a path naming nothing the user may see: a malformed id, or
// an object of another account (a 404, never a 403: do not reveal it exists).
var errNotFound = errors.New("web: not found")

// notFoundErrors answer 404: the thing asked for does not exist here.
var notFoundErrors = []error{errNotFound, db.ErrNotFound, booking.ErrNotFound, ical.ErrNotFound, media.ErrNotFound,
	auth.ErrNoUser}

// invalidTextMessage answers text PostgreSQL cannot store.
const invalidTextMessage = "El texto tiene un carácter que no se puede guardar (un byte nulo). Borralo y probá de nuevo."

// sessionsUnavailableMessage answers when the session store cannot be read.
const sessionsUnavailableMessage = "No pudimos leer tu sesión por un problema momentáneo. Probá de nuevo en unos segundos."

// answerFor maps an error to its answer; anything it does not know is a 500.
func answerFor(err error) *apiError {
	var ae *apiError
	var he *echo.HTTPError
	var verr *booking.ValidationError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &he):
		return &apiError{Status: he.Code, Code: httpCode(he.Code)}
	case isNotFound(err):
		return &apiError{Status: http.StatusNotFound, Code: "not_found"}
	case errors.As(err, &verr):
		return validationError(verr.Fields)
	case errors.Is(err, booking.ErrDateOverlap):
		return &apiError{Status: http.StatusConflict, Code: "date_overlap",
			Message: "Esas noches se acaban de ocupar. Elegí otras fechas."}
	case errors.Is(err, booking.ErrBusy):
		return &apiError{Status: http.StatusConflict, Code: "processing_or_unavailable",
			Message: "Ya estamos procesando un pedido igual. Esperá unos segundos."}
	case db.IsInvalidText(err):
		// A NUL byte or a bad encoding in a form field: nothing was stored,
		// and it is the user's input, not our fault.
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_text", Message: invalidTextMessage}
	case errors.Is(err, auth.ErrSessionsUnavailable):
		return &apiError{Status: http.StatusServiceUnavailable, Code: "sessions_unavailable",
			Message: sessionsUnavailableMessage}
	case errors.Is(err, context.Canceled):
		// The client went away; nobody will read the answer.
		return &apiError{Status: 499, Code: "client_closed_request"}
	}
	return &apiError{Status: http.StatusInternalServerError, Code: "internal_error"}
}

func isNotFound(err error) bool {
	for _, target := range notFoundErrors {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// holdLimitMessage tells a guest why their network may not hold more nights now.
const holdLimitMessage = "Desde tu conexión ya hay varias reservas pendientes de seña. " +
	"Pagá la seña de alguna o esperá a que venza para pedir otra."

// holdLimitError answers 429, with Retry-After, when err says the client
// network has too many live holds; otherwise it returns nil.
func holdLimitError(c echo.Context, err error) *apiError {
	var lerr *booking.HoldLimitError
	if !errors.As(err, &lerr) {
		return nil
	}
	c.Response().Header().Set("Retry-After", retryAfter(lerr.RetryAfter))
	return &apiError{Status: http.StatusTooManyRequests, Code: "too_many_holds", Message: holdLimitMessage}
}

// bookingError maps the booking core's errors to answers, for a handler that
// must decide before returning (an idempotent replay records the answer).
// Other errors pass through unchanged.
func bookingError(err error) error {
	if ae := answerFor(err); ae.Status < 500 && ae.Status != 499 {
		return ae
	}
	return err
}

// handleError is the one place errors become answers: 5xx are logged as
// errors, 4xx as warnings, and users never see err.Error().
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	log := s.logger(c)
	ae := answerFor(err)
	if errors.Is(err, auth.ErrSessionsUnavailable) {
		c.Response().Header().Set("Retry-After", "5")
	}
	attrs := []any{slog.String("method", c.Request().Method), slog.String("path", c.Request().URL.Path),
		slog.Int("status", ae.Status)}
	if ae.Status >= 500 {
		log.Error("request failed", append(attrs, slog.Any("error", err))...)
	} else {
		log.Warn("request refused", append(attrs, slog.String("error", ae.Code))...)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(ae.Status)
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") || strings.HasPrefix(c.Request().URL.Path, "/webhooks/") ||
		!strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/html") {
		_ = writeJSON(c, ae.Status, ae.body())
		return
	}
	_ = c.HTML(ae.Status, errorPage(ae.Status, ae.Message))
}

func (e *apiError) body() map[string]any {
	b := map[string]any{"error": e.Code}
	if e.Fields != nil {
		b["fields"] = e.Fields
	}
	if e.Message != "" {
		b["message"] = e.Message
	}
	for k, v := range e.Extra {
		b[k] = v
	}
	return b
}

func httpCode(status int) string {
	switch status {
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "body_too_large"
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusServiceUnavailable:
		return "unavailable"
	}
	if status >= 500 {
		return "internal_error"
	}
	return "bad_request"
}

// errorPage is the whole page of a refusal; message, when set, is the
// reason in Spanish (plain text, escaped here).
func errorPage(status int, message string) string {
	msg := "Algo salió mal de nuestro lado. Probá de nuevo en unos minutos."
	switch {
	case message != "" && (status < 500 || status == http.StatusServiceUnavailable):
		msg = html.EscapeString(message)
	case status == http.StatusNotFound:
		msg = "No encontramos esta página."
	case status == http.StatusRequestEntityTooLarge:
		msg = "Lo que enviaste es demasiado grande."
	case status == http.StatusTooManyRequests:
		msg = "Demasiados pedidos seguidos. Esperá un minuto y probá de nuevo."
	case status < 500:
		msg = "No pudimos procesar el pedido."
	}
	return `<!doctype html><html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>` +
		strconv.Itoa(status) + ` · Alojamientos</title></head><body><main><h1>` + msg + `</h1><p><a href="/">Volver al inicio</a></p></main></body></html>`
}
