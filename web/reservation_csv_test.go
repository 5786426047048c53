package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/db/dbtest"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// rvCSV downloads the export and returns its records after checking the BOM.
func rvCSV(t *testing.T, se *webtest.Session, query string) (webtest.Response, [][]string) {
	t.Helper()
	r := se.Get("/admin/reservations.csv" + query)
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	require.True(t, bytes.HasPrefix(r.Body, []byte{0xEF, 0xBB, 0xBF}), "UTF-8 BOM first, for Excel")
	rd := csv.NewReader(bytes.NewReader(r.Body[3:]))
	rd.Comma = ';'
	records, err := rd.ReadAll()
	require.NoError(t, err)
	return r, records
}

func TestReservationCSV(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t, func(pp *dbq.CreatePropertyParams) {
		pp.Name, pp.CleaningFee = "Cabaña Ñandú; vista al lago", money.Money(123467)
	})
	plain := rvHold(t, s, p.ID, 10, 12, rvGuest{Name: "Íñigo Ñúñez", Email: "inigo@example.com", Channel: "airbnb"})
	rvMove(t, s, plain, booking.ActionConfirm)
	evil := []string{`=HYPERLINK("http://evil.example","clic")`, "+SUM(1+1)", "-2+3", "@SUM(A1:A2)",
		"+54 9 11 5555-1234"} // looks like a phone, but a name: only the phone column is written bare
	// Foreign guests' phones, one per country code length.
	phones := []string{"+12025550123", "+59899123456", "+5511987654321", "+34612345678", "+5491155551234"}
	wantPhones := []string{"+1 2025550123", "+598 99123456", "+55 11987654321", "+34 612345678", "+54 9 1155551234"}
	var evilCodes []string
	for i, name := range evil {
		evilCodes = append(evilCodes, rvHold(t, s, p.ID, 20+2*len(evilCodes), 21+2*len(evilCodes),
			rvGuest{Name: name, Phone: phones[i]}).Code)
	}
	otherAccount, otherEmail, otherPassword := s.OtherAccount(t)
	foreignProperty := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.AccountID = otherAccount })
	foreign := rvHold(t, s, foreignProperty.ID, 10, 12, rvGuest{Name: "Ajeno Total", Channel: "airbnb"})
	se := rvLogin(t, s, "owner")

	r, records := rvCSV(t, se, "")
	require.Equal(t, "text/csv; charset=utf-8", r.Header.Get("Content-Type"))
	require.Equal(t, `attachment; filename="reservas-`+s.Today().Format("20060102")+`.csv"`, r.Header.Get("Content-Disposition"))
	require.Equal(t, []string{"Código", "Alojamiento", "Huésped", "Teléfono", "Email", "Llegada", "Salida", "Noches",
		"Huéspedes", "Canal", "Estado", "Total", "Seña", "Pagado", "Saldo", "Moneda", "Creada",
		"Cotización", "Fuente de la cotización", "Total en pesos", "Medio elegido", "Medios de pago"}, records[0])
	require.Len(t, records, 1+1+len(evil), "only this account's reservations")
	require.NotContains(t, string(r.Body), foreign.Code)
	require.NotContains(t, string(r.Body), "Ajeno")
	firstLine := string(r.Body[3:bytes.IndexByte(r.Body, '\n')])
	require.Equal(t, "Código;Alojamiento;Huésped;", firstLine[:len("Código;Alojamiento;Huésped;")], "';' separates cells")

	row := records[len(records)-1] // oldest last
	// The phone reads as a phone: no apostrophe, and a space after the
	// country code so no spreadsheet takes it for a number (5,49116E+12).
	require.Equal(t, []string{plain.Code, "Cabaña Ñandú; vista al lago", "Íñigo Ñúñez", "+54 9 1155551234",
		"inigo@example.com", rvDay(s, 10).Format("02/01/2006"), rvDay(s, 12).Format("02/01/2006"), "2", "2", "Airbnb",
		"Confirmada", "21234,67", "6370,40", "0,00", "21234,67", "ARS"}, row[:16])
	require.Regexp(t, `^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$`, row[16])
	require.Equal(t, []string{"", "", "21234,67", "", ""}, row[17:], "a peso stay: no rate, its total in pesos")
	require.Contains(t, string(r.Body), `"Cabaña Ñandú; vista al lago"`, "a cell holding ';' is quoted")

	names, phoneCells := map[string]string{}, map[string]string{}
	for _, rec := range records[1:] {
		names[rec[0]], phoneCells[rec[0]] = rec[2], rec[3]
	}
	for i, code := range evilCodes {
		require.Equal(t, "'"+evil[i], names[code], "formula neutralised")
		require.Equal(t, wantPhones[i], phoneCells[code], "phone of %s", phones[i])
	}
	for _, rec := range records[1:] {
		require.NotContains(t, rec[3], "'", "no phone carries an apostrophe")
	}

	// The list's filters apply.
	_, records = rvCSV(t, se, "?canal=airbnb")
	require.Len(t, records, 2)
	require.Equal(t, plain.Code, records[1][0])
	_, records = rvCSV(t, se, "?q=nunez&estado=confirmed")
	require.Len(t, records, 2)
	_, records = rvCSV(t, se, "?estado=cancelled")
	require.Len(t, records, 1, "header only")

	// The other account sees only its own.
	other := s.Login(t, otherEmail, otherPassword)
	_, records = rvCSV(t, other, "")
	require.Len(t, records, 2)
	require.Equal(t, foreign.Code, records[1][0])
}

