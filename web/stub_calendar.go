package web

import "github.com/labstack/echo/v4"

// Placeholders until the feature lands; each answers 501.
func (s *Server) calendar(c echo.Context) error          { return notYet(c) }
func (s *Server) propertyCalendar(c echo.Context) error  { return notYet(c) }
func (s *Server) blockCreate(c echo.Context) error       { return notYet(c) }
func (s *Server) blockDelete(c echo.Context) error       { return notYet(c) }
func (s *Server) reservationNew(c echo.Context) error    { return notYet(c) }
func (s *Server) reservationCreate(c echo.Context) error { return notYet(c) }
