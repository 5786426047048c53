package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"alojamientos/internal/ical"
	"alojamientos/internal/mercadopago/mptest"
	"alojamientos/internal/whatsapp/watest"
)

// fakeTB lets the test fakes (mptest, watest) run in this program: they only
// call Helper, Cleanup and, on a broken test, Fatalf. The embedded nil
// testing.TB is never called.
type fakeTB struct {
	testing.TB
	cleanups []func()
}

func (t *fakeTB) Helper()             {}
func (t *fakeTB) Cleanup(f func())    { t.cleanups = append(t.cleanups, f) }
func (t *fakeTB) Name() string        { return "soak" }
func (t *fakeTB) Logf(string, ...any) {}
func (t *fakeTB) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf("soak: fake: "+format, args...))
}

func (t *fakeTB) close() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// Fault modes of a fake dependency.
const (
	modeOK   int32 = iota
	modeSlow       // answers after slowFor: beyond the caller's timeout
	modeFail       // answers 5xx at once
)

// mpFake is mptest's fake Mercado Pago behind a proxy that can turn slow or
// failing: the server is configured with the proxy's URL.
type mpFake struct {
	*mptest.Server
	front   *httptest.Server
	mode    atomic.Int32
	slowFor time.Duration
	calls   [3]atomic.Int64 // by mode
}

func newMPFake(tb *fakeTB) *mpFake {
	f := &mpFake{Server: mptest.Start(tb), slowFor: 12 * time.Second} // the client gives up after 10 s
	target, _ := url.Parse(f.Server.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	// A caller that gave up (the slow fault) is expected, not news.
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	f.front = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := f.mode.Load()
		f.calls[m].Add(1)
		switch m {
		case modeSlow:
			select {
			case <-time.After(f.slowFor):
			case <-r.Context().Done():
				return
			}
		case modeFail:
			http.Error(w, `{"message":"injected by the soak","status":503}`, http.StatusServiceUnavailable)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	tb.Cleanup(f.front.Close)
	return f
}

// feedFake serves each soak property's channel calendar (ICS) at
// /feed/{slug}.ics, and can turn slow or failing.
type feedFake struct {
	srv     *httptest.Server
	mode    atomic.Int32
	slowFor time.Duration
	body    []byte
	hits    [3]atomic.Int64
}

func newFeedFake(tb *fakeTB, first time.Time) *feedFake {
	f := &feedFake{slowFor: ical.FetchTimeout + 5*time.Second}
	// Two blocked stretches far beyond the nights the load books, so the
	// channel's events never collide with the soak's holds.
	var events []ical.OutEvent
	for i := range 2 {
		start := first.AddDate(0, 0, 10*i)
		events = append(events, ical.OutEvent{UID: fmt.Sprintf("soak-channel-%d@example.com", i), Summary: "Reserved",
			Start: start, End: start.AddDate(0, 0, 3), Stamp: first})
	}
	f.body = ical.Render("soak channel", events)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := f.mode.Load()
		f.hits[m].Add(1)
		if !strings.HasPrefix(r.URL.Path, "/feed/") {
			http.NotFound(w, r)
			return
		}
		switch m {
		case modeSlow:
			select {
			case <-time.After(f.slowFor):
			case <-r.Context().Done():
				return
			}
		case modeFail:
			http.Error(w, "injected by the soak", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		_, _ = w.Write(f.body)
	}))
	tb.Cleanup(f.srv.Close)
	return f
}

func (f *feedFake) url(slug string) string { return f.srv.URL + "/feed/" + slug + ".ics" }

// graphFake is watest's fake Graph API.
func newGraphFake(tb *fakeTB) *watest.Graph { return watest.NewGraph(tb) }

// sleepCtx sleeps d or until ctx ends; false when ctx ended.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
