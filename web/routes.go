package web

import (
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// routes is the one place every route is declared.
func (s *Server) routes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{})))

	e.GET("/static/*", s.static)
	e.GET("/", s.home, s.rateLimit("pages"))

	api := e.Group("/api/v1", s.rateLimit("api"))
	api.GET("/properties", s.apiProperties)
	api.GET("/properties/:id/availability", s.apiAvailability)
	api.GET("/properties/:id/quote", s.apiQuote)
	api.POST("/reservations/pre-reserve", s.apiPrereserve)
	api.GET("/reservations/:code", s.apiReservationShow)
}
