// Package page is a fake view that reaches for storage and the server.
package page

import (
	_ "alojamientos/db"
	_ "alojamientos/views/format"
	_ "alojamientos/web/webtest"
)
