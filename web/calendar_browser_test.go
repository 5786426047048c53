package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

// In a real browser, under the CSP, with htmx: months change without
// reloading the page and the address follows; a free night opens the form
// in place; the form blocks the nights; the block opens in the panel and
// its button frees them.
func TestCalendarBrowserNavigateSelectBlockDelete(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	p := s.Property(t, func(p *dbq.CreatePropertyParams) { p.Name = "Cabaña del Arroyo" })
	today := s.Today()
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	next := first.AddDate(0, 1, 0)
	calStay(t, s, p.ID, next.AddDate(0, 0, 4), next.AddDate(0, 0, 7), "Elena Paz")
	pid := fmt.Sprint(p.ID)
	cell := func(d time.Time) string {
		return `td[data-property="` + pid + `"][data-date="` + booking.FormatDate(d) + `"]`
	}
	ctx := webtest.Browser(t, 1400, 900)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/login?next=%2Fadmin%2Fcalendar"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, email),
		chromedp.SendKeys(`#password`, password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`table.cal-grid`),
		chromedp.WaitVisible(`th[data-date="`+booking.FormatDate(first)+`"]`),
	))
	// A mark on the window survives htmx swaps and dies with a page load.
	_, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.calMark = "same page"`))
	require.NoError(t, err)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`a[rel=next]`),
		chromedp.WaitVisible(`th[data-date="`+booking.FormatDate(next)+`"]`),
		chromedp.WaitVisible(cell(next.AddDate(0, 0, 4))+`[data-kind=stay]`),
	))
	webtest.Screenshot(t, ctx, "calendar-next-month")
	mark, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.calMark || ""`))
	require.NoError(t, err)
	require.Equal(t, "same page", mark, "htmx swapped the grid; the page did not reload")
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(loc, "/admin/calendar?month="+next.Format("2006-01")), loc)
	text, err := chromedp.Run(ctx, chromedp.Text(cell(next.AddDate(0, 0, 4))))
	require.NoError(t, err)
	require.Contains(t, text, "Elena Paz")

	// A free night opens the form in the panel, with the night filled in.
	in := next.AddDate(0, 0, 10)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(cell(in)+` a`),
		chromedp.WaitVisible(`#cal-panel form.cal-form`),
	))
	mark, err = chromedp.Run(ctx, chromedp.Evaluate[string](`window.calMark || ""`))
	require.NoError(t, err)
	require.Equal(t, "same page", mark, "the form opened in place")
	got, err := chromedp.Run(ctx, chromedp.Value(`#cal-f-check_in`))
	require.NoError(t, err)
	require.Equal(t, booking.FormatDate(in), got)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SetValue(`#cal-f-check_out`, booking.FormatDate(in.AddDate(0, 0, 3))),
		chromedp.SendKeys(`#cal-f-block_note`, "Arreglo de la galería"),
	))
	webtest.Screenshot(t, ctx, "calendar-form-in-place")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`button[formaction="/admin/blocks"]`),
		chromedp.WaitVisible(`.flash`),
		chromedp.WaitVisible(cell(in)+`[data-kind=block]`),
	))
	webtest.Screenshot(t, ctx, "calendar-block-created")
	text, err = chromedp.Run(ctx, chromedp.Text(cell(in)))
	require.NoError(t, err)
	require.Contains(t, text, "Arreglo de la galería")

	// The block opens in the panel; its button frees the nights.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(cell(in)+` a.cal-bar`),
		chromedp.WaitVisible(`#cal-panel .cal-blockcard`),
	))
	webtest.Screenshot(t, ctx, "calendar-block-panel")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`#cal-panel button.danger`),
		chromedp.WaitVisible(`.flash`),
		chromedp.WaitVisible(cell(in)+`.cal-free`),
	))
	flash, err := chromedp.Run(ctx, chromedp.Text(`.flash`))
	require.NoError(t, err)
	require.Contains(t, flash, "Bloqueo eliminado")
}
