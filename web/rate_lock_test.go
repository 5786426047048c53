package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/rates"
	"alojamientos/web/webtest"
)

// setRate sets the test account's manual USD rate.
func setRate(t *testing.T, s *webtest.Server, r rates.Rate) {
	t.Helper()
	_, err := s.Rates.SetManual(t.Context(), s.Account.ID, "USD", r, nil)
	require.NoError(t, err)
}

// rateDay is the date a rate set now shows, in Buenos Aires.
func rateDay(s *webtest.Server) string {
	loc, err := time.LoadLocation("America/Argentina/Buenos_Aires")
	if err != nil {
		panic(err)
	}
	return format.Date(s.Clock.Now().In(loc))
}

// The API quotes a USD stay in pesos at today's rate and the hold answers
// at the rate it locked; a later rate change moves the next quote, never the
// hold: its guest page and the owner's detail keep the locked pesos.
func TestRateLockedQuoteAndPrereserve(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	usd := usdCabin(t, s)
	setRate(t, s, 11_855_000) // $ 1.185,50
	day := rateDay(s)
	in := s.Today().AddDate(0, 0, 10)
	q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 3))}, "guests": {"2"}}
	quotePath := fmt.Sprintf("/api/v1/properties/%d/quote?%s", usd.ID, q.Encode())

	var quote map[string]any
	r := s.Do(t, http.MethodGet, quotePath, nil, nil)
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	r.JSON(t, &quote)
	require.Equal(t, "385.00", quote["total_price"])
	require.Equal(t, "1185.5000", quote["exchange_rate"])
	require.Equal(t, "456418.00", quote["total_ars"], "385 × 1185,50 = 456.417,50, half-up")
	require.Equal(t, "136925.00", quote["deposit_ars"], "115,50 × 1185,50 = 136.925,25")

	r = s.Do(t, http.MethodPost, prereservePath, holdBody(usd.ID, in, in.AddDate(0, 0, 3)), nil)
	require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
	var hold map[string]any
	r.JSON(t, &hold)
	require.Equal(t, "1185.5000", hold["exchange_rate"])
	require.Equal(t, "456418.00", hold["total_ars"])
	require.Equal(t, "136925.00", hold["deposit_ars"])
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE code = $1 AND exchange_rate_e4 = 11855000
		AND exchange_rate_source = 'manual' AND exchange_rate_at IS NOT NULL`, hold["code"]))

	s.Clock.Advance(time.Hour)
	setRate(t, s, 12_000_000)
	later := in.AddDate(0, 0, 7) // the held nights are taken now
	q.Set("check_in", booking.FormatDate(later))
	q.Set("check_out", booking.FormatDate(later.AddDate(0, 0, 3)))
	// The quote reads the rate cached with the property, dropped a moment
	// after the new rate commits (NOTIFY): poll until it shows.
	r = s.GetUntil(t, fmt.Sprintf("/api/v1/properties/%d/quote?%s", usd.ID, q.Encode()), nil,
		func(r webtest.Response) bool { return strings.Contains(string(r.Body), `"exchange_rate":"1200.0000"`) })
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	r.JSON(t, &quote)
	require.Equal(t, "385.00", quote["total_price"])
	require.Equal(t, "1200.0000", quote["exchange_rate"], "a quote uses today's rate")
	require.Equal(t, "462000.00", quote["total_ars"])

	wantTotal := "≈ $ 456.418 (cotización 1 USD = $ 1.185,50 del " + day + ")"
	wantDeposit := "≈ $ 136.925 (cotización 1 USD = $ 1.185,50 del " + day + ")"
	page := string(s.NewSession(t).Get(strings.TrimPrefix(hold["guest_url"].(string), s.URL)).Body)
	require.Contains(t, page, `<small class="muted" id="total-ars">`+wantTotal+`</small>`)
	require.Contains(t, page, `<small class="muted" id="deposit-ars">`+wantDeposit+`</small>`)

	email, password := s.User(t, "owner")
	detail := string(s.Login(t, email, password).Get("/admin/reservations/" + hold["code"].(string)).Body)
	require.Contains(t, detail, wantTotal, "the locked rate, not today's")
	require.Contains(t, detail, wantDeposit)
	require.NotContains(t, detail, "Sin cotización")
}

// Without a rate a USD stay quotes and holds all the same, with no peso
// amounts; the owner's detail says "Sin cotización". Peso stays never
// carry a rate.
func TestRateMissingNeverBlocks(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	usd := usdCabin(t, s)
	in := s.Today().AddDate(0, 0, 10)
	q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))}, "guests": {"2"}}
	r := s.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/properties/%d/quote?%s", usd.ID, q.Encode()), nil, nil)
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	require.NotContains(t, string(r.Body), "exchange_rate")
	require.NotContains(t, string(r.Body), "total_ars")

	r = s.Do(t, http.MethodPost, prereservePath, holdBody(usd.ID, in, in.AddDate(0, 0, 2)), nil)
	require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
	require.NotContains(t, string(r.Body), "exchange_rate")
	var hold map[string]any
	r.JSON(t, &hold)
	page := string(s.NewSession(t).Get(strings.TrimPrefix(hold["guest_url"].(string), s.URL)).Body)
	require.NotContains(t, page, "cotización 1 USD")

	setRate(t, s, 11_855_000)
	email, password := s.User(t, "owner")
	owner := s.Login(t, email, password)
	detail := string(owner.Get("/admin/reservations/" + hold["code"].(string)).Body)
	require.Contains(t, detail, `id="sin-cotizacion">Sin cotización: no había tipo de cambio cargado al reservar.<`)
	require.NotContains(t, detail, "cotización 1 USD", "a rate set later is not this stay's")

	ars := s.Hold(t, s.Property(t).ID, in, in.AddDate(0, 0, 2))
	detail = string(owner.Get("/admin/reservations/" + ars.Code).Body)
	require.NotContains(t, detail, "cotización")
}

// The property page's quote box shows the pesos at today's rate.
func TestRateQuoteBox(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	usd := usdCabin(t, s)
	setRate(t, s, 11_855_000)
	in := s.Today().AddDate(0, 0, 10)
	q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))}, "guests": {"2"}}
	box := string(s.NewSession(t).Get("/p/" + usd.Slug + "/quote?" + q.Encode()).Body)
	require.Contains(t, box, `<td class="num" id="quote-total">US$ 265,00</td>`)
	require.Contains(t, box, `id="quote-total-ars"><small>≈ $ 314.158 (cotización 1 USD = $ 1.185,50 del `+rateDay(s)+`)</small>`,
		"265 × 1185,50 = 314.157,50, half-up")
	require.Contains(t, box, `id="quote-deposit-ars"><small>≈ $ 94.247 (cotización 1 USD = $ 1.185,50 del `+rateDay(s)+`)</small>`)
}
