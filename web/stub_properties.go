package web

import "github.com/labstack/echo/v4"

// Placeholders until the feature lands; each answers 501.
func (s *Server) propertyList(c echo.Context) error        { return notYet(c) }
func (s *Server) propertyNew(c echo.Context) error         { return notYet(c) }
func (s *Server) propertyCreate(c echo.Context) error      { return notYet(c) }
func (s *Server) propertyEdit(c echo.Context) error        { return notYet(c) }
func (s *Server) propertyUpdate(c echo.Context) error      { return notYet(c) }
func (s *Server) propertySetActive(c echo.Context) error   { return notYet(c) }
func (s *Server) propertyPreview(c echo.Context) error     { return notYet(c) }
func (s *Server) propertyPhotoAdd(c echo.Context) error    { return notYet(c) }
func (s *Server) propertyPhotoDelete(c echo.Context) error { return notYet(c) }
func (s *Server) seasonCreate(c echo.Context) error        { return notYet(c) }
func (s *Server) seasonUpdate(c echo.Context) error        { return notYet(c) }
func (s *Server) seasonDelete(c echo.Context) error        { return notYet(c) }
func (s *Server) mediaFile(c echo.Context) error           { return notYet(c) }
