package web

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/rates"
	ratesviews "alojamientos/views/rates"
	resviews "alojamientos/views/reservations"
)

// csvBatch is how many rows the export reads per query while streaming.
const csvBatch = 500

// csvHeader names the export's columns, in Spanish.
var csvHeader = []string{"Código", "Alojamiento", "Huésped", "Teléfono", "Email", "Llegada", "Salida", "Noches",
	"Huéspedes", "Canal", "Estado", "Total", "Seña", "Pagado", "Saldo", "Moneda", "Creada",
	"Cotización", "Fuente de la cotización", "Total en pesos", "Medio elegido", "Medios de pago"}

// reservationCSV exports every reservation the list's filters select (no
// page limit, same account scope), streamed in batches as it is read.
//
// The file is made for Excel as people in Argentina have it set up: UTF-8 with
// a byte-order mark (without it Excel reads the bytes as Windows-1252 and
// mangles accents), ";" between cells (Excel takes the list separator from the
// regional settings, and where "," is the decimal mark it is ";"), dates
// dd/mm/aaaa and amounts as plain decimals with a decimal comma and no
// thousands separator ("12345,67"), which Excel reads back as numbers.
func (s *Server) reservationCSV(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	f := parseReservationFilter(c)
	loc := s.booking.Locations.Get(u.Timezone)
	q := db.Q(s.pool)

	params := f.listParams(u.AccountID, 0, csvBatch)
	rows, err := q.AdminListReservations(ctx, params)
	if err != nil {
		return fmt.Errorf("web: export reservations: %w", err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition,
		`attachment; filename="reservas-`+booking.LocalDate(s.clock.Now(), loc).Format("20060102")+`.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	if _, err := c.Response().Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
		return err
	}
	w := csv.NewWriter(c.Response())
	w.Comma = ';'
	w.UseCRLF = true // what Excel writes; every reader accepts it
	if err := w.Write(csvHeader); err != nil {
		return err
	}
	for len(rows) > 0 {
		terms, err := csvTermsOf(ctx, q, u.AccountID, rows)
		if err != nil {
			// The answer has started: the error handler can only log it, and the file ends short.
			return err
		}
		for _, r := range rows {
			if err := w.Write(csvRecord(r, terms[r.ID], loc)); err != nil {
				return err
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		c.Response().Flush()
		if len(rows) < csvBatch {
			break
		}
		last := rows[len(rows)-1]
		params.BeforeCreated, params.BeforeID = &last.CreatedAt, &last.ID
		if rows, err = q.AdminListReservations(ctx, params); err != nil {
			// The answer has started: the error handler can only log it, and the file ends short.
			return fmt.Errorf("web: export reservations: %w", err)
		}
	}
	w.Flush()
	return w.Error()
}

// csvTerms is what the export adds to a reservation's row: the rate locked
// on its hold, the method its guest chose and how its approved payments were
// made.
type csvTerms struct {
	rate    *booking.LockedRate
	chosen  string
	methods []string // distinct, in the order first paid
}

// csvTermsOf reads the terms of one batch of rows: two queries per batch.
func csvTermsOf(ctx context.Context, q *dbq.Queries, accountID int64, rows []dbq.AdminListReservationsRow) (map[int64]csvTerms, error) {
	ids := make([]int64, len(rows))
	currency := make(map[int64]string, len(rows))
	for i, r := range rows {
		ids[i], currency[r.ID] = r.ID, r.Currency
	}
	out := make(map[int64]csvTerms, len(rows))
	terms, err := q.ExportReservationTerms(ctx, dbq.ExportReservationTermsParams{AccountID: accountID, Ids: ids})
	if err != nil {
		return nil, fmt.Errorf("web: export reservations: terms: %w", err)
	}
	for _, t := range terms {
		ct := csvTerms{chosen: t.PaymentMethod}
		if t.ExchangeRateE4 != nil && t.ExchangeRateSource != nil {
			ct.rate = &booking.LockedRate{Currency: currency[t.ID], Rate: rates.Rate(*t.ExchangeRateE4),
				Source: *t.ExchangeRateSource}
		}
		out[t.ID] = ct
	}
	pays, err := q.ExportApprovedPayments(ctx, dbq.ExportApprovedPaymentsParams{AccountID: accountID, Ids: ids})
	if err != nil {
		return nil, fmt.Errorf("web: export reservations: payments: %w", err)
	}
	for _, p := range pays {
		ct := out[p.ReservationID]
		if m := paymentMethodOf(p.Provider, p.Method); !slices.Contains(ct.methods, m) {
			ct.methods = append(ct.methods, m)
		}
		out[p.ReservationID] = ct
	}
	return out, nil
}

// csvRecord is one reservation's row, every cell defused (csvCell) but the
// phone, written so spreadsheets keep it (csvPhone). The rate and the peso
// total are the ones locked on the hold (rates.ToPesos through
// LockedRate.Pesos): empty for a foreign stay without a rate; a peso stay
// has no rate and its total is its peso total.
func csvRecord(r dbq.AdminListReservationsRow, t csvTerms, loc *time.Location) []string {
	rate, source, pesos := "", "", ""
	switch {
	case r.Currency == booking.PesoCurrency:
		pesos = csvMoney(r.Total)
	case t.rate != nil:
		rate, source = csvRate(t.rate.Rate), cmp.Or(ratesviews.KindLabels[t.rate.Source], t.rate.Source)
		pesos = csvMoney(money.FromUnits(t.rate.Pesos(int64(r.Total))))
	}
	record := []string{
		r.Code, r.PropertyName, r.GuestName, "", r.GuestEmail, format.Date(r.CheckIn),
		format.Date(r.CheckOut), strconv.Itoa(booking.NightsBetween(r.CheckIn, r.CheckOut)),
		strconv.Itoa(int(r.Guests)), resviews.ChannelLabel(r.Channel), resviews.StatusLabel(r.Status),
		csvMoney(r.Total), csvMoney(r.Deposit), csvMoney(r.Paid), csvMoney(r.Total - r.Paid), r.Currency,
		format.DateTime(r.CreatedAt, loc), rate, source, pesos, t.chosen, strings.Join(t.methods, ", "),
	}
	for i := range record {
		record[i] = csvCell(record[i])
	}
	record[3] = csvPhone(r.GuestPhone)
	return record
}

// csvRate is a rate as Excel in es-AR reads a number: "1185,50" (two
// decimals unless it has more, no thousands separator).
func csvRate(r rates.Rate) string {
	return strings.ReplaceAll(strings.TrimPrefix(r.Format(), "$ "), ".", "")
}

// csvMoney is an amount as Excel in es-AR reads a number: "12345,67".
func csvMoney(m money.Money) string { return strings.Replace(m.String(), ".", ",", 1) }

// csvPhone writes a phone so spreadsheets show it as written: E.164 ("+"
// and digits, all the database accepts) with a space after the country code,
// "+54 9 1155551234". Without the space Excel and LibreOffice read
// "+5491155551234" as the number 5,49116E+12; with an apostrophe (csvCell)
// Excel shows the apostrophe. The cell needs no defusing: "+", digits and a
// space name no function and no other cell, whatever a spreadsheet makes of
// them. Anything else goes through csvCell like every other cell.
func csvPhone(v string) string {
	if !e164.MatchString(v) {
		return csvCell(v)
	}
	d := v[1:]
	cc := d[:countryCodeLen(d)]
	national := d[len(cc):]
	if cc == "54" && strings.HasPrefix(national, "9") {
		// Argentine mobiles: the 9 is written apart, as people do.
		return "+54 9 " + national[1:]
	}
	return "+" + cc + " " + national
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// countryCodeLen is how many leading digits of an E.164 number (without
// "+") are its country code. Codes are prefix-free (ITU-T E.164): 1 and 7
// take one digit, the two-digit codes are listed, every other takes three.
func countryCodeLen(d string) int {
	switch {
	case d[0] == '1' || d[0] == '7':
		return 1
	case twoDigitCountryCodes[d[:2]]:
		return 2
	}
	return 3
}

var twoDigitCountryCodes = map[string]bool{
	"20": true, "27": true, "30": true, "31": true, "32": true, "33": true, "34": true, "36": true, "39": true,
	"40": true, "41": true, "43": true, "44": true, "45": true, "46": true, "47": true, "48": true, "49": true,
	"51": true, "52": true, "53": true, "54": true, "55": true, "56": true, "57": true, "58": true,
	"60": true, "61": true, "62": true, "63": true, "64": true, "65": true, "66": true,
	"81": true, "82": true, "84": true, "86": true,
	"90": true, "91": true, "92": true, "93": true, "94": true, "95": true, "98": true,
}

// csvCell defuses spreadsheet formula injection: a cell that starts with
// = + - @ (or a tab or carriage return, which some spreadsheets skip before
// reading a formula) is prefixed with an apostrophe, so it is shown as text.
// A guest's name or note is whatever the guest typed.
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
