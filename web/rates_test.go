package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/internal/rates"
	"alojamientos/web/webtest"
)

// quoteServer is a fake dolarapi.com answering venta for every kind, or 500 while failing.
func quoteServer(t *testing.T, venta string) (*httptest.Server, *atomic.Bool) {
	var failing atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			http.Error(w, "mantenimiento", http.StatusInternalServerError)
			return
		}
		kind := strings.TrimPrefix(r.URL.Path, "/v1/dolares/")
		_, _ = io.WriteString(w, `{"compra":1165,"venta":`+venta+`,"casa":"`+kind+`","fechaActualizacion":"2026-12-02T13:00:00Z"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &failing
}

func TestRatesManualRate(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	oe, op := s.User(t, "owner")
	owner := s.Login(t, oe, op)

	page := owner.Get("/admin/tipo-de-cambio")
	require.Equal(t, http.StatusOK, page.Status)
	require.Contains(t, string(page.Body), "Sin cotización todavía.")
	require.Contains(t, string(page.Body), `href="/admin/tipo-de-cambio"`, "linked from the navigation")

	for typed, msg := range map[string]string{
		"mil":        "Escribí la cotización en pesos, por ejemplo 1185,50 o 1.185,50.",
		"0":          "La cotización tiene que ser mayor que cero",
		"":           "Escribí la cotización en pesos, por ejemplo 1185,50.",
		"1185,12345": "Escribí la cotización en pesos",
	} {
		r := owner.PostForm("/admin/tipo-de-cambio", url.Values{"currency": {"USD"}, "rate": {typed}})
		require.Equal(t, http.StatusUnprocessableEntity, r.Status, typed)
		body := string(r.Body)
		require.Contains(t, body, msg, typed)
		require.Contains(t, body, `aria-invalid="true"`, typed)
		require.Contains(t, body, `value="`+typed+`"`, "what was typed is kept")
	}
	r := owner.PostForm("/admin/tipo-de-cambio", url.Values{"currency": {"EURO"}, "rate": {"1"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)

	r = owner.PostForm("/admin/tipo-de-cambio", url.Values{"currency": {"USD"}, "rate": {"1.185,50"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	s.Clock.Advance(2 * time.Hour)
	page = owner.Get("/admin/tipo-de-cambio")
	body := string(page.Body)
	require.Contains(t, body, "Cotización guardada: 1 USD = $ 1.185,50.")
	require.Contains(t, body, `<strong id="rate-USD-value">$ 1.185,50</strong>`)
	require.Contains(t, body, "hace 2 horas")
	require.Contains(t, body, "Cargada a mano")
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM exchange_rates WHERE account_id = $1 AND kind = 'manual' AND rate_e4 = 11855000`, s.Account.ID))

	// Staff do not see the page; another account sees its own (none).
	se, sp := s.User(t, "staff")
	staff := s.Login(t, se, sp)
	require.Equal(t, http.StatusForbidden, staff.Get("/admin/tipo-de-cambio").Status)
	require.Equal(t, http.StatusForbidden, staff.PostForm("/admin/tipo-de-cambio", url.Values{"currency": {"USD"}, "rate": {"1"}}).Status)
	require.NotContains(t, string(staff.Get("/admin/").Body), `href="/admin/tipo-de-cambio"`)
	_, email, password := s.OtherAccount(t)
	other := s.Login(t, email, password)
	require.Contains(t, string(other.Get("/admin/tipo-de-cambio").Body), "Sin cotización todavía.")
	// Without the CSRF token nothing is stored.
	require.Equal(t, http.StatusForbidden, owner.PostFormNoCSRF("/admin/tipo-de-cambio", url.Values{"currency": {"USD"}, "rate": {"2"}}).Status)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM exchange_rates`))
}

// An automatic rate: turned on with a kind and a markup it is fetched at
// once; when the quote API fails the last rate stays and the dashboard and
// /healthz warn, until a fetch works again.
func TestRatesAutomaticAndStale(t *testing.T) {
	t.Parallel()
	api, failing := quoteServer(t, "1185.5")
	s := webtest.Start(t, webtest.Options{RatesURL: api.URL + "/v1/dolares/{kind}"})
	oe, op := s.User(t, "owner")
	owner := s.Login(t, oe, op)

	r := owner.PostForm("/admin/tipo-de-cambio/ajustes", url.Values{"currency": {"USD"}, "mode": {"auto"}, "kind": {"blue"}, "markup": {"101"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "El recargo va de 0 a 100 %.")
	require.Contains(t, string(r.Body), `value="101"`)

	r = owner.PostForm("/admin/tipo-de-cambio/ajustes", url.Values{"currency": {"USD"}, "mode": {"auto"}, "kind": {"blue"}, "markup": {"2"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	body := string(owner.Get("/admin/tipo-de-cambio").Body)
	require.Contains(t, body, "se actualiza sola cada hora (Blue)")
	require.Contains(t, body, "$ 1.209,21", "1185.50 × 1.02")
	require.Contains(t, body, api.URL+"/v1/dolares/blue")
	require.Contains(t, body, `<option value="blue" selected>`)
	require.NotContains(t, string(owner.Get("/admin/").Body), "rate-warning")
	require.Equal(t, "ok", healthRates(t, s)["status"])

	failing.Store(true)
	s.Clock.Advance(time.Hour)
	require.NoError(t, s.Rates.FetchAll(t.Context()))
	home := string(owner.Get("/admin/").Body)
	require.Contains(t, home, "La consulta automática del USD falló")
	require.Contains(t, home, "Se sigue usando la última cotización")
	require.Contains(t, home, `href="/admin/tipo-de-cambio">Revisar el tipo de cambio`)
	require.Contains(t, string(owner.Get("/admin/tipo-de-cambio").Body), "$ 1.209,21", "the last rate stays")
	h := healthRates(t, s)
	require.Equal(t, "degraded", h["status"])
	require.EqualValues(t, 1, h["failing"])
	ready, err := http.Get(s.URL + "/readyz")
	require.NoError(t, err)
	_ = ready.Body.Close()
	require.Equal(t, http.StatusOK, ready.StatusCode, "a stale rate never fails readiness")

	// Bookings go on: the guest page still holds.
	prop := s.Property(t)
	s.Hold(t, prop.ID, s.Today().AddDate(0, 0, 10), s.Today().AddDate(0, 0, 12))

	failing.Store(false)
	require.NoError(t, s.Rates.FetchAll(t.Context()))
	require.NotContains(t, string(owner.Get("/admin/").Body), "rate-warning")
	require.Equal(t, "ok", healthRates(t, s)["status"])
	// Older than a day without a fetch: stale again.
	s.Clock.Advance(rates.StaleAfter + time.Minute)
	owner = s.Login(t, oe, op) // the session itself has expired by now
	require.Contains(t, string(owner.Get("/admin/").Body), "no se actualiza desde el")
	require.Equal(t, "degraded", healthRates(t, s)["status"])
}

func healthRates(t *testing.T, s *webtest.Server) map[string]any {
	t.Helper()
	resp, err := http.Get(s.URL + "/healthz")
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	var h struct {
		Checks map[string]map[string]any `json:"checks"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&h))
	return h.Checks["rates"]
}

