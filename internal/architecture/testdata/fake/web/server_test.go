package web

// Tests may use the driver.
import _ "github.com/jackc/pgx/v5/pgxpool"
