package ical_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"alojamientos/internal/ical"
)

func TestRedirectLimit(t *testing.T) {
	t.Parallel()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+r.URL.Path+"x", http.StatusFound)
	}))
	defer srv.Close()
	if _, err := ical.NewHTTPClient(false).Get(srv.URL + "/a"); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Fatalf("redirect loop: %v", err)
	}
}

func TestMaskURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://www.airbnb.com/calendar/ical/123.ics?s=abcdef":         "https://www.airbnb.com/…",
		"https://admin.booking.com/hotel/hoteladmin/ical.html?t=secret": "https://admin.booking.com/…",
		"not a url": "…",
	} {
		if got := ical.MaskURL(in); got != want {
			t.Errorf("MaskURL(%q) = %q, want %q", in, got, want)
		}
	}
}
