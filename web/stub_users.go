package web

import "github.com/labstack/echo/v4"

// Placeholders until the feature lands; each answers 501.
func (s *Server) userList(c echo.Context) error       { return notYet(c) }
func (s *Server) userCreate(c echo.Context) error     { return notYet(c) }
func (s *Server) accountShow(c echo.Context) error    { return notYet(c) }
func (s *Server) passwordChange(c echo.Context) error { return notYet(c) }
