package web_test

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// A phone-sized viewport, as most guests arrive from a link in WhatsApp.
const phoneW, phoneH = 390, 844

func TestBrowserGuestBooksFromAPhone(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t, func(p *dbq.CreatePropertyParams) {
		p.Name = "Cabaña El Arrayán"
		p.CleaningFee = money.FromUnits(5000)
		p.ExtraGuestFee = money.FromUnits(2000)
		p.MinNights = 2
	})
	ctx := webtest.Browser(t, phoneW, phoneH)
	nextMonth := booking.LocalDate(s.Clock.Now(), s.Booking.Locations.Get("America/Argentina/Buenos_Aires")).AddDate(0, 1, 0)
	nextMonth = nextMonth.AddDate(0, 0, 1-nextMonth.Day())
	in := nextMonth.AddDate(0, 0, 9)
	out := in.AddDate(0, 0, 3)
	day := func(d time.Time) string { return `td.day a[aria-label^="` + dayLabel(d) + `"]` }

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/p/"+p.Slug),
		chromedp.WaitVisible(`#reserva`),
	))
	webtest.Screenshot(t, ctx, "1-property")
	const captionJS = `document.querySelector('table.month caption').textContent`
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](captionJS))
	require.NoError(t, err)

	// Move a month: htmx swaps the box, the page stays.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(`#mes-siguiente`)))
	require.NoError(t, poll(ctx, captionJS+` !== '`+first+`'`))
	caption, err := chromedp.Run(ctx, chromedp.Evaluate[string](captionJS))
	require.NoError(t, err)
	require.NotEqual(t, first, caption)

	// Pick arrival, then departure.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(day(in)), chromedp.WaitVisible(`td.day.start`)))
	hint, err := chromedp.Run(ctx, chromedp.Text(`#hint`))
	require.NoError(t, err)
	require.Equal(t, "Ahora elegí la fecha de salida.", hint)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(day(out)), chromedp.WaitVisible(`#quote-total`)))
	total, err := chromedp.Run(ctx, chromedp.Text(`#quote-total`))
	require.NoError(t, err)
	require.Equal(t, "$ 35.000,00", total) // 3 × 10.000 + 5.000 cleaning
	webtest.Screenshot(t, ctx, "2-quote")

	// One more guest: the quote changes without a reload.
	require.NoError(t, chromedp.Do(ctx, chromedp.SetValue(`#guests`, "3")))
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#guests').dispatchEvent(new Event('change', {bubbles: true}))`))
	require.NoError(t, err)
	require.NoError(t, poll(ctx, `!!document.querySelector('#quote-total') && document.querySelector('#quote-total').textContent === '$ 41.000,00'`))

	// A mistake in the phone: the error appears beside it and nothing typed is lost.
	require.NoError(t, chromedp.Do(ctx,
		webtest.HTMXIdle(), // typed during the quote's swap, the first letter went to the old field
		chromedp.SendKeys(`#guest_name`, "Lucía Fernández"),
		chromedp.SendKeys(`#guest_phone`, "555"),
		chromedp.Click(`#accept_terms`),
		chromedp.Click(`#reservar`),
		chromedp.WaitVisible(`#guest_phone-error`),
	))
	webtest.Screenshot(t, ctx, "3-form-error")
	name, err := chromedp.Run(ctx, chromedp.Value(`#guest_name`))
	require.NoError(t, err)
	require.Equal(t, "Lucía Fernández", name)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Clear(`#guest_phone`),
		chromedp.SendKeys(`#guest_phone`, "11 5555-1234"),
		chromedp.Click(`#reservar`),
		chromedp.WaitVisible(`#tiempo-restante`),
	))
	webtest.Screenshot(t, ctx, "4-reservation")
	left, err := chromedp.Run(ctx, chromedp.Text(`#tiempo-restante`))
	require.NoError(t, err)
	require.Regexp(t, `^(30:00|29:[0-5]\d)$`, left)
	status, err := chromedp.Run(ctx, chromedp.Text(`#estado h2`))
	require.NoError(t, err)
	require.Equal(t, "Reserva pendiente de seña", status)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	require.Regexp(t, `/r/RES\d{6}[0-9A-F]{6}\?t=[0-9a-f]{32}$`, loc)
}

func TestBrowserTwoGuestsRaceForTheSameNights(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	in := s.Today().AddDate(0, 0, 6)
	q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 2))}, "guests": {"2"}}
	pageURL := s.URL + "/p/" + p.Slug + "?" + q.Encode()

	browsers := []context.Context{webtest.Browser(t, phoneW, phoneH), webtest.Browser(t, phoneW, phoneH)}
	for i, ctx := range browsers {
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(pageURL),
			chromedp.WaitVisible(`#reservar`),
			chromedp.SendKeys(`#guest_name`, []string{"Ana", "Beto"}[i]),
			chromedp.SendKeys(`#guest_phone`, "11 5555-123"+string(rune('1'+i))),
			chromedp.Click(`#accept_terms`),
		))
	}
	// Both press "Reservar" at the same moment.
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, ctx := range browsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = chromedp.Do(ctx, chromedp.Click(`#reservar`))
			if errs[i] == nil {
				errs[i] = poll(ctx, `!!(document.querySelector('#tiempo-restante') || document.querySelector('#aviso'))`)
			}
		}()
	}
	close(start)
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])

	won, lost := 0, 0
	for i, ctx := range browsers {
		notice, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('#aviso') || {}).textContent || ''`))
		if notice == "" {
			won++
			continue
		}
		lost++
		require.Equal(t, "Esas noches se acaban de ocupar. Elegí otras fechas en el calendario.", notice)
		taken, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('span[aria-label="`+dayLabel(in)+`, ocupada"]')`))
		require.NoError(t, err)
		require.True(t, taken, "the loser's calendar shows the nights taken")
		webtest.Screenshot(t, ctx, "loser-"+string(rune('a'+i)))
	}
	require.Equal(t, 1, won)
	require.Equal(t, 1, lost)
	require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM occupancy WHERE active AND property_id = $1`, p.ID))
}

// poll waits until the JavaScript expression is true in the page. A page
// that navigates meanwhile (htmx's HX-Redirect) makes one evaluation fail;
// that is expected, so it tries again until the test's deadline.
func poll(ctx context.Context, expr string) error {
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("poll %q: %w (last error: %v)", expr, ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
