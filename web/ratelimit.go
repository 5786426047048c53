package web

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// rateLimit allows RATE_LIMIT_PER_MINUTE requests per client network (IPv4
// address, IPv6 /64) and scope. While Redis fails the count goes on in this
// process (see platform.Shared's Allow): the limit holds per instance.
func (s *Server) rateLimit(scope string) echo.MiddlewareFunc { return s.rateLimitAtMost(scope, 0) }

// rateLimitAtMost is rateLimit with a tighter ceiling for costly requests:
// at most most per minute (0: no ceiling), fewer when the setting is lower.
func (s *Server) rateLimitAtMost(scope string, most int) echo.MiddlewareFunc {
	s.metrics.RateLimited.WithLabelValues(scope) // listed at 0 from the start
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			limit := s.config.RateLimitPerMinute
			if limit == 0 {
				return next(c)
			}
			if most > 0 {
				limit = min(limit, most)
			}
			ok, retry, err := s.shared.Allow(c.Request().Context(), scope+":"+clientNet(c), limit, time.Minute)
			if err != nil {
				s.logger(c).Warn("rate limit counted in process", "error", err)
			}
			if !ok {
				s.metrics.RateLimited.WithLabelValues(scope).Inc()
				c.Response().Header().Set("Retry-After", retryAfter(retry))
				return &apiError{Status: http.StatusTooManyRequests, Code: "rate_limited",
					Message: "Demasiados pedidos seguidos. Esperá un minuto y probá de nuevo."}
			}
			return next(c)
		}
	}
}

// retryAfter is a Retry-After value: whole seconds, at least 1.
func retryAfter(d time.Duration) string { return strconv.Itoa(max(1, int(math.Ceil(d.Seconds())))) }
