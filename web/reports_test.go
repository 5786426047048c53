package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// hrChart returns the figure of the chart with id, and how many bars it draws.
func hrChart(t *testing.T, body []byte, id string) (string, int) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<figure class="chart" id="` + id + `">.*?</figure>`).Find(body)
	require.NotNil(t, m, "no chart %q", id)
	return string(m), strings.Count(string(m), `<rect class="chart-bar"`)
}

func TestReportsByMonthPropertyAndChannel(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	alerce := s.Property(t, hrNamed("Alerce"))
	coihue := s.Property(t, hrNamed("Coihue"), func(p *dbq.CreatePropertyParams) { p.CleaningFee = money.FromUnits(5000) })
	email, password := s.User(t, "owner")
	staffEmail, staffPass := s.User(t, "staff")

	hrAt(s, 2031, time.April, 2, 12, 0)
	hrStay(t, s, alerce.ID, hrDate(2031, 4, 20), hrDate(2031, 4, 23), "Ana Abril", "direct", booking.ActionConfirm)
	// Two nights and the cleaning fee in May, one night in June.
	hrStay(t, s, coihue.ID, hrDate(2031, 5, 30), hrDate(2031, 6, 2), "Mario Mayo", "airbnb", booking.ActionConfirm)
	hrBlock(t, s, alerce.ID, hrDate(2031, 6, 10), hrDate(2031, 6, 15))
	// Not counted.
	hrStay(t, s, coihue.ID, hrDate(2031, 4, 5), hrDate(2031, 4, 8), "Hold Nomás", "whatsapp")
	hrStay(t, s, coihue.ID, hrDate(2031, 4, 10), hrDate(2031, 4, 12), "Cancela", "booking", booking.ActionConfirm, booking.ActionCancel)

	otherAcc, otherEmail, otherPass := s.OtherAccount(t)
	ajena := dbtest.Property(t, s.Pool, otherAcc, hrNamed("Ajena"))
	hrStay(t, s, ajena.ID, hrDate(2031, 4, 3), hrDate(2031, 4, 30), "Zoe Ajena", "vrbo", booking.ActionConfirm)

	owner := s.Login(t, email, password)
	r := owner.Get("/admin/reports")
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	body := string(r.Body)
	require.Contains(t, body, "De mayo de 2030 a julio de 2031", "the last 12 months and the next 3")
	require.Contains(t, body, `aria-current="page">Reportes`)

	// Month rows: nights taken, blocked, property-nights, occupancy, blocked %, revenue.
	require.Equal(t, []string{"3", "0", "60", "5 %", "0 %", "$ 30.000,00"}, hrRow(t, r.Body, "abril de 2031"))
	require.Equal(t, []string{"2", "0", "62", "3 %", "0 %", "$ 25.000,00"}, hrRow(t, r.Body, "mayo de 2031"))
	require.Equal(t, []string{"1", "5", "60", "2 %", "8 %", "$ 10.000,00"}, hrRow(t, r.Body, "junio de 2031"))
	require.Equal(t, []string{"0", "0", "62", "0 %", "0 %", "$ 0,00"}, hrRow(t, r.Body, "mayo de 2030"))
	// 457 nights from May 2030 to July 2031, for two properties.
	require.Equal(t, []string{"6", "5", "914", "1 %", "1 %", "$ 65.000,00"}, hrRow(t, r.Body, "Total"))
	// Property rows over the 15 months.
	require.Equal(t, []string{"3", "5", "457", "1 %", "1 %", "$ 30.000,00"}, hrRow(t, r.Body, "Alerce"))
	require.Equal(t, []string{"3", "0", "457", "1 %", "0 %", "$ 35.000,00"}, hrRow(t, r.Body, "Coihue"))
	// Channels: nights, share of the nights, revenue; the highest revenue first.
	require.Equal(t, []string{"3", "50 %", "$ 35.000,00"}, hrRow(t, r.Body, "Airbnb"))
	require.Equal(t, []string{"3", "50 %", "$ 30.000,00"}, hrRow(t, r.Body, "Directo"))
	require.Less(t, strings.Index(body, `<th scope="row">Airbnb`), strings.Index(body, `<th scope="row">Directo`))
	main := body[strings.Index(body, `<main`):] // the navigation has a WhatsApp entry
	require.NotContains(t, main, "WhatsApp", "a hold sells nothing")
	require.NotContains(t, body, "Booking.com", "nor does a cancelled stay")

	// Charts: server-rendered SVG, one bar per month, property or channel.
	for id, bars := range map[string]int{"chart-occupancy-month": 15, "chart-revenue-month": 15,
		"chart-occupancy-property": 2, "chart-revenue-property": 2, "chart-revenue-channel": 2} {
		fig, n := hrChart(t, r.Body, id)
		require.Equal(t, bars, n, id)
		require.Contains(t, fig, `role="img"`)
		require.Contains(t, fig, `<svg class="bar-chart" viewBox="0 0 640 260"`)
		require.Regexp(t, `aria-label="[^"]+Gráfico de barras con \d+ valores`, fig)
		require.Contains(t, fig, "<title>")
	}
	fig, _ := hrChart(t, r.Body, "chart-occupancy-month")
	require.Contains(t, fig, "<title>abril de 2031: 5 %</title>")
	require.Contains(t, fig, `aria-label="Ocupación por mes. De mayo de 2030 a julio de 2031.`)
	require.Contains(t, fig, ">100 %</text>", "a percent axis up to 100")
	fig, _ = hrChart(t, r.Body, "chart-revenue-property")
	require.Contains(t, fig, "<title>Coihue: $ 35 mil</title>")
	require.NotContains(t, body, "style=", "no inline styles (CSP)")
	require.NotContains(t, body, "<script>", "no script besides htmx's file")
	require.NotContains(t, body, "Ajena")
	require.NotContains(t, body, "Vrbo")

	// A whole year, by ?year=; leap February 2032 has 29 nights.
	r = owner.Get("/admin/reports?year=2031")
	require.Equal(t, http.StatusOK, r.Status)
	require.Contains(t, string(r.Body), "De enero de 2031 a diciembre de 2031")
	require.Contains(t, string(r.Body), `<option value="2031" selected>Año 2031</option>`)
	_, n := hrChart(t, r.Body, "chart-revenue-month")
	require.Equal(t, 12, n)
	require.Equal(t, []string{"2", "0", "62", "3 %", "0 %", "$ 25.000,00"}, hrRow(t, r.Body, "mayo de 2031"))
	require.Equal(t, []string{"6", "5", "730", "1 %", "1 %", "$ 65.000,00"}, hrRow(t, r.Body, "Total"))
	r = owner.Get("/admin/reports?year=2032")
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, []string{"0", "0", "58", "0 %", "0 %", "$ 0,00"}, hrRow(t, r.Body, "febrero de 2032"))
	require.Contains(t, string(r.Body), "No hay estadías confirmadas en este período.")
	require.Contains(t, string(r.Body), "Sin estadías en el período.")

	// htmx asks for the report alone when the period changes.
	req, err := http.NewRequest(http.MethodGet, s.URL+"/admin/reports?year=2031", nil)
	require.NoError(t, err)
	req.Header.Set("HX-Request", "true")
	r = owner.Do(req)
	require.Equal(t, http.StatusOK, r.Status)
	require.True(t, strings.HasPrefix(string(r.Body), `<div id="report" class="report">`), string(r.Body[:min(200, len(r.Body))]))
	require.NotContains(t, string(r.Body), "<html")
	require.Equal(t, []string{"2", "0", "62", "3 %", "0 %", "$ 25.000,00"}, hrRow(t, r.Body, "mayo de 2031"))

	// A year that is not one is refused.
	for _, bad := range []string{"dosmil", "1999", "2040", "2031.5"} {
		require.Equal(t, http.StatusBadRequest, owner.Get("/admin/reports?year="+bad).Status, bad)
	}

	// Staff see reports too.
	r = s.Login(t, staffEmail, staffPass).Get("/admin/reports")
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, []string{"3", "0", "457", "1 %", "0 %", "$ 35.000,00"}, hrRow(t, r.Body, "Coihue"))

	// The other account sees only its own stay.
	r = s.Login(t, otherEmail, otherPass).Get("/admin/reports")
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, []string{"27", "0", "30", "90 %", "0 %", "$ 270.000,00"}, hrRow(t, r.Body, "abril de 2031"))
	require.Equal(t, []string{"27", "100 %", "$ 270.000,00"}, hrRow(t, r.Body, "Vrbo"))
	for _, name := range []string{"Alerce", "Coihue", "Airbnb", "Directo"} {
		require.NotContains(t, string(r.Body), name)
	}
}

