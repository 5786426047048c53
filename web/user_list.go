package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/internal/format"
	usersviews "alojamientos/views/users"
)

// userList shows the account's users and the form to invite one.
func (s *Server) userList(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, usersviews.NewUserForm{Role: "staff"}, "")
}

// renderUsers writes the users page with form (refilled after a refusal) and
// an optional error about a change to an existing user.
func (s *Server) renderUsers(c echo.Context, status int, form usersviews.NewUserForm, errMsg string) error {
	me := currentUser(c)
	rows, err := db.Q(s.pool).ListUsers(c.Request().Context(), me.AccountID)
	if err != nil {
		return fmt.Errorf("web: list users: %w", err)
	}
	loc := s.booking.Locations.Get(me.Timezone)
	vm := usersviews.ListView{Form: form, Error: errMsg, CSRF: csrfToken(c)}
	for _, u := range rows {
		row := usersviews.Row{ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, IsSelf: u.ID == me.ID}
		if u.LastLoginAt != nil {
			row.LastLogin = format.DateTime(*u.LastLoginAt, loc)
		}
		vm.Users = append(vm.Users, row)
	}
	if isHTMX(c) {
		return s.render(c, status, usersviews.ListContent(vm))
	}
	return s.render(c, status, usersviews.List(s.adminPage(c, "Usuarios", "usuarios"), vm))
}