// The page in a real browser, at phone and desktop size.
func TestBrowserRatesPage(t *testing.T) {
	t.Parallel()
	api, failing := quoteServer(t, "1185.5")
	s := webtest.Start(t, webtest.Options{RatesURL: api.URL + "/v1/dolares/{kind}"})
	email, password := s.User(t, "owner")
	var ctx context.Context
	for _, size := range []struct {
		name          string
		width, height int
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		ctx = webtest.Browser(t, size.width, size.height)
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(s.URL+"/login?next=%2Fadmin%2Ftipo-de-cambio"),
			chromedp.WaitVisible(`#email`),
			chromedp.SendKeys(`#email`, email),
			chromedp.SendKeys(`#password`, password),
			chromedp.Click(`button[type=submit]`),
			chromedp.WaitVisible(`#rate-input-USD`),
		))
		require.NoError(t, chromedp.Do(ctx,
			chromedp.SendKeys(`#rate-input-USD`, "mil doscientos"),
			chromedp.Click(`#rate-USD .rate-form button[type=submit]`),
			chromedp.WaitVisible(`#rate-input-USD-error`),
		))
		webtest.Screenshot(t, ctx, "rates-invalid-"+size.name)
		// The error page has no flash; the saved one says so.
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Clear(`#rate-input-USD`),
			chromedp.SendKeys(`#rate-input-USD`, "1.185,50"),
			chromedp.Click(`#rate-USD .rate-form button[type=submit]`),
			chromedp.WaitVisible(`.flash`),
		))
		if size.name == "desktop" {
			// Only the page saved in automatic mode renders the radio checked.
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Click(`input[name=mode][value=auto]`),
				chromedp.SetValue(`#rate-kind-USD`, "mep"),
				chromedp.SendKeys(`#rate-markup-USD`, "2,5"),
				chromedp.Submit(`#rate-markup-USD`),
				chromedp.WaitVisible(`input[name=mode][value=auto][checked]`),
			))
		}
		webtest.Screenshot(t, ctx, "rates-"+size.name)
	}
	// The quote API fails: the dashboard warns, with the last rate still in use.
	failing.Store(true)
	require.NoError(t, s.Rates.FetchAll(t.Context()))
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.URL+"/admin/"), chromedp.WaitVisible(`.rate-warnings`)))
	webtest.Screenshot(t, ctx, "home-stale-rate")
	text, err := chromedp.Run(ctx, chromedp.Text(`.rate-warnings`))
	require.NoError(t, err)
	require.Contains(t, text, "La consulta automática del USD falló")
}
