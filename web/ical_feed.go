package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/ical"
)

// icalFeed serves GET and HEAD /ical/{token}.ics: a property's nights for
// the channels, from memory while nothing changed, with validators so a
// channel polling every minute mostly gets 304.
func (s *Server) icalFeed(c echo.Context) error {
	file := c.Param("file")
	token, ok := strings.CutSuffix(file, ".ics")
	if !ok {
		return echo.ErrNotFound
	}
	x := s.icalExport
	if x == nil {
		x = &ical.Exporter{DB: s.pool}
	}
	doc, err := x.Feed(c.Request().Context(), token)
	if errors.Is(err, ical.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("ETag", doc.ETag)
	h.Set("Last-Modified", doc.LastModified.Format(http.TimeFormat))
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Robots-Tag", "noindex")
	if notModified(c.Request(), doc) {
		return c.NoContent(http.StatusNotModified)
	}
	h.Set(echo.HeaderContentType, "text/calendar; charset=utf-8")
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(doc.Body)))
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	_, err = c.Response().Write(doc.Body)
	return err
}

// notModified applies If-None-Match, then (only without it) If-Modified-Since.
func notModified(r *http.Request, doc *ical.Doc) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == doc.ETag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !doc.LastModified.After(t.Truncate(time.Second))
	}
	return false
}
