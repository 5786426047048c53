package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"alojamientos/internal/auth"
	"alojamientos/internal/booking"
)

// The calendar phase: the owner's three-month grid of 20 properties, about
// two thirds of its nights taken, read by calClients signed-in browsers at
// once; the baseline is a file of exactly the page's size served by the same
// server (/media), measured in alternating halves.

const (
	calProps   = 20
	calClients = 16
	calMonths  = 3
	calSlug    = "bench-cal"
	calEmail   = "duena@bench-cal.example"
	calTZ      = "America/Argentina/Buenos_Aires"
)

var calGuests = []string{"Marta Gómez", "Raúl Díaz", "Lucía Fernández", "Juan Pérez", "Sofía Ruiz", "Carlos Benítez",
	"Ana López", "Diego Martínez", "Valentina Sosa", "Matías Romero", "Camila Torres", "Nicolás Álvarez"}

// calSeed writes the calendar account straight into the database: an owner
// with a fresh password, calProps properties, and stays, holds and blocks
// over the calMonths months from the first of this month (local time).
// It returns the owner's password and the share of nights taken.
func calSeed(ctx context.Context, dbURL string, first, today time.Time) (string, float64, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return "", 0, fmt.Errorf("bench: calendar seed: connect: %w", err)
	}
	defer conn.Close(context.Background())
	password := "bench-" + rand.Text()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", 0, fmt.Errorf("bench: calendar seed: %w", err)
	}
	end := first.AddDate(0, calMonths, 0)
	nights := booking.NightsBetween(first, end)
	taken := 0
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		account, ids, err := calAccount(ctx, tx, hash)
		if err != nil {
			return err
		}
		var batch pgx.Batch
		taken = calStays(&batch, account, ids, calRange{first: first, end: end, today: today, now: time.Now().UTC()})
		return tx.SendBatch(ctx, &batch).Close()
	})
	if err != nil {
		return "", 0, fmt.Errorf("bench: calendar seed: %w", err)
	}
	return password, float64(taken) / float64(nights*calProps), nil
}

// calAccount creates or refreshes the calendar account, its owner (with the
// password hash of this run) and its calProps properties, and empties their
// nights: a debugging database may hold a previous run's. It returns the
// account and property ids.
func calAccount(ctx context.Context, tx pgx.Tx, hash string) (int64, []int64, error) {
	var account int64
	if err := tx.QueryRow(ctx, `INSERT INTO accounts (slug, name, timezone) VALUES ($1, 'Cabañas del Bench', $2)
		ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone RETURNING id`,
		calSlug, calTZ).Scan(&account); err != nil {
		return 0, nil, fmt.Errorf("account: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO users (account_id, email, name, password_hash, role)
		VALUES ($1, $2, 'Dueña del Bench', $3, 'owner')
		ON CONFLICT (email) DO UPDATE SET account_id = EXCLUDED.account_id, password_hash = EXCLUDED.password_hash,
			role = 'owner'`, account, calEmail, hash); err != nil {
		return 0, nil, fmt.Errorf("owner: %w", err)
	}
	var ids []int64
	for i := range calProps {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO properties (account_id, slug, name, capacity, included_guests, base_price)
			VALUES ($1, $2, $3, 4, 2, 10000)
			ON CONFLICT (slug) DO UPDATE SET account_id = EXCLUDED.account_id, active = true RETURNING id`,
			account, fmt.Sprintf("%s-%02d", calSlug, i), fmt.Sprintf("Cabaña %02d", i+1)).Scan(&id); err != nil {
			return 0, nil, fmt.Errorf("property %d: %w", i, err)
		}
		ids = append(ids, id)
	}
	for _, q := range []string{
		`DELETE FROM reservations WHERE property_id = ANY($1)`,
		`DELETE FROM occupancy WHERE property_id = ANY($1)`,
	} {
		if _, err := tx.Exec(ctx, q, ids); err != nil {
			return 0, nil, fmt.Errorf("reset: %w", err)
		}
	}
	return account, ids, nil
}

