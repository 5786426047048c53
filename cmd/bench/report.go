package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
)

// phaseResult is one throughput measurement; halves are summed with add.
type phaseResult struct {
	ok       int
	elapsed  time.Duration
	lat      []time.Duration
	failures map[string]int    // answer class → count
	samples  map[string]string // answer class → first body seen
}

func (p *phaseResult) add(o phaseResult) {
	p.ok += o.ok
	p.elapsed += o.elapsed
	p.lat = append(p.lat, o.lat...)
	for k, n := range o.failures {
		if p.failures == nil {
			p.failures, p.samples = map[string]int{}, map[string]string{}
		}
		p.failures[k] += n
		if _, seen := p.samples[k]; !seen {
			p.samples[k] = o.samples[k]
		}
	}
}

func (p *phaseResult) fail(class, detail string) {
	p.failures[class]++
	if _, seen := p.samples[class]; !seen {
		p.samples[class] = detail
	}
}

func (p *phaseResult) failed() int {
	n := 0
	for _, c := range p.failures {
		n += c
	}
	return n
}

// rate is successes per second over the time the phase really took,
// stragglers included.
func (p *phaseResult) rate() float64 {
	if p.elapsed <= 0 {
		return 0
	}
	return float64(p.ok) / p.elapsed.Seconds()
}

