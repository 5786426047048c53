package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/auth"
	usersviews "alojamientos/views/users"
)

// userDelete removes another user of the account; their sessions stop
// working on their next request. Owners leave through another owner.
func (s *Server) userDelete(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return &apiError{Status: http.StatusNotFound, Code: "not_found"}
	}
	me := currentUser(c)
	if id == me.ID {
		return s.renderUsers(c, http.StatusUnprocessableEntity, usersviews.NewUserForm{Role: "staff"},
			"No podés quitarte el acceso a vos mismo. Pedíselo a otro dueño.")
	}
	err = auth.RemoveUser(c.Request().Context(), s.pool, me.AccountID, id)
	switch {
	case errors.Is(err, auth.ErrNoUser):
		return &apiError{Status: http.StatusNotFound, Code: "not_found"}
	case errors.Is(err, auth.ErrLastOwner):
		return s.renderUsers(c, http.StatusUnprocessableEntity, usersviews.NewUserForm{Role: "staff"}, lastOwnerMsg)
	case err != nil:
		return err
	}
	s.logger(c).Info("user removed", "target_user_id", id)
	setFlash(c, "Listo: esa persona ya no tiene acceso.")
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}
