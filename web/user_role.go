package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/auth"
	usersviews "alojamientos/views/users"
)

const lastOwnerMsg = "La cuenta necesita al menos un dueño. Nombrá a otra persona como dueña antes."

// userRoleChange makes a user of the account an owner or staff. It applies to
// their open sessions at once.
func (s *Server) userRoleChange(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return &apiError{Status: http.StatusNotFound, Code: "not_found"}
	}
	role := c.FormValue("role")
	me := currentUser(c)
	if !auth.ValidRole(role) {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "validation",
			Fields: map[string]string{"role": "Elegí Dueño o Personal."}}
	}
	err = auth.SetRole(c.Request().Context(), s.pool, me.AccountID, id, role)
	switch {
	case errors.Is(err, auth.ErrNoUser):
		return &apiError{Status: http.StatusNotFound, Code: "not_found"}
	case errors.Is(err, auth.ErrLastOwner):
		return s.renderUsers(c, http.StatusUnprocessableEntity, usersviews.NewUserForm{Role: "staff"}, lastOwnerMsg)
	case err != nil:
		return err
	}
	s.logger(c).Info("user role changed", "target_user_id", id, "role", role)
	setFlash(c, "Rol cambiado a "+usersviews.RoleLabel(role)+".")
	if id == me.ID && role != "owner" {
		// No longer an owner: the users page is closed to them now.
		return c.Redirect(http.StatusSeeOther, "/admin/account")
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}
