package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

func TestBrowserReservationsFilterInPlaceThenCancel(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	jose := rvHold(t, s, p.ID, 3, 5, rvGuest{Name: "José Núñez"})
	maria := rvHold(t, s, p.ID, 6, 8, rvGuest{Name: "María Pérez", Channel: "airbnb"})
	rvMove(t, s, maria, booking.ActionConfirm)
	email, password := s.User(t, "staff")
	ctx := webtest.Browser(t, 1280, 900)
	link := func(code string) string { return `a[href="/admin/reservations/` + code + `"]` }

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/admin/reservations"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, email),
		chromedp.SendKeys(`#password`, password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#reservation-results table`),
		chromedp.WaitVisible(link(jose.Code)),
		chromedp.WaitVisible(link(maria.Code)),
	))
	webtest.Screenshot(t, ctx, "list")

	// Typing in the search box replaces the results in place and puts the filter in the address bar.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(`#f-q`, "maria"),
		chromedp.WaitNotPresent(link(jose.Code)),
		chromedp.WaitVisible(link(maria.Code)),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	require.Equal(t, s.URL+"/admin/reservations?q=maria", loc)
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.res-summary a').getAttribute('href')`))
	require.NoError(t, err)
	require.Equal(t, "/admin/reservations.csv?q=maria", csv, "the export link follows the filter")
	webtest.Screenshot(t, ctx, "list-filtered")

	// A select filters on change; leaving the search box (as a click on a result does) must not
	// re-request, or the swap lands between mousedown and mouseup and eats the click.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#f-estado'); s.value = 'pre_reserved';
			s.dispatchEvent(new Event("change", {bubbles: true})); })()`),
		chromedp.WaitNotPresent(link(maria.Code)),
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#f-estado'); s.value = '';
			s.dispatchEvent(new Event("change", {bubbles: true})); })()`),
		chromedp.WaitVisible(link(maria.Code)),
	))
	loc, err = chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	require.Equal(t, s.URL+"/admin/reservations?q=maria", loc, "an emptied filter leaves the address")

	// Leaving the search box must not re-request (a swap between mousedown and
	// mouseup would eat a click on a result): blur it and count the requests,
	// then open the detail page once htmx is idle.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.filterRequests = 0;
			document.body.addEventListener('htmx:beforeRequest', () => window.filterRequests++);
			document.querySelector('#f-q').blur()`),
		webtest.HTMXIdle(),
	))
	sent, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.filterRequests`))
	require.NoError(t, err)
	require.Zero(t, sent, "leaving the search box sent a filter request")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(link(maria.Code))))
	wait, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(wait, chromedp.WaitVisible(`#cancel-reason`)); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		webtest.Screenshot(t, ctx, "detail-missing")
		t.Fatalf("the click on the result did not open the detail page (at %s): %v", loc, err)
	}
	webtest.Screenshot(t, ctx, "detail")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(`#cancel-reason`, "Cambio de planes"),
		chromedp.Click(`form[action$="/cancel"] button`),
		chromedp.WaitVisible(`.flash`),
	))
	flash, err := chromedp.Run(ctx, chromedp.Text(`.flash`))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(flash, "Reserva cancelada."), flash)
	require.Equal(t, booking.StatusCancelled, rvStatus(t, s, maria.Code))
	webtest.Screenshot(t, ctx, "detail-cancelled")
}
