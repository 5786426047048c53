// Package app is the composition root: it may import web and the driver.
package app

import (
	_ "alojamientos/web"
	_ "github.com/jackc/pgx/v5"
)
