package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

// maxJSONBody bounds every JSON request body: a hold request is a few hundred bytes.
const maxJSONBody = 16 << 10

// writeJSON writes v as compact JSON without the trailing newline echo adds,
// so stored answers replay byte for byte.
func writeJSON(c echo.Context, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.Blob(status, echo.MIMEApplicationJSON, b)
}

// readBody reads at most maxJSONBody bytes, or answers 413.
func readBody(c echo.Context) ([]byte, error) {
	r := http.MaxBytesReader(c.Response(), c.Request().Body, maxJSONBody)
	b, err := io.ReadAll(r)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, &apiError{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
			Message: "El pedido es demasiado grande."}
	}
	if err != nil {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "malformed_json", Message: "No se pudo leer el pedido."}
	}
	return b, nil
}

// decodeStrict parses body into v: unknown fields and wrong types are field
// errors (422), broken JSON is 400.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return validationError(map[string]string{typeErr.Field: "Tipo de dato inválido."})
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return validationError(map[string]string{strings.Trim(name, `"`): "Campo desconocido."})
	}
	return &apiError{Status: http.StatusBadRequest, Code: "malformed_json", Message: "El cuerpo del pedido no es JSON válido."}
}

func validationError(fields map[string]string) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Code: "validation", Fields: fields}
}

// bookingError maps the booking core's errors to answers.
func bookingError(err error) error {
	var verr *booking.ValidationError
	switch {
	case errors.As(err, &verr):
		return validationError(verr.Fields)
	case errors.Is(err, booking.ErrDateOverlap):
		return &apiError{Status: http.StatusConflict, Code: "date_overlap",
			Message: "Esas noches se acaban de ocupar. Elegí otras fechas."}
	case errors.Is(err, booking.ErrBusy):
		return &apiError{Status: http.StatusConflict, Code: "processing_or_unavailable",
			Message: "Ya estamos procesando un pedido igual. Esperá unos segundos."}
	case errors.Is(err, booking.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Code: "not_found"}
	}
	return err
}
