package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"alojamientos/internal/ical"
)

// The channel feed phase: a property's export feed (/ical/{token}.ics, public,
// served from the in-memory cache) read by calClients channels at once,
// against a same-size static file; then parsing a 5,000-event feed.

// icalResult is what the feed phase measured.
type icalResult struct {
	feed        calResult
	parseMs     float64
	parseAllocs int64
}

func icalBench(ctx context.Context, baseURL, dbURL, dataDir string, d time.Duration) (icalResult, error) {
	var res icalResult
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return res, fmt.Errorf("bench: ical: %w", err)
	}
	var token string
	err = conn.QueryRow(ctx, `SELECT ics_token FROM properties WHERE slug = $1`, fmt.Sprintf("%s-%02d", calSlug, 0)).Scan(&token)
	conn.Close(ctx)
	if err != nil {
		return res, fmt.Errorf("bench: ical: token: %w", err)
	}
	b := &calBench{name: "ical_feed", page: "/ical/" + token + ".ics", client: newClient(calClients * 2), base: baseURL}
	status, body, err := b.get(ctx, b.page)
	if err != nil {
		return res, fmt.Errorf("bench: ical: %w", err)
	}
	if status != http.StatusOK {
		return res, fmt.Errorf("bench: ical: GET %s answered %d: %s", b.page, status, truncate(string(body), 300))
	}
	b.size = len(body)
	b.entries = len(body) / 200
	if err := b.sameSizeFile(ctx, dataDir); err != nil {
		return res, err
	}
	if res.feed, err = b.measure(ctx, d); err != nil {
		return res, err
	}

	// Parsing: a feed of 5,000 events, as a big channel calendar would be.
	events := make([]ical.OutEvent, 5000)
	day := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range events {
		start := day.AddDate(0, 0, i)
		events[i] = ical.OutEvent{UID: "bench-" + strconv.Itoa(i) + "@example.com", Summary: "Reserved",
			Start: start, End: start.AddDate(0, 0, 1), Stamp: day}
	}
	feed := ical.Render("bench", events)
	loc, _ := time.LoadLocation(calTZ)
	br := testing.Benchmark(func(tb *testing.B) {
		tb.ReportAllocs()
		for tb.Loop() {
			c, err := ical.Parse(feed, loc)
			if err != nil || len(c.Events) != 5000 {
				tb.Fatalf("parse: %v", err)
			}
		}
	})
	res.parseMs = float64(br.NsPerOp()) / 1e6
	res.parseAllocs = br.AllocsPerOp()
	logf("ical parse: %d bytes, 5000 events, %.2f ms/op, %d allocs/op over %d runs", len(feed), res.parseMs, res.parseAllocs, br.N)
	return res, nil
}

func (r icalResult) print(w io.Writer) {
	r.feed.print(w)
	fmt.Fprintf(w, "BENCH ical_parse_5000_ms %.2f ms\n", r.parseMs)
	fmt.Fprintf(w, "BENCH ical_parse_5000_allocs %d allocs\n", r.parseAllocs)
}
