package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/format"
	"alojamientos/internal/rates"
	rateviews "alojamientos/views/rates"
)

const ratesURL = "/admin/tipo-de-cambio"

// ratesHistoryRows is how much history the page lists per currency.
const ratesHistoryRows = 30

// ratesShow is the owner's exchange-rate page: today's rate per currency,
// the manual-rate form, the automatic settings and the history.
func (s *Server) ratesShow(c echo.Context) error {
	vm, err := s.ratesView(c, nil)
	if err != nil {
		return err
	}
	return s.renderRates(c, http.StatusOK, vm)
}

// ratesView fills the page from what is stored; typed, when not nil,
// replaces one currency's form values and errors with what the user sent.
func (s *Server) ratesView(c echo.Context, typed *rateviews.Currency) (rateviews.View, error) {
	ctx := c.Request().Context()
	u := currentUser(c)
	loc := s.booking.Locations.Get(u.Timezone)
	sts, err := s.rates.Statuses(ctx, u.AccountID)
	if err != nil {
		return rateviews.View{}, err
	}
	vm := rateviews.View{CSRF: csrfToken(c), SetURL: ratesURL, SaveURL: ratesURL + "/ajustes"}
	for _, st := range sts {
		cur := rateCurrency(st, loc)
		hist, err := s.rates.History(ctx, u.AccountID, st.Currency, ratesHistoryRows)
		if err != nil {
			return rateviews.View{}, err
		}
		for _, h := range hist {
			cur.History = append(cur.History, rateviews.HistoryRow{SetAt: format.DateTime(h.At, loc), Rate: h.Rate.Format(),
				Kind: rateviews.KindLabels[h.Kind], Source: rateSource(h.Source), Markup: rateMarkup(h.MarkupBP), By: rateBy(h)})
		}
		if typed != nil && typed.Code == st.Currency {
			cur.RateInput, cur.Errors = typed.RateInput, typed.Errors
			if typed.Errors["markup"] != "" {
				cur.Auto, cur.AutoKind, cur.MarkupInput = typed.Auto, typed.AutoKind, typed.MarkupInput
			}
		}
		vm.Currencies = append(vm.Currencies, cur)
	}
	return vm, nil
}

// rateCurrency is one currency's box without its history.
func rateCurrency(st rates.Status, loc *time.Location) rateviews.Currency {
	cur := rateviews.Currency{Code: st.Currency, Stale: st.Stale, StaleReason: staleReason(st, loc), Errors: map[string]string{},
		Auto: st.Settings.Mode == rates.ModeAuto, AutoKind: st.Settings.Kind}
	if st.Settings.MarkupBP > 0 {
		cur.MarkupInput = trimPercent(rates.FormatMarkup(st.Settings.MarkupBP))
	}
	if st.Settings.LastFetch != nil {
		cur.LastFetch = format.DateTime(*st.Settings.LastFetch, loc)
		if st.Settings.LastError != "" {
			cur.LastFetch += " (falló)"
		}
	}
	if c := st.Current; c != nil {
		cur.HasRate, cur.Rate, cur.Kind, cur.Source = true, c.Rate.Format(), rateviews.KindLabels[c.Kind], rateSource(c.Source)
		cur.SetAt, cur.Age, cur.Markup = format.DateTime(c.At, loc), rateviews.Age(c.Age), rateMarkup(c.MarkupBP)
	}
	return cur
}

// staleReason says in Spanish why an automatic rate is stale ("" when it is not).
func staleReason(st rates.Status, loc *time.Location) string {
	if !st.Stale {
		return ""
	}
	keep := " Se sigue usando la última cotización; las reservas no se frenan."
	if st.Current == nil {
		keep = " Cargá una a mano mientras tanto."
	}
	switch {
	case st.Settings.LastError != "" && st.Settings.LastFetch != nil:
		return "La consulta automática del " + st.Currency + " falló el " + format.DateTime(*st.Settings.LastFetch, loc) + "." + keep
	case st.Settings.LastOK == nil:
		return "Todavía no se pudo consultar la cotización automática del " + st.Currency + "." + keep
	}
	return "La cotización automática del " + st.Currency + " no se actualiza desde el " +
		format.DateTime(*st.Settings.LastOK, loc) + "." + keep
}

func rateSource(src string) string {
	if src == rates.KindManual {
		return "Cargada a mano"
	}
	return src
}

func rateMarkup(bp int) string {
	if bp == 0 {
		return ""
	}
	return rates.FormatMarkup(bp)
}

func rateBy(h rates.Current) string {
	switch {
	case h.CreatedBy != "":
		return h.CreatedBy
	case h.Kind == rates.KindManual:
		return "Línea de comandos"
	}
	return "Automática"
}

func trimPercent(s string) string { return s[:len(s)-len(" %")] }

func (s *Server) renderRates(c echo.Context, status int, vm rateviews.View) error {
	return s.render(c, status, rateviews.Page(s.adminPage(c, "Tipo de cambio", "rates"), vm))
}
