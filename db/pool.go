package db

import (
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Pool and Tx name the driver's handles for code above the storage
// boundary, which holds them and passes them to Q but never imports pgx:
// queries live in dbq and their errors come back translated.
type (
	Pool = pgxpool.Pool
	Tx   = pgx.Tx
)
