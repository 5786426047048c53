package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"sync"
	"time"
)

// kindStats is what one kind of request saw.
type kindStats struct {
	n, ok   int
	lat     []time.Duration
	errs    map[string]int
	samples map[string]string
}

// stats counts every request of the load by kind.
type stats struct {
	mu    sync.Mutex
	kinds map[string]*kindStats
	start time.Time
	end   time.Time
}

func newStats() *stats { return &stats{kinds: map[string]*kindStats{}} }

func (s *stats) kind(k string) *kindStats {
	ks := s.kinds[k]
	if ks == nil {
		ks = &kindStats{errs: map[string]int{}, samples: map[string]string{}}
		s.kinds[k] = ks
	}
	return ks
}

// ok records a request that got the answer the contract promises.
func (s *stats) ok(kind string, lat time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ks := s.kind(kind)
	ks.n++
	ks.ok++
	ks.lat = append(ks.lat, lat)
}

// fail records a request that did not; class groups the errors, sample is
// the first body or error seen of that class.
func (s *stats) fail(kind string, lat time.Duration, class, sample string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ks := s.kind(kind)
	ks.n++
	if lat > 0 {
		ks.lat = append(ks.lat, lat)
	}
	ks.errs[class]++
	if _, seen := ks.samples[class]; !seen {
		ks.samples[class] = truncate(sample, 240)
	}
}

func percentile(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	i := int(p*float64(len(s)-1) + 0.5)
	return s[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (s *stats) print(w io.Writer) (total, errors int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	secs := s.end.Sub(s.start).Seconds()
	if secs <= 0 {
		secs = 1
	}
	fmt.Fprintf(w, "\n== Load: %.0f s over two instances ==\n", secs)
	fmt.Fprintf(w, "%-14s %8s %8s %8s %9s %9s %9s\n", "kind", "requests", "ok", "errors", "req/s", "p50 ms", "p99 ms")
	keys := slices.Sorted(maps.Keys(s.kinds))
	for _, k := range keys {
		ks := s.kinds[k]
		e := ks.n - ks.ok
		total += ks.n
		errors += e
		fmt.Fprintf(w, "%-14s %8d %8d %8d %9.1f %9.1f %9.1f\n", k, ks.n, ks.ok, e, float64(ks.n)/secs,
			ms(percentile(ks.lat, 0.5)), ms(percentile(ks.lat, 0.99)))
	}
	fmt.Fprintf(w, "%-14s %8d %8d %8d %9.1f\n", "total", total, total-errors, errors, float64(total)/secs)
	if errors > 0 {
		fmt.Fprintf(w, "\nerrors by kind (class × count: first sample):\n")
		for _, k := range keys {
			ks := s.kinds[k]
			classes := slices.Collect(maps.Keys(ks.errs))
			sort.Slice(classes, func(i, j int) bool { return ks.errs[classes[i]] > ks.errs[classes[j]] })
			for _, c := range classes {
				fmt.Fprintf(w, "  %-12s %-38s %6d: %s\n", k, c, ks.errs[c], ks.samples[c])
			}
		}
	}
	return total, errors
}
