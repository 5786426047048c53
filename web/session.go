package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"alojamientos/internal/auth"
	"alojamientos/views/layout"
)

const (
	userKey = "user"
	csrfKey = "csrf"
	// csrfCookie holds the CSRF token (echo's double-submit cookie).
	csrfCookie = "aloj_csrf"
)

// csrfMiddleware checks a token on every state-changing request: the form
// field _csrf or the X-CSRF-Token header htmx sends (see layout.Admin). Browsers
// that send Sec-Fetch-Site: same-origin pass without it, as Go's
// CrossOriginProtection would; cross-site requests never do.
func (s *Server) csrfMiddleware() echo.MiddlewareFunc {
	// #nosec G101 -- configuration of the CSRF cookie, not a credential
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "header:X-CSRF-Token,form:_csrf",
		ContextKey:     csrfKey,
		CookieName:     csrfCookie,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.secureCookies(),
		CookieSameSite: http.SameSiteLaxMode,
		CookieMaxAge:   int(auth.SessionTTL.Seconds()),
		ErrorHandler: func(err error, c echo.Context) error {
			return &apiError{Status: http.StatusForbidden, Code: "csrf",
				Message: "La sesión del formulario venció. Recargá la página y probá de nuevo."}
		},
	})
}

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.config.BaseURL, "https://") }

func csrfToken(c echo.Context) string {
	t, _ := c.Get(csrfKey).(string)
	return t
}

// requireUser lets signed-in users through and sends everyone else to the
// login page. The user row is read on every request, so a role change, a
// removed user or a password change (which revokes older sessions) applies at once.
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess, err := s.sessions.Get(c.Request(), auth.SessionCookie)
		if err != nil {
			return err
		}
		uid, ver, ok := auth.SessionUser(sess)
		if !ok {
			return s.toLogin(c)
		}
		user, err := auth.LoadUser(c.Request().Context(), s.pool, uid)
		if errors.Is(err, auth.ErrNoUser) || (err == nil && user.SessionVersion != ver) {
			_ = s.sessions.EndSession(c.Request(), c.Response(), sess)
			return s.toLogin(c)
		}
		if err != nil {
			return err
		}
		// Renew the idle timeout at most every few minutes, not on every request.
		if iat, _ := sess.Values["iat"].(int64); time.Since(time.Unix(iat, 0)) > 10*time.Minute {
			sess.Values["iat"] = time.Now().Unix()
			if err := sess.Save(c.Request(), c.Response()); err != nil {
				return err
			}
		}
		c.Set(userKey, user)
		c.Response().Header().Set("Cache-Control", "no-store")
		c.SetRequest(c.Request().WithContext(withLogAttrs(c, "user_id", user.ID, "account_id", user.AccountID)))
		return next(c)
	}
}

func (s *Server) toLogin(c echo.Context) error {
	next := c.Request().URL.RequestURI()
	target := "/login"
	if c.Request().Method == http.MethodGet && next != "/admin/" {
		target += "?next=" + url.QueryEscape(next)
	}
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusUnauthorized)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// requireOwner keeps staff out of prices, users and payment settings.
func (s *Server) requireOwner(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !currentUser(c).IsOwner() {
			return &apiError{Status: http.StatusForbidden, Code: "forbidden",
				Message: "Solo el dueño de la cuenta puede hacer esto."}
		}
		return next(c)
	}
}

func currentUser(c echo.Context) auth.User {
	u, _ := c.Get(userKey).(auth.User)
	return u
}

// adminPage fills the shell every dashboard page shares.
func (s *Server) adminPage(c echo.Context, title, active string) layout.AdminPage {
	return s.adminPageWith(c, title, active, s.whatsappUnread(c))
}

// adminPageWith is adminPage for a handler that has counted the unread
// WhatsApp conversations already (the WhatsApp pages show the count too).
func (s *Server) adminPageWith(c echo.Context, title, active string, whatsappUnread int64) layout.AdminPage {
	u := currentUser(c)
	return layout.AdminPage{Title: title, Active: active, AccountName: u.AccountName, UserName: u.DisplayName(),
		IsOwner: u.IsOwner(), CSRF: csrfToken(c), Flash: popFlash(c), WhatsAppUnread: whatsappUnread}
}

// safeNext accepts only local paths as a post-login destination.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return "/admin/"
}
