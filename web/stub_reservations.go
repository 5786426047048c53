package web

import "github.com/labstack/echo/v4"

// Placeholders until the feature lands; each answers 501.
func (s *Server) reservationShow(c echo.Context) error        { return notYet(c) }
func (s *Server) reservationConfirm(c echo.Context) error     { return notYet(c) }
func (s *Server) reservationCancel(c echo.Context) error      { return notYet(c) }
func (s *Server) reservationCheckIn(c echo.Context) error     { return notYet(c) }
func (s *Server) reservationComplete(c echo.Context) error    { return notYet(c) }
func (s *Server) reservationNoShow(c echo.Context) error      { return notYet(c) }
func (s *Server) reservationGuestEdit(c echo.Context) error   { return notYet(c) }
func (s *Server) reservationDatesChange(c echo.Context) error { return notYet(c) }
func (s *Server) reservationPaymentAdd(c echo.Context) error  { return notYet(c) }
