package web

import "github.com/labstack/echo/v4"

// Placeholders until the feature lands; each answers 501.
func (s *Server) adminHome(c echo.Context) error { return notYet(c) }
func (s *Server) reports(c echo.Context) error   { return notYet(c) }
