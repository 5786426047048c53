package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// notYet answers routes whose feature is being built.
func notYet(c echo.Context) error {
	return &apiError{Status: http.StatusNotImplemented, Code: "not_implemented", Message: "Todavía no está disponible."}
}