// percentile is the nearest-rank percentile: a latency that q of the
// requests did not exceed.
func percentile(lat []time.Duration, q float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	rank := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(rank, len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

type report struct {
	raw, raw50, holdSQL, http phaseResult
	storm                     stormResult
	cal                       calResult
	pages                     []calResult // guest pages
	quote                     quoteResult // the quote API, USD against ARS
	webhook                   phaseResult // Mercado Pago notifications (ok = 200)
	waWebhook                 phaseResult // WhatsApp deliveries (ok = 200)
	assistant                 assistantResult
}

// print writes the BENCH lines to w and the details a failure needs to
// stderr.
func (r report) print(w io.Writer) {
	r.printHolds(w)
	if r.webhook.elapsed > 0 {
		printWebhook(w, "webhook", r.webhook, r.http, 0)
	}
	if r.waWebhook.elapsed > 0 {
		printWebhook(w, "wa_webhook", r.waWebhook, r.http, 300)
	}
	r.assistant.print(w)
	r.cal.print(w)
	for _, p := range r.pages {
		p.print(w)
	}
	r.quote.print(w)
	r.logHolds()
}

// fig writes one figure: `BENCH <name> <value> <unit>`.
func fig(w io.Writer, name, value, unit string) {
	fmt.Fprintf(w, "BENCH %s %s %s\n", name, value, unit)
}

// printHolds writes the figures of the SQL baselines, the pre-reservations
// and the storm; the ratios are the headline, so a slow machine still
// compares the server with itself.
func (r report) printHolds(w io.Writer) {
	ratio := 0.0
	if r.raw.rate() > 0 {
		ratio = r.http.rate() / r.raw.rate()
	}
	fig(w, "raw_insert_rate", fmt.Sprintf("%.0f", r.raw.rate()), "ops/s")
	fig(w, "prereserve_rate", fmt.Sprintf("%.0f", r.http.rate()), "ops/s")
	fig(w, "prereserve_vs_raw_insert", fmt.Sprintf("%.2f", ratio), "ratio")
	fig(w, "raw_insert_50_rate", fmt.Sprintf("%.0f", r.raw50.rate()), "ops/s")
	if r.raw.rate() > 0 {
		fig(w, "hold_sql_rate", fmt.Sprintf("%.0f", r.holdSQL.rate()), "ops/s")
		fig(w, "hold_sql_vs_raw_insert", fmt.Sprintf("%.2f", r.holdSQL.rate()/r.raw.rate()), "ratio")
	}
	if r.raw50.rate() > 0 {
		fig(w, "prereserve_vs_raw_insert_50", fmt.Sprintf("%.2f", r.http.rate()/r.raw50.rate()), "ratio")
	}
	fig(w, "prereserve_p50", fmt.Sprintf("%.1f", ms(percentile(r.http.lat, 0.50))), "ms")
	fig(w, "prereserve_p99", fmt.Sprintf("%.0f", ms(percentile(r.http.lat, 0.99))), "ms")
	fig(w, "storm_p99", fmt.Sprintf("%.0f", ms(percentile(r.storm.lat, 0.99))), "ms")
	fig(w, "storm_rounds_ok", fmt.Sprint(r.storm.roundsOK), "count")
	fig(w, "prereserve_errors", fmt.Sprint(r.http.failed()), "count")
	fig(w, "storm_violations", fmt.Sprint(r.storm.violations), "count")
}

// printWebhook writes one webhook phase's figures, compared with the
// pre-reservations of the same run, and logs its failures (samples cut to
// sampleLen characters; 0 keeps them whole).
func printWebhook(w io.Writer, name string, p, http phaseResult, sampleLen int) {
	fig(w, name+"_rate", fmt.Sprintf("%.0f", p.rate()), "req/s")
	fig(w, name+"_p99", fmt.Sprintf("%.0f", ms(percentile(p.lat, 0.99))), "ms")
	if http.rate() > 0 {
		fig(w, name+"_vs_prereserve", fmt.Sprintf("%.2f", p.rate()/http.rate()), "ratio")
	}
	fig(w, name+"_errors", fmt.Sprint(p.failed()), "count")
	for k, n := range p.failures {
		sample := p.samples[k]
		if sampleLen > 0 {
			sample = truncate(sample, sampleLen)
		}
		logf("%s: %d answers %s, e.g. %s", name, n, k, sample)
	}
}

// print writes the assistant's figures, if it ran, and warns of its failures.
func (a assistantResult) print(w io.Writer) {
	if a.reply.elapsed == 0 {
		return
	}
	p50 := percentile(a.reply.lat, 0.50)
	fig(w, "assistant_reply_p50", fmt.Sprintf("%.1f", ms(p50)), "ms")
	fig(w, "assistant_reply_p95", fmt.Sprintf("%.1f", ms(percentile(a.reply.lat, 0.95))), "ms")
	if rt := percentile(a.roundtrip.lat, 0.50); rt > 0 {
		fig(w, "assistant_reply_vs_roundtrip", fmt.Sprintf("%.1f", float64(p50)/float64(rt)), "ratio")
	}
	for _, p := range []struct {
		name string
		res  phaseResult
	}{{"assistant", a.reply}, {"assistant SELECT 1", a.roundtrip}} {
		for k, n := range p.res.failures {
			logf("warning: %s: %d × %s, first: %s", p.name, n, k, truncate(p.res.samples[k], 300))
		}
	}
}

// logHolds logs the pre-reservation and storm latencies, and every failed
// pre-reservation and storm round, to stderr.
func (r report) logHolds() {
	logf("prereserve: %d created, %d requests, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
		r.http.ok, len(r.http.lat), ms(percentile(r.http.lat, 0.5)), ms(percentile(r.http.lat, 0.9)),
		ms(percentile(r.http.lat, 0.99)), ms(percentile(r.http.lat, 1)))
	logf("storm: %d/%d rounds ok, %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
		r.storm.roundsOK, r.storm.rounds, len(r.storm.lat), ms(percentile(r.storm.lat, 0.5)),
		ms(percentile(r.storm.lat, 0.99)), ms(percentile(r.storm.lat, 1)))
	if n := r.http.failed(); n > 0 {
		logf("warning: %d pre-reservations of free nights were not 201:", n)
		classes := make([]string, 0, len(r.http.failures))
		for k := range r.http.failures {
			classes = append(classes, k)
		}
		sort.Strings(classes)
		for _, k := range classes {
			fmt.Fprintf(os.Stderr, "  %s × %d, first: %s\n", k, r.http.failures[k], truncate(r.http.samples[k], 300))
		}
	}
	if r.storm.violations > 0 {
		logf("warning: storm rounds did not end with exactly one 201 and the rest 409:")
		for _, d := range r.storm.details {
			fmt.Fprintln(os.Stderr, "  "+d)
		}
	}
}

// failedChecks fails the run after the figures are printed, so a server
// that answers fast but wrongly cannot pass as a good result.
type failedChecks struct {
	prereserveErrors, stormViolations, stormRounds, calendarErrors int
	waWebhookErrors, assistantErrors                               int
}

func (f *failedChecks) Error() string {
	return fmt.Sprintf("FAIL: %d prereserve errors, %d storm violations, %d/%d storm rounds ran, %d page errors, "+
		"%d WhatsApp webhook errors, %d assistant errors",
		f.prereserveErrors, f.stormViolations, f.stormRounds, stormRounds, f.calendarErrors, f.waWebhookErrors,
		f.assistantErrors)
}

func (r report) check() error {
	f := &failedChecks{prereserveErrors: r.http.failed(), stormViolations: r.storm.violations,
		stormRounds: r.storm.rounds, calendarErrors: r.cal.page.failed() + r.cal.static.failed(),
		waWebhookErrors: r.waWebhook.failed(),
		assistantErrors: r.assistant.reply.failed() + r.assistant.roundtrip.failed()}
	pagesOK := true
	for _, p := range r.pages {
		f.calendarErrors += p.page.failed() + p.static.failed()
		pagesOK = pagesOK && p.page.ok > 0
	}
	f.calendarErrors += r.quote.failed()
	pagesOK = pagesOK && (r.quote.usd.elapsed == 0 || (r.quote.usd.ok > 0 && r.quote.ars.ok > 0))
	if f.prereserveErrors > 0 || f.stormViolations > 0 || f.stormRounds != stormRounds || r.http.ok == 0 ||
		f.calendarErrors > 0 || r.cal.page.ok == 0 || !pagesOK || f.waWebhookErrors > 0 ||
		(r.waWebhook.elapsed > 0 && r.waWebhook.ok == 0) || f.assistantErrors > 0 || r.assistant.reply.ok == 0 {
		return f
	}
	return nil
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
