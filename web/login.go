package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/auth"
	authviews "alojamientos/views/auth"
)

// Login throttling: per account (email) and per client IP, counted in Redis
// when there is one so every instance shares the count.
const (
	loginWindow       = 15 * time.Minute
	loginPerAccount   = 10
	loginPerIP        = 30
	loginThrottledMsg = "Demasiados intentos de ingreso. Esperá 15 minutos y probá de nuevo."
	loginNoSessionMsg = "No pudimos iniciar tu sesión por un problema momentáneo. Probá de nuevo en unos segundos."
)

func (s *Server) loginForm(c echo.Context) error {
	if sess, err := s.sessions.Get(c.Request(), auth.SessionCookie); err == nil {
		if _, _, ok := auth.SessionUser(sess); ok {
			return c.Redirect(http.StatusSeeOther, "/admin/")
		}
	}
	return s.render(c, http.StatusOK, authviews.Login(authviews.LoginView{Next: c.QueryParam("next"), CSRF: csrfToken(c)}))
}

func (s *Server) login(c echo.Context) error {
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	password := c.FormValue("password")
	vm := authviews.LoginView{Email: email, Next: c.FormValue("next"), CSRF: csrfToken(c)}
	ctx := c.Request().Context()

	for _, key := range []struct {
		name  string
		limit int
	}{{"login-ip:" + clientNet(c), loginPerIP}, {"login-account:" + email, loginPerAccount}} {
		ok, retry, err := s.shared.Allow(ctx, key.name, key.limit, loginWindow)
		if err != nil {
			s.logger(c).Warn("login throttle counted in process", "error", err)
		}
		if !ok {
			s.metrics.RateLimited.WithLabelValues("login").Inc()
			c.Response().Header().Set("Retry-After", retryAfter(retry))
			vm.Error = loginThrottledMsg
			return s.render(c, http.StatusTooManyRequests, authviews.Login(vm))
		}
	}

	// While no session can be stored, every attempt gets the same answer,
	// given before the password is looked at: otherwise a right password
	// (503, the session failed) would stand out from a wrong one (401).
	if err := s.sessions.Check(ctx); err != nil {
		return s.loginUnavailable(c, vm, err)
	}
	user, ok, err := auth.Authenticate(ctx, s.pool, email, password)
	if err != nil {
		return err
	}
	if !ok {
		// Had the store gone away meanwhile, the right password would get
		// a 503 below; so does a wrong one.
		if err := s.sessions.Check(ctx); err != nil {
			return s.loginUnavailable(c, vm, err)
		}
		s.logger(c).Warn("login failed", "email", email)
		vm.Error = "Email o contraseña incorrectos."
		return s.render(c, http.StatusUnauthorized, authviews.Login(vm))
	}
	if err := s.sessions.StartSession(c.Request(), c.Response(), user.ID, user.SessionVersion, s.clock.Now()); err != nil {
		if errors.Is(err, auth.ErrSessionsUnavailable) {
			return s.loginUnavailable(c, vm, err)
		}
		return err
	}
	if err := auth.RecordLogin(ctx, s.pool, user.ID, s.clock.Now()); err != nil {
		s.logger(c).Warn("login not recorded", "error", err)
	}
	s.logger(c).Info("login", "user_id", user.ID)
	return c.Redirect(http.StatusSeeOther, safeNext(vm.Next))
}

// loginUnavailable answers a login while sessions cannot be stored: the
// form again, saying to retry in a few seconds, the same for every password.
func (s *Server) loginUnavailable(c echo.Context, vm authviews.LoginView, err error) error {
	s.logger(c).Warn("login refused: sessions unavailable", "error", err)
	c.Response().Header().Set("Retry-After", "5")
	vm.Error = loginNoSessionMsg
	return s.render(c, http.StatusServiceUnavailable, authviews.Login(vm))
}

func (s *Server) logout(c echo.Context) error {
	sess, err := s.sessions.Get(c.Request(), auth.SessionCookie)
	if err == nil && !sess.IsNew {
		if err := s.sessions.EndSession(c.Request(), c.Response(), sess); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}
