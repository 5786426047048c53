package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/labstack/echo/v4"
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

// readBody reads a JSON request body of at most maxJSONBody bytes. Anything
// not sent as application/json is a 415: a hostile page can post text/plain
// from a visitor's browser without a CORS preflight, but not JSON.
func readBody(c echo.Context) ([]byte, error) {
	if !isJSON(c.Request().Header.Get(echo.HeaderContentType)) {
		return nil, &apiError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Message: "Mandá el pedido como JSON, con Content-Type: application/json."}
	}
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

// isJSON reports whether a Content-Type header is application/json (parameters such as charset allowed).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == echo.MIMEApplicationJSON
}

// decodeObject parses a JSON object into the struct pointed to by v, field
// by field, so every unknown field and every wrongly typed value is reported
// at once (as field errors, for a 422). Broken JSON is a 400.
func decodeObject(body []byte, v any) (map[string]string, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "malformed_json",
			Message: "El cuerpo del pedido no es un objeto JSON válido."}
	}
	rv := reflect.ValueOf(v).Elem()
	byName := map[string]reflect.Value{}
	for i := 0; i < rv.NumField(); i++ {
		name, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			byName[name] = rv.Field(i)
		}
	}
	fields := map[string]string{}
	for k, msg := range raw {
		f, ok := byName[k]
		if !ok {
			fields[k] = "Campo desconocido."
			continue
		}
		if err := json.Unmarshal(msg, f.Addr().Interface()); err != nil {
			fields[k] = "Tipo de dato inválido."
		}
	}
	return fields, nil
}

func validationError(fields map[string]string) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Code: "validation", Fields: fields}
}
