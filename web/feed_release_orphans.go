package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// feedReleaseOrphans frees imported nights that no channel calendar holds
// any more (owner only): from today on; past nights stay as history.
func (s *Server) feedReleaseOrphans(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	if s.icalSync == nil {
		return errors.New("web: channel sync not configured")
	}
	u := currentUser(c)
	n, err := s.icalSync.ReleaseOrphans(c.Request().Context(), p.ID, u.AccountID, s.booking.Locations.Get(p.Timezone),
		"user:"+strconv.FormatInt(u.ID, 10))
	if err != nil {
		return err
	}
	switch n {
	case 0:
		setFlash(c, "No había noches importadas sin calendario.")
	case 1:
		setFlash(c, "Liberamos las noches de 1 estadía importada sin calendario.")
	default:
		setFlash(c, fmt.Sprintf("Liberamos las noches de %d estadías importadas sin calendario.", n))
	}
	return c.Redirect(http.StatusSeeOther, feedsURL(p.ID, ""))
}