func TestReportsEmptyAccount(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	hrAt(s, 2031, time.April, 2, 12, 0)
	email, password := s.User(t, "owner")
	require.Equal(t, http.StatusSeeOther, s.NewSession(t).Get("/admin/reports").Status, "signed-in users only")

	se := s.Login(t, email, password)
	r := se.Get("/admin/reports")
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	require.Contains(t, string(r.Body), "Todavía no hay alojamientos cargados.")
	require.NotContains(t, string(r.Body), "<svg", "no charts of nothing")
	require.Contains(t, string(r.Body), `<option value="" selected>Últimos 12 meses y próximos 3</option>`)

	// With a property but no stays: every bar at zero, and the tables say so.
	s.Property(t, hrNamed("Nueva"))
	r = se.Get("/admin/reports")
	require.Equal(t, http.StatusOK, r.Status)
	require.Contains(t, string(r.Body), "No hay estadías confirmadas en este período.")
	_, n := hrChart(t, r.Body, "chart-occupancy-month")
	require.Equal(t, 15, n)
	_, n = hrChart(t, r.Body, "chart-occupancy-property")
	require.Equal(t, 1, n)
	require.Contains(t, string(r.Body), "todos en cero")
	require.NotContains(t, string(r.Body), `id="chart-revenue-channel"`, "no channel without stays")
	require.Equal(t, []string{"0", "0", "457", "0 %", "0 %", "$ 0,00"}, hrRow(t, r.Body, "Nueva"))
}

