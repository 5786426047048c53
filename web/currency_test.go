package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// usdCabin is a property priced in dollars: 120 a night, 25 cleaning, 30 % seña.
func usdCabin(t *testing.T, s *webtest.Server) dbq.Property {
	t.Helper()
	return s.Property(t, dbtest.Priced("USD"), func(p *dbq.CreatePropertyParams) {
		p.BasePrice, p.CleaningFee = money.FromUnits(120), money.FromUnits(25)
	})
}

// The API speaks the property's currency: the list, the quote and the hold.
func TestAPICurrencyOfAUSDProperty(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	usd := usdCabin(t, s)
	ars := s.Property(t)

	r := s.Do(t, http.MethodGet, "/api/v1/properties", nil, nil)
	require.Equal(t, http.StatusOK, r.Status)
	var list []struct {
		ID       int64  `json:"id"`
		Currency string `json:"currency"`
	}
	r.JSON(t, &list)
	got := map[int64]string{}
	for _, p := range list {
		got[p.ID] = p.Currency
	}
	require.Equal(t, map[int64]string{usd.ID: "USD", ars.ID: "ARS"}, got)

	in := s.Today().AddDate(0, 0, 10)
	q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 3))}, "guests": {"2"}}
	r = s.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/properties/%d/quote?%s", usd.ID, q.Encode()), nil, nil)
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	require.Contains(t, string(r.Body), `"currency":"USD"`)
	var quote map[string]any
	r.JSON(t, &quote)
	require.Equal(t, "385.00", quote["total_price"]) // 3 × 120 + 25
	require.Equal(t, "115.50", quote["deposit_amount"])

	r = s.Do(t, http.MethodPost, prereservePath, holdBody(usd.ID, in, in.AddDate(0, 0, 3)), nil)
	require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
	require.Contains(t, string(r.Body), `"currency":"USD"`)
	var hold map[string]any
	r.JSON(t, &hold)
	require.Equal(t, "385.00", hold["total_price"])
	require.Equal(t, "115.50", hold["deposit_amount"])
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE code = $1 AND currency = 'USD'`, hold["code"]))

	// The guest's page and the API's reservation answer say dollars too.
	guestURL := hold["guest_url"].(string)
	page := s.NewSession(t).Get(strings.TrimPrefix(guestURL, s.URL))
	require.Equal(t, http.StatusOK, page.Status)
	require.Contains(t, string(page.Body), "US$ 385,00")
	require.Contains(t, string(page.Body), "US$ 115,50")
	require.NotContains(t, string(page.Body), ">$ 385,00<", "never written as pesos")
}

// The property page, its quote box and the dashboard write dollars as US$.
func TestPagesShowThePropertyCurrency(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	usd := usdCabin(t, s)
	se := s.NewSession(t)
	page := se.Get("/p/" + usd.Slug)
	require.Equal(t, http.StatusOK, page.Status)
	require.Contains(t, string(page.Body), "US$ 120,00")
	require.NotContains(t, string(page.Body), "al cambio de hoy", "no rate, no peso figure")
	setRate(t, s, 11_855_000) // $ 1.185,50
	require.Contains(t, string(se.Get("/p/"+usd.Slug).Body), "(≈ $ 142.260 al cambio de hoy)", "US$ 120 × 1.185,50")

	in := s.Today().AddDate(0, 0, 10)
	q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))}, "guests": {"2"}}
	box := string(se.Get("/p/" + usd.Slug + "/quote?" + q.Encode()).Body)
	require.Contains(t, box, `<td class="num" id="quote-total">US$ 265,00</td>`)
	require.Contains(t, box, `<td class="num" id="quote-deposit">US$ 79,50</td>`)

	r := s.Hold(t, usd.ID, in, in.AddDate(0, 0, 2))
	email, password := s.User(t, "owner")
	owner := s.Login(t, email, password)
	require.Contains(t, string(owner.Get("/admin/properties").Body), "US$ 120,00")
	require.Contains(t, string(owner.Get("/admin/").Body), "US$ 265,00", "the home page's expiring holds")
	require.Contains(t, string(owner.Get("/admin/reservations").Body), "US$ 265,00")
	detail := string(owner.Get("/admin/reservations/" + r.Code).Body)
	require.Contains(t, detail, "US$ 265,00")
	require.Contains(t, detail, "US$ 79,50")
	csv := string(owner.Get("/admin/reservations.csv").Body)
	require.Contains(t, csv, "Moneda")
	require.Contains(t, csv, ";USD;")
}

// The owner picks the currency in the form; a bad code is refused in
// Spanish; a change never touches the reservations already made.
func TestPropertyFormCurrency(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	page := string(se.Get("/admin/properties/new").Body)
	require.Contains(t, page, `<option value="ARS" selected>Pesos argentinos (ARS)</option>`)
	require.Contains(t, page, `<option value="USD">Dólares estadounidenses (USD)</option>`)

	form := propForm("Cabaña en dólares")
	form.Set("currency", "US$")
	r := se.PostForm("/admin/properties", form)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Elegí una moneda válida: un código ISO 4217 de tres letras, como ARS o USD.")
	require.Equal(t, 0, propCount(t, s))

	form.Set("currency", "USD")
	form.Set("base_price", "120")
	id := propCreate(t, se, form)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND currency = 'USD'`, id))
	edit := string(se.Get(fmt.Sprintf("/admin/properties/%d/edit", id)).Body)
	require.Contains(t, edit, `<option value="USD" selected>`)
	require.Contains(t, edit, `<span aria-hidden="true">US$</span>`)

	in := s.Today().AddDate(0, 0, 10)
	held := s.Hold(t, id, in, in.AddDate(0, 0, 2))
	require.Equal(t, "USD", held.Currency)
	form.Set("currency", "ARS")
	form.Set("base_price", "150.000")
	r = se.PostForm(fmt.Sprintf("/admin/properties/%d", id), form)
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND currency = 'ARS'`, id))
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM reservations WHERE id = $1 AND currency = 'USD' AND total = $2`, held.ID, held.Total),
		"the reservation keeps its currency and amounts")
}

