package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/ical"
)

// accountFeed is the feed in the URL, of the property in the URL, of the user's account.
func (s *Server) accountFeed(c echo.Context) (dbq.GetAccountPropertyRow, dbq.ChannelFeed, error) {
	p, err := s.accountProperty(c)
	if err != nil {
		return p, dbq.ChannelFeed{}, err
	}
	fid, err := propertyParamID(c, "fid")
	if err != nil {
		return p, dbq.ChannelFeed{}, err
	}
	rows, err := dbq.New(s.pool).ListFeedsOfProperty(c.Request().Context(), p.ID)
	if err != nil {
		return p, dbq.ChannelFeed{}, fmt.Errorf("web: feeds of %d: %w", p.ID, err)
	}
	for _, f := range rows {
		if f.ID == fid {
			return p, f, nil
		}
	}
	return p, dbq.ChannelFeed{}, &apiError{Status: http.StatusNotFound, Code: "not_found"}
}

// feedSync syncs one feed now and says what happened (staff too).
func (s *Server) feedSync(c echo.Context) error {
	p, f, err := s.accountFeed(c)
	if err != nil {
		return err
	}
	syncer := s.icalSync
	if syncer == nil {
		return errors.New("web: channel sync not configured")
	}
	r, err := syncer.SyncFeed(c.Request().Context(), f.ID)
	if err != nil {
		return err
	}
	name := ical.Channels[f.Channel]
	switch {
	case r.Busy:
		setFlash(c, name+": ya se está sincronizando, mirá el resultado en un momento.")
	case r.Err != nil:
		setFlash(c, name+": falló la sincronización. "+r.ErrText+" Se mantienen las noches que ya teníamos.")
	case r.Pending:
		setFlash(c, fmt.Sprintf("%s: %d eventos; %d nuevos, %d movidos, %d conflictos. %s", name, r.Events,
			r.Added, r.Moved, r.Conflicts, r.ErrText))
	case r.NotModified:
		setFlash(c, name+": sin cambios.")
	default:
		setFlash(c, fmt.Sprintf("%s: %d eventos; %d nuevos, %d movidos, %d liberados, %d conflictos.", name, r.Events,
			r.Added, r.Moved, r.Released, r.Conflicts))
	}
	return c.Redirect(http.StatusSeeOther, feedsURL(p.ID, ""))
}

// feedDelete stops importing a calendar and frees the nights it blocked from today on (owner only).
func (s *Server) feedDelete(c echo.Context) error {
	p, f, err := s.accountFeed(c)
	if err != nil {
		return err
	}
	if err := s.icalSync.DeleteFeed(c.Request().Context(), f.ID, currentUser(c).AccountID); err != nil {
		return err
	}
	setFlash(c, "Calendario de "+ical.Channels[f.Channel]+" quitado: sus noches futuras quedaron libres.")
	return c.Redirect(http.StatusSeeOther, feedsURL(p.ID, ""))
}

// feedRotate replaces every export URL of the property; the old ones 404 (owner only).
func (s *Server) feedRotate(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	if _, err := dbq.New(s.pool).RotatePropertyTokens(c.Request().Context(), dbq.RotatePropertyTokensParams{
		PropertyID: p.ID, AccountID: currentUser(c).AccountID}); err != nil {
		return fmt.Errorf("web: rotate tokens of %d: %w", p.ID, err)
	}
	if s.icalExport != nil {
		s.icalExport.Invalidate(p.ID)
	}
	setFlash(c, "Direcciones nuevas: pegalas en cada canal, las anteriores ya no funcionan.")
	return c.Redirect(http.StatusSeeOther, feedsURL(p.ID, ""))
}
