package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"alojamientos/internal/booking"
)

// The quote phase (issue 12: a foreign currency costs nothing): the public
// quote API for a property priced in dollars, whose account has a dollar
// rate (so every answer converts to pesos at today's rate), against the same
// quote for an identical property priced in pesos, in alternating halves
// through the full server. The figure is the ratio of the two throughputs.

const quoteRate = 11_855_000 // $ 1.185,50, in ten-thousandths of a peso

// quoteSeed adds the two properties to the bench account with the same
// prices and rules, and a dollar rate, and returns their ids (USD, ARS).
func quoteSeed(ctx context.Context, dbURL string) (usd, ars int64, err error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, 0, fmt.Errorf("bench: quote seed: connect: %w", err)
	}
	defer conn.Close(context.Background())
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		var account int64
		if err := tx.QueryRow(ctx, `INSERT INTO accounts (slug, name) VALUES ('bench', 'Bench')
			ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`).Scan(&account); err != nil {
			return fmt.Errorf("account: %w", err)
		}
		for _, p := range []struct {
			currency string
			id       *int64
		}{{"USD", &usd}, {"ARS", &ars}} {
			if err := tx.QueryRow(ctx, `INSERT INTO properties (account_id, slug, name, capacity, included_guests,
					base_price, cleaning_fee, hold_minutes, min_nights, currency)
				VALUES ($1, $2, $3, 4, 2, 120, 25, 30, 1, $4)
				ON CONFLICT (slug) DO UPDATE SET account_id = EXCLUDED.account_id, currency = EXCLUDED.currency,
					base_price = 120, cleaning_fee = 25, active = true
				RETURNING id`, account, "bench-quote-"+strings.ToLower(p.currency), "Bench quote "+p.currency, p.currency).Scan(p.id); err != nil {
				return fmt.Errorf("property %s: %w", p.currency, err)
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO exchange_rates (account_id, currency, rate_e4, quote_e4, kind, source, created_at)
			VALUES ($1, 'USD', $2, $2, 'manual', 'manual', now())`, account, quoteRate)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("bench: quote seed: %w", err)
	}
	return usd, ars, nil
}

// quoteResult is what the quote phase measured.
type quoteResult struct {
	usd, ars phaseResult
}

// quoteBench seeds, checks one answer of each (the dollar one converts to
// pesos, the peso one does not) and measures both in alternating halves
// after an uncounted second of each.
func quoteBench(ctx context.Context, baseURL, dbURL string, d time.Duration) (quoteResult, error) {
	var res quoteResult
	usd, ars, err := quoteSeed(ctx, dbURL)
	if err != nil {
		return res, err
	}
	in := time.Now().AddDate(0, 7, 0)
	q := url.Values{"check_in": {booking.FormatDate(in)}, "check_out": {booking.FormatDate(in.AddDate(0, 0, 3))}, "guests": {"2"}}
	cb := &calBench{name: "quote", client: newClient(calClients * 2), base: baseURL}
	usdPath := fmt.Sprintf("/api/v1/properties/%d/quote?%s", usd, q.Encode())
	arsPath := fmt.Sprintf("/api/v1/properties/%d/quote?%s", ars, q.Encode())
	sizes := map[string]int{}
	for path, wantRate := range map[string]bool{usdPath: true, arsPath: false} {
		status, body, err := cb.get(ctx, path)
		if err != nil {
			return res, fmt.Errorf("bench: quote: %w", err)
		}
		if status != http.StatusOK || bytes.Contains(body, []byte(`"exchange_rate"`)) != wantRate {
			return res, fmt.Errorf("bench: quote: GET %s answered %d (exchange rate expected: %v): %s", path, status,
				wantRate, truncate(string(body), 300))
		}
		sizes[path] = len(body)
	}
	cb.run(ctx, usdPath, time.Second, sizes[usdPath])
	cb.run(ctx, arsPath, time.Second, sizes[arsPath])
	// ABBA: the dollar quote first in the first half and last in the
	// second, so a drift of the machine's load favours neither.
	for half := 1; half <= 2; half++ {
		var u, a phaseResult
		if half == 1 {
			u = cb.run(ctx, usdPath, d/2, sizes[usdPath])
			a = cb.run(ctx, arsPath, d/2, sizes[arsPath])
		} else {
			a = cb.run(ctx, arsPath, d/2, sizes[arsPath])
			u = cb.run(ctx, usdPath, d/2, sizes[usdPath])
		}
		logf("quote half %d, %d clients: %d in USD, %d in ARS", half, calClients, u.ok, a.ok)
		res.usd.add(u)
		res.ars.add(a)
		if err := ctx.Err(); err != nil {
			return res, err
		}
	}
	return res, nil
}

func (r quoteResult) print(w io.Writer) {
	if r.usd.elapsed == 0 {
		return
	}
	fig(w, "quote_usd_rate", fmt.Sprintf("%.0f", r.usd.rate()), "req/s")
	fig(w, "quote_ars_rate", fmt.Sprintf("%.0f", r.ars.rate()), "req/s")
	if r.ars.rate() > 0 {
		fig(w, "quote_usd_vs_ars", fmt.Sprintf("%.2f", r.usd.rate()/r.ars.rate()), "ratio")
	}
	fig(w, "quote_usd_p99", fmt.Sprintf("%.0f", ms(percentile(r.usd.lat, 0.99))), "ms")
	for _, p := range []struct {
		name string
		res  phaseResult
	}{{"quote USD", r.usd}, {"quote ARS", r.ars}} {
		if n := p.res.failed(); n > 0 {
			logf("warning: %d %s requests failed:", n, p.name)
			for k, c := range p.res.failures {
				fmt.Fprintf(os.Stderr, "  %s × %d, first: %s\n", k, c, truncate(p.res.samples[k], 300))
			}
		}
	}
}

// failed is how many quotes were not a full 200.
func (r quoteResult) failed() int { return r.usd.failed() + r.ars.failed() }
