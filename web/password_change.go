package web

import (
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/auth"
	usersviews "alojamientos/views/users"
)

// passwordChangePerUser bounds guesses of the current password from a
// session someone else got hold of, like login throttling does.
const passwordChangePerUser = 10

// passwordChange checks the current password and stores the new one. That
// revokes every session of the user, this one included, so this browser gets
// a fresh session at once: the user stays in here and every other device is
// signed out.
func (s *Server) passwordChange(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	current, next, repeat := c.FormValue("current"), c.FormValue("new"), c.FormValue("repeat")
	form := usersviews.PasswordForm{Errors: map[string]string{}}

	ok, retry, err := s.shared.Allow(ctx, "password-change:"+strconv.FormatInt(u.ID, 10), passwordChangePerUser, loginWindow)
	if err != nil {
		s.logger(c).Warn("password change throttle unavailable", "error", err)
	}
	if !ok {
		c.Response().Header().Set("Retry-After", retryAfter(retry))
		form.Errors["current"] = "Demasiados intentos. Esperá 15 minutos y probá de nuevo."
		return s.renderAccount(c, http.StatusTooManyRequests, form)
	}

	if current == "" {
		form.Errors["current"] = "Escribí tu contraseña actual."
	}
	if utf8.RuneCountInString(next) < auth.MinPasswordLen {
		form.Errors["new"] = "Usá al menos " + strconv.Itoa(auth.MinPasswordLen) + " caracteres."
	} else if next == current {
		form.Errors["new"] = "Elegí una contraseña distinta de la actual."
	}
	if repeat != next {
		form.Errors["repeat"] = "Las dos contraseñas nuevas no coinciden."
	}
	if len(form.Errors) > 0 {
		return s.renderAccount(c, http.StatusUnprocessableEntity, form)
	}

	ver, err := auth.ChangePassword(ctx, s.pool, u.ID, current, next)
	switch {
	case errors.Is(err, auth.ErrWrongPassword):
		s.logger(c).Warn("password change refused: wrong current password")
		form.Errors["current"] = "La contraseña actual no es correcta."
		return s.renderAccount(c, http.StatusUnprocessableEntity, form)
	case errors.Is(err, auth.ErrWeakPassword):
		form.Errors["new"] = "Usá al menos " + strconv.Itoa(auth.MinPasswordLen) + " caracteres."
		return s.renderAccount(c, http.StatusUnprocessableEntity, form)
	case err != nil:
		return err
	}
	if err := s.sessions.StartSession(c.Request(), c.Response(), u.ID, ver, s.clock.Now()); err != nil {
		return err
	}
	s.logger(c).Info("password changed")
	setFlash(c, "Contraseña cambiada. Cerramos las otras sesiones.")
	return c.Redirect(http.StatusSeeOther, "/admin/account")
}