func TestReportsRevenueByCurrency(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	pesos := s.Property(t, hrNamed("Pesos"))
	dolares := s.Property(t, hrNamed("Dólares"), dbtest.Priced("USD"),
		func(p *dbq.CreatePropertyParams) { p.BasePrice = money.FromUnits(120) })
	email, password := s.User(t, "owner")

	hrAt(s, 2031, time.April, 2, 12, 0)
	hrStay(t, s, pesos.ID, hrDate(2031, 4, 20), hrDate(2031, 4, 22), "Ana Pesos", "direct", booking.ActionConfirm)
	hrStay(t, s, dolares.ID, hrDate(2031, 4, 10), hrDate(2031, 4, 13), "John Dollar", "airbnb", booking.ActionConfirm)

	owner := s.Login(t, email, password)
	r := owner.Get("/admin/reports")
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	body := string(r.Body)
	both := "$ 20.000,00 · US$ 360,00"
	require.Equal(t, []string{"5", "0", "60", "8 %", "0 %", both}, hrRow(t, r.Body, "abril de 2031"))
	require.Equal(t, []string{"5", "0", "914", "1 %", "0 %", both}, hrRow(t, r.Body, "Total"))
	require.Equal(t, []string{"2", "0", "457", "0 %", "0 %", "$ 20.000,00"}, hrRow(t, r.Body, "Pesos"))
	require.Equal(t, []string{"3", "0", "457", "1 %", "0 %", "US$ 360,00"}, hrRow(t, r.Body, "Dólares"))
	require.Equal(t, []string{"2", "40 %", "$ 20.000,00"}, hrRow(t, r.Body, "Directo"))
	require.Equal(t, []string{"3", "60 %", "US$ 360,00"}, hrRow(t, r.Body, "Airbnb"))
	require.Equal(t, []string{"0", "0", "62", "0 %", "0 %", "$ 0,00"}, hrRow(t, r.Body, "mayo de 2030"))
	require.NotContains(t, body, "20.360", "pesos and dollars are never summed")

	// Revenue charts are drawn in the main currency, and say so.
	for _, id := range []string{"chart-revenue-month", "chart-revenue-property", "chart-revenue-channel"} {
		fig, _ := hrChart(t, r.Body, id)
		require.Contains(t, fig, "En Pesos argentinos (ARS), la moneda de la cuenta; los ingresos en otras monedas están en las tablas.", id)
		require.NotContains(t, fig, "20,4 mil", id)
	}
	fig, _ := hrChart(t, r.Body, "chart-revenue-month")
	require.Contains(t, fig, "<title>abril de 2031: $ 20 mil</title>")
	fig, _ = hrChart(t, r.Body, "chart-occupancy-month")
	require.NotContains(t, fig, "moneda", "occupancy has no currency")

	// The home page's revenue of this month is per currency too.
	r = owner.Get("/admin/")
	require.Equal(t, http.StatusOK, r.Status)
	require.Contains(t, string(r.Body), both)
	require.NotContains(t, string(r.Body), "20.360")
}

