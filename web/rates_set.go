package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/rates"
	rateviews "alojamientos/views/rates"
)

// ratesSet stores a rate the owner typed; a refused one comes back beside
// its field with what was typed.
func (s *Server) ratesSet(c echo.Context) error {
	u := currentUser(c)
	currency := strings.ToUpper(strings.TrimSpace(c.FormValue("currency")))
	if !rates.ValidCurrency(currency) {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "Moneda desconocida.")
	}
	typed := &rateviews.Currency{Code: currency, RateInput: strings.TrimSpace(c.FormValue("rate")), Errors: map[string]string{}}
	r, err := rates.Parse(typed.RateInput)
	if typed.RateInput == "" {
		typed.Errors["rate"] = "Escribí la cotización en pesos, por ejemplo 1185,50."
	} else if err != nil {
		typed.Errors["rate"] = rates.Message(err)
	}
	if len(typed.Errors) > 0 {
		vm, err := s.ratesView(c, typed)
		if err != nil {
			return err
		}
		return s.renderRates(c, http.StatusUnprocessableEntity, vm)
	}
	if _, err := s.rates.SetManual(c.Request().Context(), u.AccountID, currency, r, &u.ID); err != nil {
		return err
	}
	setFlash(c, "Cotización guardada: 1 "+currency+" = "+r.Format()+".")
	return c.Redirect(http.StatusSeeOther, ratesURL)
}