// Mercado Pago charges pesos only: a dollar hold gets no link (never dollars
// charged as pesos) and its guest page says why.
func TestMercadoPagoRefusesAUSDDeposit(t *testing.T) {
	t.Parallel()
	s, fake := mpServer(t, true)
	usd := usdCabin(t, s)
	in := s.Today().AddDate(0, 0, 10)

	r := s.Do(t, http.MethodPost, prereservePath, holdBody(usd.ID, in, in.AddDate(0, 0, 2)), nil)
	require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
	var hold map[string]any
	r.JSON(t, &hold)
	require.Nil(t, hold["payment_url"], "no Mercado Pago link in dollars")
	code := hold["code"].(string)

	// The link job runs and makes nothing.
	dbtest.Eventually(t, "link job done", func() bool {
		return s.Count(t, `SELECT count(*) FROM river_job WHERE kind = $1 AND state = 'completed'`, booking.PaymentLinkJobKind) == 1
	})
	require.Equal(t, 0, fake.PreferenceCount())
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM payment_links pl JOIN reservations r ON r.id = pl.reservation_id
		WHERE r.code = $1 AND pl.init_point <> ''`, code))

	page := string(s.NewSession(t).Get(strings.TrimPrefix(hold["guest_url"].(string), s.URL)).Body)
	require.Contains(t, page, "El pago con Mercado Pago todavía no está disponible para reservas en USD.")
	require.NotContains(t, page, `id="pagar"`)
	require.NotContains(t, page, "Estamos generando el link de pago")

	// A pesos hold on the same server still gets its link.
	ars := s.Property(t)
	pr := s.Hold(t, ars.ID, in, in.AddDate(0, 0, 2))
	dbtest.Eventually(t, "pesos link", func() bool {
		return s.Count(t, `SELECT count(*) FROM payment_links WHERE reservation_id = $1 AND init_point <> ''`, pr.ID) == 1
	})
	require.Equal(t, 1, fake.PreferenceCount())
}