// hrPayment records a payment straight into the table, as Mercado Pago's
// processing (with its fee_details summed into fee) or the owner would.
func hrPayment(t *testing.T, s *webtest.Server, r booking.Reservation, provider, method, status, amount, fee, currency string) {
	t.Helper()
	_, err := s.Pool.Exec(context.Background(), `INSERT INTO payments (account_id, reservation_id, provider, provider_id,
		method, status, amount, fee, currency, created_at, updated_at)
		VALUES ($1, $2, $3, CASE WHEN $3 = 'mercadopago' THEN md5(random()::text) END, $4, $5, $6::numeric, $7::numeric, $8, $9, $9)`,
		r.AccountID, r.ID, provider, method, status, amount, fee, currency, s.Clock.Now())
	require.NoError(t, err)
}

// Foreign revenue shows its peso equivalent at the rate locked on each
// reservation (a stay held without a rate is counted apart), payments are
// shown gross, less Mercado Pago's fees, and net, per currency, and revenue
// charts are drawn in the account's currency.
func TestReportsPesoEquivalentFeesAndAccountCurrency(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	pesos := s.Property(t, hrNamed("Pesos"))
	dolares := s.Property(t, hrNamed("Dólares"), dbtest.Priced("USD"),
		func(p *dbq.CreatePropertyParams) { p.BasePrice = money.FromUnits(120) })
	email, password := s.User(t, "owner")

	hrAt(s, 2031, time.April, 2, 12, 0)
	// Held before the account had a dollar rate: "sin cotización".
	hrStay(t, s, dolares.ID, hrDate(2031, 4, 25), hrDate(2031, 4, 27), "Sin Cotización", "direct", booking.ActionConfirm)
	setRate(t, s, 11_855_000) // $ 1.185,50: US$ 360 → $ 426.780
	a := hrStay(t, s, dolares.ID, hrDate(2031, 4, 10), hrDate(2031, 4, 13), "John Dollar", "airbnb", booking.ActionConfirm)
	s.Clock.Advance(time.Hour)
	setRate(t, s, 12_000_000) // $ 1.200: US$ 240 → $ 288.000
	b := hrStay(t, s, dolares.ID, hrDate(2031, 4, 20), hrDate(2031, 4, 22), "Jane Dollar", "direct", booking.ActionConfirm)
	c := hrStay(t, s, pesos.ID, hrDate(2031, 4, 5), hrDate(2031, 4, 7), "Ana Pesos", "direct", booking.ActionConfirm)
	s.Clock.Advance(time.Hour)
	setRate(t, s, 15_000_000) // today's rate changes nothing of what was locked

	// A Mercado Pago seña of a dollar stay is charged in pesos.
	hrPayment(t, s, a, "mercadopago", "visa", "approved", "136925.00", "8500.50", "ARS")
	hrPayment(t, s, c, "mercadopago", "account_money", "approved", "6000.00", "299.50", "ARS")
	hrPayment(t, s, b, "manual", "transfer", "approved", "72.00", "0", "USD")
	// Not money collected: a rejected payment.
	hrPayment(t, s, c, "mercadopago", "visa", "rejected", "6000.00", "0", "ARS")
	otherAcc, _, _ := s.OtherAccount(t)
	ajena := dbtest.Property(t, s.Pool, otherAcc, hrNamed("Ajena"))
	other := hrStay(t, s, ajena.ID, hrDate(2031, 4, 3), hrDate(2031, 4, 5), "Zoe Ajena", "vrbo", booking.ActionConfirm)
	hrPayment(t, s, other, "mercadopago", "visa", "approved", "99999.00", "999.00", "ARS")

	owner := s.Login(t, email, password)
	r := owner.Get("/admin/reports")
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	body := string(r.Body)
	require.Equal(t, []string{"$ 20.000,00", ""}, hrRow(t, r.Body, "Pesos argentinos (ARS)"))
	usd := hrRow(t, r.Body, "Dólares estadounidenses (USD)")
	require.Equal(t, "US$ 840,00", usd[0])
	require.Contains(t, usd[1], "≈ $ 714.780 en pesos a las cotizaciones de cada reserva", "426.780 + 288.000")
	require.Contains(t, usd[1], `<span class="report-unrated">1 reserva sin cotización</span>`)

	// Collected per currency of the payments: gross, Mercado Pago's fees, net.
	section := hrSection(t, r.Body, "by-currency")
	require.Contains(t, section, "Comisiones de Mercado Pago")
	re := regexp.MustCompile(`(?s)<caption>Cobros por moneda</caption>.*?</table>`)
	cobros := re.FindString(section)
	require.NotEmpty(t, cobros)
	require.Equal(t, []string{"$ 142.925,00", "$ 8.800,00", "$ 134.125,00"}, hrRow(t, []byte(cobros), "Pesos argentinos (ARS)"))
	require.Equal(t, []string{"US$ 72,00", "US$ 0,00", "US$ 72,00"}, hrRow(t, []byte(cobros), "Dólares estadounidenses (USD)"))
	require.NotContains(t, body, "99.999", "another account's payments")

	fig, _ := hrChart(t, r.Body, "chart-revenue-month")
	require.Contains(t, fig, "En Pesos argentinos (ARS), la moneda de la cuenta; los ingresos en otras monedas están en las tablas.")
	require.Contains(t, fig, "<title>abril de 2031: $ 20 mil</title>")

	// An account kept in dollars charts dollars, though it earned more pesos by the figure.
	_, err := s.Pool.Exec(context.Background(), `UPDATE accounts SET currency = 'USD' WHERE id = $1`, s.Account.ID)
	require.NoError(t, err)
	r = owner.Get("/admin/reports")
	require.Equal(t, http.StatusOK, r.Status)
	fig, _ = hrChart(t, r.Body, "chart-revenue-month")
	require.Contains(t, fig, "En Dólares estadounidenses (USD), la moneda de la cuenta;")
	require.Contains(t, fig, "<title>abril de 2031: US$ 840</title>")
	fig, _ = hrChart(t, r.Body, "chart-revenue-property")
	require.Contains(t, fig, "<title>Dólares: US$ 840</title>")

	// Without payments or revenue the section says so.
	r = owner.Get("/admin/reports?year=2032")
	require.Equal(t, http.StatusOK, r.Status)
	require.Contains(t, string(r.Body), "Sin ingresos en el período.")
	require.Contains(t, string(r.Body), "No hubo cobros en el período.")
}
