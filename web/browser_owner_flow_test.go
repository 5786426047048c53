package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// typeDate fills an <input type=date> the way chromium accepts it from code.
func typeDate(sel string, d time.Time) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(sel, booking.FormatDate(d))
}

// submit clicks sel and waits for the next page (a full navigation) to be
// loaded and to satisfy until, so no step reads the page it just left.
func submit(t *testing.T, ctx context.Context, sel, until string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__leaving = true`))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(sel)))
	require.NoError(t, poll(ctx, `!window.__leaving && document.readyState === 'complete' && (`+until+`)`))
}

// The owner's day, end to end in a real browser: sign in, create a property
// with a season, block nights on the calendar, take a phone reservation,
// cancel it, and export the reservations as CSV.
func TestBrowserOwnerRunsTheBusiness(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	ctx := webtest.Browser(t, 1400, 1000)
	today := s.Today()
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/admin/properties/new"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, email),
		chromedp.SendKeys(`#password`, password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#property-form`),
		chromedp.SendKeys(`#f-name`, "Cabaña Los Alerces"),
		chromedp.SendKeys(`#f-location`, "Lago Puelo, Chubut"),
		chromedp.Clear(`#f-capacity`), chromedp.SendKeys(`#f-capacity`, "4"),
		chromedp.Clear(`#f-base_price`), chromedp.SendKeys(`#f-base_price`, "70.000"),
	))
	submit(t, ctx, `#property-form button[type=submit]`, `!!document.querySelector('.flash')`)
	webtest.Screenshot(t, ctx, "1-property-created")
	var id int64
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT id FROM properties WHERE name = 'Cabaña Los Alerces' AND account_id = $1`, s.Account.ID).Scan(&id))

	// A season on the edit page.
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	if !strings.Contains(loc, "/edit") {
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.URL+"/admin/properties/"+itoa(id)+"/edit")))
	}
	require.NoError(t, chromedp.Do(ctx,
		chromedp.WaitVisible(`#snueva-name`),
		chromedp.SendKeys(`#snueva-name`, "Verano"),
		typeDate(`#snueva-starts_on`, month),
		typeDate(`#snueva-ends_on`, month.AddDate(0, 1, -1)),
		chromedp.SendKeys(`#snueva-nightly_price`, "95.000"),
	))
	submit(t, ctx, `.season.new button[type=submit]`, `!!document.querySelector('.flash')`)
	webtest.Screenshot(t, ctx, "2-season")
	var seasonPrice string
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT nightly_price::text FROM seasons WHERE property_id = $1`, id).Scan(&seasonPrice))
	require.Equal(t, "95000.00", seasonPrice)

	// Block three nights from the calendar.
	pid := itoa(id)
	cell := func(d time.Time) string {
		return `td[data-property="` + pid + `"][data-date="` + booking.FormatDate(d) + `"]`
	}
	blockIn := month.AddDate(0, 0, 4)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/admin/calendar?month="+month.Format("2006-01")),
		chromedp.WaitVisible(cell(blockIn)+` a`),
		chromedp.Click(cell(blockIn)+` a`),
		chromedp.WaitVisible(`form.cal-form`),
		typeDate(`#cal-f-check_out`, blockIn.AddDate(0, 0, 3)),
		chromedp.SendKeys(`#cal-f-block_note`, "Pintura del deck"),
	))
	submit(t, ctx, `button[formaction="/admin/blocks"]`, `!!document.querySelector('`+cell(blockIn)+`[data-kind=block]')`)
	webtest.Screenshot(t, ctx, "3-calendar-block")

	// A phone reservation on free nights after the block.
	resIn := blockIn.AddDate(0, 0, 5)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(cell(resIn)+` a`),
		chromedp.WaitVisible(`form.cal-form`),
		typeDate(`#cal-f-check_out`, resIn.AddDate(0, 0, 2)),
		chromedp.SendKeys(`#cal-f-guest_name`, "Julieta Ortiz"),
		chromedp.SendKeys(`#cal-f-guest_phone`, "0294 15 456-7890"),
	))
	submit(t, ctx, `button[formaction="/admin/reservations"]`, `!!document.querySelector('#cancel-reason')`)
	webtest.Screenshot(t, ctx, "4-reservation")
	detail, err := chromedp.Run(ctx, chromedp.Text(`main`))
	require.NoError(t, err)
	require.Contains(t, detail, "Julieta Ortiz")
	require.Contains(t, detail, "$ 190.000,00", "two season nights at 95.000")
	var code, status, phone string
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT code, status, guest_phone FROM reservations WHERE property_id = $1`, id).Scan(&code, &status, &phone))
	require.Equal(t, "pre_reserved", status)
	require.Equal(t, "+5492944567890", phone)

	// Cancel it with a reason: the nights are free again on the calendar.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(`#cancel-reason`, "El huésped avisó que no viene"),
	))
	// The cancel form goes away once the page comes back cancelled.
	submit(t, ctx, `form[action$="/cancel"] button`, `!document.querySelector('#cancel-reason')`)
	webtest.Screenshot(t, ctx, "5-cancelled")
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT status FROM reservations WHERE code = $1`, code).Scan(&status))
	require.Equal(t, "cancelled", status)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/admin/calendar?month="+month.Format("2006-01")),
		chromedp.WaitVisible(cell(resIn)+` a`),
	))
	free, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.querySelector('`+cell(resIn)+`[data-kind]')`))
	require.NoError(t, err)
	require.True(t, free, "the cancelled nights are free again")

	// The reservations list, and its CSV export as the browser downloads it.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/admin/reservations"),
		chromedp.WaitVisible(`#reservation-results`),
	))
	webtest.Screenshot(t, ctx, "6-reservations")
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`fetch(document.querySelector('a[href^="/admin/reservations.csv"]').href).then(r => r.arrayBuffer()).then(b => Array.from(new Uint8Array(b)).map(c => String.fromCharCode(c)).join(''))`,
		chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	// Each byte came back as one character: the BOM's three bytes are U+00EF U+00BB U+00BF.
	require.True(t, strings.HasPrefix(csv, "\u00ef\u00bb\u00bf"), "UTF-8 BOM for Excel: %q", csv[:min(len(csv), 12)])
	require.Contains(t, csv, code)
	require.Contains(t, csv, ";")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
