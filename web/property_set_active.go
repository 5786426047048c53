package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
)

// propertySetActive activates or deactivates a property (form field active:
// true or false) and goes back to the list or the edit page. An inactive
// property is not listed nor bookable.
func (s *Server) propertySetActive(c echo.Context) error {
	id, err := propertyParamID(c, "id")
	if err != nil {
		return err
	}
	var active bool
	switch c.FormValue("active") {
	case "true":
		active = true
	case "false":
	default:
		return &apiError{Status: http.StatusBadRequest, Code: "bad_request"}
	}
	name, err := dbq.New(s.pool).SetAccountPropertyActive(c.Request().Context(),
		dbq.SetAccountPropertyActiveParams{ID: id, AccountID: currentUser(c).AccountID, Active: active})
	if errors.Is(err, pgx.ErrNoRows) {
		return propertyNotFound()
	}
	if err != nil {
		return fmt.Errorf("web: set property %d active=%t: %w", id, active, err)
	}
	if active {
		setFlash(c, "Activaste «"+name+"»: ya se puede reservar.")
	} else {
		setFlash(c, "Desactivaste «"+name+"»: ya no aparece para reservar. Las reservas que tiene siguen en pie.")
	}
	next := "/admin/properties"
	if c.FormValue("next") == propertyEditURL(id) {
		next = propertyEditURL(id)
	}
	return c.Redirect(http.StatusSeeOther, next)
}
