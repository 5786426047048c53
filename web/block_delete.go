package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/format"
)

// blockDelete frees a block's nights at once. A block of another account, or
// one already deleted, is a 404.
func (s *Server) blockDelete(c echo.Context) error {
	u := currentUser(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	b, err := s.booking.DeleteBlock(c.Request().Context(), u.AccountID, id, "user:"+strconv.FormatInt(u.ID, 10))
	if err != nil {
		return err
	}
	s.logger(c).Info("block deleted", "block_id", b.ID, "property_id", b.PropertyID)
	setFlash(c, "Bloqueo eliminado: las noches del "+format.Date(b.CheckIn)+" al "+format.Date(b.CheckOut)+
		" en "+b.PropertyName+" quedaron libres.")
	return c.Redirect(http.StatusSeeOther, calBack(c.FormValue("back"), calendarPath+"?month="+b.CheckIn.Format("2006-01")))
}
