package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
)

type availabilityJSON struct {
	PropertyID int64       `json:"property_id"`
	From       string      `json:"from"`
	To         string      `json:"to"`
	Nights     []nightJSON `json:"nights"`
}

type nightJSON struct {
	Date      string `json:"date"`
	Available bool   `json:"available"`
}

// propertyParam reads :id and loads the property, answering 404 for an
// unknown or inactive one.
func (s *Server) propertyParam(c echo.Context) (booking.Property, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return booking.Property{}, &apiError{Status: http.StatusNotFound, Code: "not_found"}
	}
	p, err := s.booking.LoadProperty(c.Request().Context(), id)
	if errors.Is(err, booking.ErrNotFound) || (err == nil && !p.Active) {
		return booking.Property{}, &apiError{Status: http.StatusNotFound, Code: "not_found"}
	}
	return p, err
}

func (s *Server) apiAvailability(c echo.Context) error {
	p, err := s.propertyParam(c)
	if err != nil {
		return err
	}
	fields := map[string]string{}
	from, errFrom := booking.ParseDate(c.QueryParam("from"))
	if errFrom != nil {
		fields["from"] = "Fecha inválida: usá el formato AAAA-MM-DD."
	}
	to, errTo := booking.ParseDate(c.QueryParam("to"))
	if errTo != nil {
		fields["to"] = "Fecha inválida: usá el formato AAAA-MM-DD."
	}
	if errFrom == nil && errTo == nil {
		if !from.Before(to) {
			fields["to"] = "Tiene que ser posterior a from."
		} else if booking.NightsBetween(from, to) > booking.MaxAvailabilityNights {
			fields["to"] = fmt.Sprintf("Como máximo %d noches por consulta.", booking.MaxAvailabilityNights)
		}
	}
	if len(fields) > 0 {
		return validationError(fields)
	}
	nights, err := s.booking.Availability(c.Request().Context(), p.ID, from, to)
	if err != nil {
		return err
	}
	out := availabilityJSON{PropertyID: p.ID, From: booking.FormatDate(from), To: booking.FormatDate(to),
		Nights: make([]nightJSON, len(nights))}
	for i, n := range nights {
		out.Nights[i] = nightJSON{Date: booking.FormatDate(n.Date), Available: n.Available}
	}
	return writeJSON(c, http.StatusOK, out)
}
