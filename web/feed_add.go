package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
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
	if _, ok := ical.Channels[form.Channel]; !ok {
		form.Errors["channel"] = "Elegí un canal."
	}
	if err := ical.ValidFeedURL(form.URL); err != nil {
		form.Errors["url"] = "La dirección tiene que empezar con https:// (o http://)."
	}
	if form.Interval == "" {
		form.Interval = "10"
	}
	interval, err := strconv.Atoi(form.Interval)
	if err != nil || interval < 1 || interval > 1440 {
		form.Errors["interval"] = "Entre 1 y 1440 minutos."
	}
	if len(form.Errors) == 0 {
		_, err = dbq.New(s.pool).CreateFeed(c.Request().Context(), dbq.CreateFeedParams{PropertyID: p.ID,
			// #nosec G109 G115 -- interval is checked to be 1..1440 above
			AccountID: currentUser(c).AccountID, Channel: form.Channel, Url: form.URL, IntervalMinutes: int32(interval)})
		var pgErr *pgconn.PgError
		switch {
		case errors.As(err, &pgErr) && pgErr.Code == "23505":
			form.Errors["url"] = "Ese calendario ya está agregado."
		case err != nil:
			return fmt.Errorf("web: add feed to %d: %w", p.ID, err)
		default:
			setFlash(c, "Calendario de "+ical.Channels[form.Channel]+" agregado: se sincroniza en unos minutos (o tocá «Sincronizar ahora»).")
			return c.Redirect(http.StatusSeeOther, feedsURL(p.ID, ""))
		}
	}
	vm, err := s.feedPage(c, p, form)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusUnprocessableEntity, feeds.Page(vm))
}