// calRange is the span calStays fills: [first, end), with holds only from
// today on, expiring three hours after now.
type calRange struct {
	first, end, today, now time.Time
}

// calStays queues, for every property, stays, holds and blocks separated by
// 0 to 4 free nights until the end of the range, and returns how many nights
// they take. The same nights every run: a fixed seed.
func calStays(batch *pgx.Batch, account int64, ids []int64, rg calRange) int {
	rng := mrand.New(mrand.NewPCG(2026, 3))
	taken := 0
	for _, id := range ids {
		for d := rg.first; ; {
			d = d.AddDate(0, 0, rng.IntN(5)) // 0 to 4 free nights
			kind, n := "stay", 2+rng.IntN(6)
			switch r := rng.IntN(100); {
			case r < 12 && !d.Before(rg.today):
				kind, n = "hold", 1+rng.IntN(3)
			case r < 25:
				kind, n = "block", 1+rng.IntN(4)
			}
			out := d.AddDate(0, 0, n)
			if !out.Before(rg.end) {
				break
			}
			taken += n
			if kind == "block" {
				batch.Queue(`INSERT INTO occupancy (property_id, nights, kind, note)
					VALUES ($1, daterange($2::date, $3::date), 'block', 'Mantenimiento')`, id, d, out)
			} else {
				calQueueReservation(batch, rng, account, id, d, n, kind == "hold", rg.now)
			}
			d = out
		}
	}
	return taken
}

// calQueueReservation queues one reservation of n nights from in: a
// confirmed stay, or a hold expiring three hours after now.
func calQueueReservation(batch *pgx.Batch, rng *mrand.Rand, account, id int64, in time.Time, n int, hold bool, now time.Time) {
	out := in.AddDate(0, 0, n)
	status, expires := "confirmed", (*time.Time)(nil)
	if hold {
		e := now.Add(3 * time.Hour)
		status, expires = "pre_reserved", &e
	}
	batch.Queue(`WITH occ AS (
			INSERT INTO occupancy (property_id, nights, kind)
			VALUES ($1, daterange($2::date, $3::date), 'reservation') RETURNING id)
		INSERT INTO reservations (code, account_id, property_id, occupancy_id, check_in, check_out, guests,
			guest_name, guest_phone, channel, status, hold_expires_at, price_breakdown, total, deposit,
			currency, guest_token)
		SELECT $4, $5, $1, occ.id, $2, $3, 2, $6, '+5491155550000', 'direct', $7, $8, '{}', $9, $10,
			'ARS', $11
		FROM occ`,
		// Booked four months ahead: a code's date part is its day of
		// creation, and no other phase creates codes of those days
		// (the pre-reservations of this run take tens of thousands of today's).
		id, in, out, booking.NewCode(in.AddDate(0, -4, 0)), account, calGuests[rng.IntN(len(calGuests))],
		status, expires,
		n*10000, n*3000, booking.NewGuestToken())
}

// calBench is the signed-in clients and the two URLs they read.
type calBench struct {
	name    string // figure prefix: calendar, property_page, quote_fragment
	hx      bool   // ask as htmx does, for fragments
	client  *http.Client
	base    string
	cookie  string
	page    string // the calendar, three months
	media   string // "" when there is no same-size file to serve
	size    int
	entries int // bars on the page
}

