package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/views/format"
	resviews "alojamientos/views/reservations"
)

// csvBatch is how many rows the export reads per query while streaming.
const csvBatch = 500

// csvHeader names the export's columns, in Spanish.
var csvHeader = []string{"Código", "Alojamiento", "Huésped", "Teléfono", "Email", "Llegada", "Salida", "Noches",
	"Huéspedes", "Canal", "Estado", "Total", "Seña", "Pagado", "Saldo", "Moneda", "Creada"}

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
	loc := s.Booking.Locations.Get(u.Timezone)
	q := dbq.New(s.Pool)

	params := f.listParams(u.AccountID, 0, csvBatch)
	rows, err := q.AdminListReservations(ctx, params)
	if err != nil {
		return fmt.Errorf("web: export reservations: %w", err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition,
		`attachment; filename="reservas-`+booking.LocalDate(s.Clock.Now(), loc).Format("20060102")+`.csv"`)
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
		for _, r := range rows {
			record := []string{
				r.Code, r.PropertyName, r.GuestName, r.GuestPhone, r.GuestEmail, format.Date(r.CheckIn),
				format.Date(r.CheckOut), strconv.Itoa(booking.NightsBetween(r.CheckIn, r.CheckOut)),
				strconv.Itoa(int(r.Guests)), resviews.ChannelLabel(r.Channel), resviews.StatusLabel(r.Status),
				csvMoney(r.Total), csvMoney(r.Deposit), csvMoney(r.Paid), csvMoney(r.Total - r.Paid), r.Currency,
				format.DateTime(r.CreatedAt, loc),
			}
			for i := range record {
				record[i] = csvCell(record[i])
			}
			if err := w.Write(record); err != nil {
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

// csvMoney is an amount as Excel in es-AR reads a number: "12345,67".
func csvMoney(m money.Money) string { return strings.Replace(m.String(), ".", ",", 1) }

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
