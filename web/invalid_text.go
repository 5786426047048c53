package web

import (
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5/pgconn"
)

// invalidTextMessage answers text PostgreSQL cannot store.
const invalidTextMessage = "El texto tiene un carácter que no se puede guardar (un byte nulo). Borralo y probá de nuevo."

// unstorableText turns PostgreSQL's refusal of a NUL byte or an invalid
// encoding in a text value (22021 character_not_in_repertoire, 22P05
// untranslatable_character) into a 422 with the reason: the statement failed,
// so nothing was stored, and it is the user's input, not our fault (it used to
// be a 500 for any form field carrying %00).
func unstorableText(err error) *apiError {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "22021" || pgErr.Code == "22P05") {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_text", Message: invalidTextMessage}
	}
	return nil
}
