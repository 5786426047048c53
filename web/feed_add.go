package web

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/ical"
	"alojamientos/views/feeds"
)

// feedAdd imports a channel's calendar into a property (owner only).
func (s *Server) feedAdd(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	form := feeds.AddForm{Channel: c.FormValue("channel"), URL: strings.TrimSpace(c.FormValue("url")),
		Interval: strings.TrimSpace(c.FormValue("interval")), Errors: map[string]string{}}
	if form.Interval == "" {
		form.Interval = strconv.Itoa(ical.DefaultInterval)
	}
	interval, err := strconv.Atoi(form.Interval)
	if err != nil {
		interval = 0 // refused by AddFeed with the interval's message
	}
	_, err = ical.AddFeed(c.Request().Context(), s.pool, ical.NewFeed{AccountID: currentUser(c).AccountID,
		PropertyID: p.ID, Channel: form.Channel, URL: form.URL, Interval: interval})
	var fe *ical.FeedError
	switch {
	case errors.As(err, &fe):
		maps.Copy(form.Errors, fe.Fields)
	case err != nil:
		return fmt.Errorf("web: add feed to %d: %w", p.ID, err)
	default:
		setFlash(c, "Calendario de "+ical.Channels[form.Channel]+" agregado: se sincroniza en unos minutos (o tocá «Sincronizar ahora»).")
		return c.Redirect(http.StatusSeeOther, feedsURL(p.ID, ""))
	}
	vm, err := s.feedPage(c, p, form)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusUnprocessableEntity, feeds.Page(vm))
}
