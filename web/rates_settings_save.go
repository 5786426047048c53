package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/rates"
	rateviews "alojamientos/views/rates"
)

// ratesSettingsSave stores how a currency's rate is kept: by hand, or
// fetched automatically (kind and markup). A refused markup comes back
// beside its field with what was typed.
func (s *Server) ratesSettingsSave(c echo.Context) error {
	u := currentUser(c)
	currency := strings.ToUpper(strings.TrimSpace(c.FormValue("currency")))
	if !rates.ValidCurrency(currency) {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "Moneda desconocida.")
	}
	mode, kind := c.FormValue("mode"), c.FormValue("kind")
	if mode != rates.ModeAuto {
		mode = rates.ModeManual
	}
	if !slices.Contains(rates.AutoKinds, kind) {
		kind = rates.KindOficial
	}
	typed := &rateviews.Currency{Code: currency, Auto: mode == rates.ModeAuto, AutoKind: kind,
		MarkupInput: strings.TrimSpace(c.FormValue("markup")), Errors: map[string]string{}}
	bp, err := rates.ParseMarkup(typed.MarkupInput)
	if err != nil {
		typed.Errors["markup"] = rates.MarkupMessage(err)
		vm, err := s.ratesView(c, typed)
		if err != nil {
			return err
		}
		return s.renderRates(c, http.StatusUnprocessableEntity, vm)
	}
	st := rates.Settings{Mode: mode, Kind: kind, MarkupBP: bp}
	if err := s.rates.SaveSettings(c.Request().Context(), u.AccountID, currency, st); err != nil {
		return err
	}
	msg := "Listo: la cotización del " + currency + " se carga a mano."
	if mode == rates.ModeAuto {
		msg = "Listo: la cotización del " + currency + " se actualiza sola cada hora (" + rateviews.KindLabels[kind] + ")."
		// The first fetch now, so the owner sees it work (or fail) at once; bounded by rates.FetchTimeout.
		ok, err := s.rates.FetchOne(c.Request().Context(), u.AccountID, currency)
		if err != nil {
			return err
		}
		if !ok {
			msg += " La primera consulta falló: se reintenta cada hora."
		}
	}
	setFlash(c, msg)
	return c.Redirect(http.StatusSeeOther, ratesURL)
}
