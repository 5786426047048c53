package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/media"
)

// mediaFile serves an uploaded photo. Names are random and never reused, so
// browsers and proxies may keep a copy forever. Only names the store makes
// (32 hex digits and an image extension) reach the disk: no path traversal.
func (s *Server) mediaFile(c echo.Context) error {
	name := c.Param("file")
	f, err := s.photoStore().Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("web: stat photo %s: %w", name, err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, media.ContentType(name))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(c.Response(), c.Request(), name, st.ModTime(), f)
	return nil
}