func TestReservationCSVStreamsEveryRow(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	// More rows than one batch of the export, all created at the same instant,
	// so the batches are continued on the id alone.
	const n = 1234
	_, err := s.Pool.Exec(context.Background(), `
		WITH occ AS (
		    INSERT INTO occupancy (property_id, nights, kind)
		    SELECT $1, daterange(current_date + 400 + g, current_date + 401 + g), 'reservation'
		    FROM generate_series(1, $3::int) g
		    RETURNING id, lower(nights) AS ci
		)
		INSERT INTO reservations (code, account_id, property_id, occupancy_id, check_in, check_out, guests, guest_name,
		                          guest_phone, channel, status, price_breakdown, total, deposit, currency, guest_token, created_at)
		SELECT 'RES990101' || lpad(upper(to_hex(occ.id)), 6, '0'), $2, $1, occ.id, occ.ci, occ.ci + 1, 2, 'Masivo',
		       '+5491155551234', 'direct', 'confirmed', '{}', 100, 30, 'ARS', 'token', '2026-01-01T12:00:00Z'
		FROM occ`, p.ID, s.Account.ID, n)
	require.NoError(t, err)
	se := rvLogin(t, s, "staff")
	_, records := rvCSV(t, se, "")
	require.Len(t, records, n+1, "no page limit")
	seen := map[string]bool{}
	for _, rec := range records[1:] {
		require.False(t, seen[rec[0]], "no row twice across batches")
		seen[rec[0]] = true
		require.Equal(t, "100,00", rec[11])
	}
	require.Len(t, seen, n)
}

// The export carries each stay's currency, the rate locked on its hold
// (es-AR decimals, empty for pesos), the rate's kind, the total in pesos at
// it, the method the guest chose and the methods of its approved payments.
func TestReservationCSVRateAndPaymentMethods(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	usd := usdCabin(t, s)
	pmTransfer(t, s, usd, true)
	// Held while the account had no dollar rate.
	unrated := rvHold(t, s, usd.ID, 30, 33, rvGuest{Name: "Sin Cotización"})
	setRate(t, s, 11_855_000)
	in := s.Today().AddDate(0, 0, 10)
	h, err := s.Booking.PlaceHold(context.Background(), booking.HoldRequest{PropertyID: usd.ID,
		CheckIn: booking.FormatDate(in), CheckOut: booking.FormatDate(in.AddDate(0, 0, 3)), Guests: 2,
		GuestName: "John Miller", GuestPhone: "+14155550134", Channel: "direct", Actor: "test", PaymentMethod: "transfer"})
	require.NoError(t, err)
	res := h.Reservation
	apiPayment(t, s, res, "mercadopago", "visa", "approved", "1000.00", "ARS")
	apiPayment(t, s, res, "manual", "transfer", "approved", "50.00", "USD")
	apiPayment(t, s, res, "manual", "transfer", "approved", "10.00", "USD")   // the same method once
	apiPayment(t, s, res, "manual", "cash", "rejected", "10.00", "USD")       // not money received
	_, err = s.Rates.SetManual(t.Context(), s.Account.ID, "EUR", 11_855, nil) // $ 1,1855
	require.NoError(t, err)
	eur := s.Property(t, dbtest.Priced("EUR"), func(p *dbq.CreatePropertyParams) { p.BasePrice = money.FromUnits(100) })
	euro := rvHold(t, s, eur.ID, 10, 12, rvGuest{Name: "Euro Pérez"})

	se := rvLogin(t, s, "owner")
	_, records := rvCSV(t, se, "")
	rows := map[string][]string{}
	for _, rec := range records[1:] {
		rows[rec[0]] = rec
	}
	got := rows[res.Code]
	require.Equal(t, "USD", got[15])
	// US$ 385 × 1.185,50 = $ 456.417,50 → $ 456.418.
	require.Equal(t, []string{"1185,50", "Manual", "456418,00", "transfer", "mercadopago, transfer"}, got[17:])
	require.Equal(t, []string{"", "", "", "", ""}, rows[unrated.Code][17:], "sin cotización: no rate, no pesos")
	// 2 nights of EUR 100 = EUR 200 × 1,1855 = $ 237,10 → $ 237.
	require.Equal(t, "EUR", rows[euro.Code][15])
	require.Equal(t, []string{"1,1855", "Manual", "237,00", "", ""}, rows[euro.Code][17:])
}
