package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/static"
)

var staticHandler = http.StripPrefix("/static/", http.FileServerFS(static.Files))

// static serves the embedded assets. They change only with a deploy, so
// browsers may keep them for a day and revalidate after.
func (s *Server) static(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	staticHandler.ServeHTTP(c.Response(), c.Request())
	return nil
}
