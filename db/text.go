package db

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsInvalidText reports PostgreSQL's refusal of text it cannot store: a NUL
// byte or an invalid encoding in a text value (22021
// character_not_in_repertoire, 22P05 untranslatable_character). The
// statement failed, so nothing was stored; the input is to blame.
func IsInvalidText(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "22021" || pgErr.Code == "22P05")
}
