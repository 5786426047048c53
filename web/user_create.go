package web

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/auth"
	usersviews "alojamientos/views/users"
)

const maxUserNameLen = 120

// userCreate adds a user to the account with a generated temporary password,
// shown once on the answer page: there is no email sending, so the owner
// passes it on. The password is never stored in clear nor put in a cookie.
func (s *Server) userCreate(c echo.Context) error {
	form := usersviews.NewUserForm{
		Name:   strings.TrimSpace(c.FormValue("name")),
		Email:  strings.TrimSpace(c.FormValue("email")),
		Role:   c.FormValue("role"),
		Errors: map[string]string{},
	}
	if form.Name == "" {
		form.Errors["name"] = "Escribí el nombre."
	} else if utf8.RuneCountInString(form.Name) > maxUserNameLen {
		form.Errors["name"] = "Usá hasta 120 caracteres."
	}
	email, err := auth.NormalizeEmail(form.Email)
	if err != nil {
		form.Errors["email"] = "Escribí un email válido, como nombre@ejemplo.com."
	}
	if !auth.ValidRole(form.Role) {
		form.Errors["role"] = "Elegí Dueño o Personal."
	}
	if len(form.Errors) > 0 {
		return s.renderUsers(c, http.StatusUnprocessableEntity, form, "")
	}

	password, err := auth.GeneratePassword()
	if err != nil {
		return err
	}
	me := currentUser(c)
	user, err := auth.CreateUser(c.Request().Context(), s.pool, auth.NewUser{AccountID: me.AccountID, Email: email,
		Name: form.Name, Password: password, Role: form.Role})
	if errors.Is(err, auth.ErrEmailTaken) {
		form.Errors["email"] = "Ese email ya tiene un usuario. Usá otro."
		return s.renderUsers(c, http.StatusUnprocessableEntity, form, "")
	}
	if err != nil {
		return err
	}
	s.logger(c).Info("user created", "new_user_id", user.ID, "role", user.Role)
	return s.render(c, http.StatusCreated, usersviews.Created(s.adminPage(c, "Usuario creado", "usuarios"),
		usersviews.CreatedView{Name: user.Name, Email: user.Email, RoleLabel: usersviews.RoleLabel(user.Role),
			Password: password}))
}
