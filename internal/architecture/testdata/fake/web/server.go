// Package web is a fake handler layer that imports the driver.
package web

import _ "github.com/jackc/pgx/v5"
