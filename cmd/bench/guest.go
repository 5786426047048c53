package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"alojamientos/internal/booking"
)

// The guest phase: a property's public page and the booking box fragment
// htmx asks for when a guest picks dates, each read by calClients browsers
// at once and compared with a file of the same size from the same server.
// They use the first property of the calendar account, with its occupancy.

// newGuestBenches prepares both pages and their same-size files.
func newGuestBenches(ctx context.Context, baseURL, dataDir string) ([]*calBench, error) {
	slug := fmt.Sprintf("%s-%02d", calSlug, 0)
	in := time.Now().AddDate(0, 6, 0)
	q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 3))}, "guests": {"2"}}
	benches := []*calBench{
		{name: "property_page", page: "/p/" + slug},
		{name: "quote_fragment", page: "/p/" + slug + "/quote?" + q.Encode(), hx: true},
	}
	for _, b := range benches {
		b.client, b.base = newClient(calClients*2), baseURL
		status, body, err := b.get(ctx, b.page)
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", b.name, err)
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("bench: %s: GET %s answered %d: %s", b.name, b.page, status, truncate(string(body), 300))
		}
		b.size = len(body)
		if err := b.sameSizeFile(ctx, dataDir); err != nil {
			return nil, err
		}
	}
	return benches, nil
}
