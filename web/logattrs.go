package web

import (
	"context"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/platform"
)

// withLogAttrs adds attributes to the request's logger.
func withLogAttrs(c echo.Context, args ...any) context.Context {
	ctx := c.Request().Context()
	if l := platform.Logger(ctx, nil); l != nil {
		return platform.WithLogger(ctx, l.With(args...))
	}
	return ctx
}
