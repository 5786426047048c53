package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/auth"
	usersviews "alojamientos/views/users"
)

// accountShow is the signed-in user's own page: who they are and the form to
// change their password.
func (s *Server) accountShow(c echo.Context) error {
	return s.renderAccount(c, http.StatusOK, usersviews.PasswordForm{})
}

func (s *Server) renderAccount(c echo.Context, status int, form usersviews.PasswordForm) error {
	u := currentUser(c)
	vm := usersviews.AccountView{Name: u.Name, Email: u.Email, RoleLabel: usersviews.RoleLabel(u.Role),
		AccountName: u.AccountName, MinLen: auth.MinPasswordLen, Form: form, CSRF: csrfToken(c)}
	if isHTMX(c) {
		return s.render(c, status, usersviews.AccountContent(vm))
	}
	return s.render(c, status, usersviews.Account(s.adminPage(c, "Mi cuenta", "cuenta"), vm))
}