// calLogin signs in once through the login form, as a browser does: the CSRF
// cookie from GET /login, then POST /login with it. Every client shares the
// session, so the login throttle (per account and per IP, kept in Redis
// across runs) never gets near its limits however often the bench runs.
func calLogin(ctx context.Context, client *http.Client, base, password string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("bench: GET /login: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	var csrf string
	for _, c := range resp.Cookies() {
		if c.Name == "aloj_csrf" {
			csrf = c.Value
		}
	}
	if csrf == "" {
		return "", fmt.Errorf("bench: GET /login set no aloj_csrf cookie (status %d)", resp.StatusCode)
	}
	form := url.Values{"_csrf": {csrf}, "email": {calEmail}, "password": {password}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "aloj_csrf", Value: csrf})
	resp, err = client.Do(req)
	if err != nil {
		return "", fmt.Errorf("bench: POST /login: %w", err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "aloj_session" && resp.StatusCode == http.StatusSeeOther {
			return "aloj_csrf=" + csrf + "; aloj_session=" + c.Value, nil
		}
	}
	return "", fmt.Errorf("bench: POST /login answered %d without a session: %s", resp.StatusCode, truncate(string(body), 200))
}

// newCalBench seeds, signs in, reads the page once and writes the
// same-size file into dataDir/photos ("" when the server's data folder is
// not known, as with BENCH_ADDR and no BENCH_DATA_DIR).
func newCalBench(ctx context.Context, baseURL, dbURL, dataDir string) (*calBench, error) {
	loc, err := time.LoadLocation(calTZ)
	if err != nil {
		return nil, fmt.Errorf("bench: calendar: %w", err)
	}
	today := booking.LocalDate(time.Now(), loc)
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	password, share, err := calSeed(ctx, dbURL, first, today)
	if err != nil {
		return nil, err
	}
	logf("calendar: seeded %d properties, %.0f%% of %d nights taken", calProps, share*100,
		calProps*booking.NightsBetween(first, first.AddDate(0, calMonths, 0)))

	cb := &calBench{name: "calendar", client: newClient(calClients * 2), base: baseURL,
		page: fmt.Sprintf("/admin/calendar?month=%s&months=%d", first.Format("2006-01"), calMonths)}
	// Redirects are answers to count, not to follow (a lost session would
	// otherwise measure the login page).
	cb.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if cb.cookie, err = calLogin(ctx, cb.client, baseURL, password); err != nil {
		return nil, err
	}
	status, body, err := cb.get(ctx, cb.page)
	if err != nil {
		return nil, fmt.Errorf("bench: calendar: %w", err)
	}
	rows := bytes.Count(body, []byte("<tr data-property="))
	if status != http.StatusOK || rows != calProps {
		return nil, fmt.Errorf("bench: calendar: GET %s answered %d with %d property rows, not 200 with %d: %s",
			cb.page, status, rows, calProps, truncate(string(body), 300))
	}
	cb.size = len(body)
	cb.entries = bytes.Count(body, []byte(`data-kind="`))

	return cb, cb.sameSizeFile(ctx, dataDir)
}

// sameSizeFile writes a file of exactly the page's size where the server
// serves photos (dataDir/photos) and checks it is served: the baseline.
func (cb *calBench) sameSizeFile(ctx context.Context, dataDir string) error {
	if dataDir == "" {
		logf("%s: warning: the server's DATA_DIR is unknown (set BENCH_DATA_DIR); no same-size static baseline", cb.name)
		return nil
	}
	name := randomHex(16) + ".png"
	photos := filepath.Join(dataDir, "photos")
	if err := os.MkdirAll(photos, 0o755); err != nil {
		return fmt.Errorf("bench: %s: %w", cb.name, err)
	}
	// A PNG signature, then filler: the server only serves names and
	// extensions it knows, and the size is what matters.
	file := bytes.Repeat([]byte{'x'}, cb.size)
	copy(file, "\x89PNG\r\n\x1a\n")
	if err := os.WriteFile(filepath.Join(photos, name), file, 0o644); err != nil {
		return fmt.Errorf("bench: %s: %w", cb.name, err)
	}
	hx := cb.hx
	cb.hx = false
	status, body, err := cb.get(ctx, "/media/"+name)
	cb.hx = hx
	switch {
	case err != nil:
		return fmt.Errorf("bench: %s: static baseline: %w", cb.name, err)
	case status != http.StatusOK || len(body) != cb.size:
		logf("%s: warning: GET /media/%s answered %d with %d bytes (want 200 with %d); no same-size static baseline",
			cb.name, name, status, len(body), cb.size)
	default:
		cb.media = "/media/" + name
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (cb *calBench) get(ctx context.Context, path string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cb.base+path, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "text/html")
	if cb.cookie != "" {
		req.Header.Set("Cookie", cb.cookie)
	}
	if cb.hx {
		req.Header.Set("HX-Request", "true")
	}
	resp, err := cb.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// run has calClients clients read path back to back for d. An answer counts
// when it is a 200 of at least minSize bytes.
func (cb *calBench) run(ctx context.Context, path string, d time.Duration, minSize int) phaseResult {
	deadline := time.Now().Add(d)
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		res = phaseResult{failures: map[string]int{}, samples: map[string]string{}}
	)
	start := time.Now()
	for range calClients {
		wg.Go(func() {
			mine := phaseResult{failures: map[string]int{}, samples: map[string]string{}}
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				status, body, err := cb.get(ctx, path)
				lat := time.Since(t0)
				if ctx.Err() != nil {
					break
				}
				mine.lat = append(mine.lat, lat)
				switch {
				case err != nil:
					mine.fail("transport error", err.Error())
				case status != http.StatusOK:
					mine.fail(fmt.Sprint(status), truncate(string(body), 300))
				case len(body) < minSize:
					mine.fail("short answer", fmt.Sprintf("%d bytes", len(body)))
				default:
					mine.ok++
				}
			}
			mu.Lock()
			res.add(mine)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// calResult is what the calendar phase measured.
type calResult struct {
	name         string
	page, static phaseResult
	size         int
	hasStatic    bool
}

// measure alternates halves of the page and the same-size file, after an
// uncounted second of each.
func (cb *calBench) measure(ctx context.Context, d time.Duration) (calResult, error) {
	res := calResult{name: cb.name, size: cb.size, hasStatic: cb.media != ""}
	// Pages differ by a few bytes as holds' "vence en N min" count down.
	minPage := cb.size * 9 / 10
	cb.run(ctx, cb.page, time.Second, minPage)
	if res.hasStatic {
		cb.run(ctx, cb.media, time.Second, cb.size)
	}
	for half := 1; half <= 2; half++ {
		p := cb.run(ctx, cb.page, d/2, minPage)
		logf("%s half %d, %d clients: %d pages in %s", cb.name, half, calClients, p.ok, p.elapsed.Round(time.Millisecond))
		res.page.add(p)
		if res.hasStatic {
			s := cb.run(ctx, cb.media, d/2, cb.size)
			logf("static same size half %d: %d files in %s", half, s.ok, s.elapsed.Round(time.Millisecond))
			res.static.add(s)
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
	}
	logf("%s: %d bytes, %d entries, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", cb.name, cb.size, cb.entries,
		ms(percentile(res.page.lat, 0.5)), ms(percentile(res.page.lat, 0.9)), ms(percentile(res.page.lat, 0.99)),
		ms(percentile(res.page.lat, 1)))
	return res, nil
}

func (r calResult) print(w io.Writer) {
	fig := func(name, value, unit string) { fmt.Fprintf(w, "BENCH %s %s %s\n", name, value, unit) }
	fig(r.name+"_rate", fmt.Sprintf("%.0f", r.page.rate()), "req/s")
	fig(r.name+"_p99", fmt.Sprintf("%.0f", ms(percentile(r.page.lat, 0.99))), "ms")
	if r.hasStatic {
		fig(r.name+"_static_same_size_rate", fmt.Sprintf("%.0f", r.static.rate()), "req/s")
		if r.static.rate() > 0 {
			fig(r.name+"_vs_static", fmt.Sprintf("%.2f", r.page.rate()/r.static.rate()), "ratio")
		}
	}
	fig(r.name+"_bytes", fmt.Sprint(r.size), "bytes")
	for _, p := range []struct {
		name string
		res  phaseResult
	}{{r.name, r.page}, {r.name + " static same size", r.static}} {
		if n := p.res.failed(); n > 0 {
			logf("warning: %d %s requests failed:", n, p.name)
			for k, c := range p.res.failures {
				fmt.Fprintf(os.Stderr, "  %s × %d, first: %s\n", k, c, truncate(p.res.samples[k], 300))
			}
		}
	}
}
