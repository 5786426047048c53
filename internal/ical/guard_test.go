package ical_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"alojamientos/internal/ical"
)

// TestRefusedAddr checks the one table of refused ranges at its edges, and
// the forms that wrap an IPv4 address inside an IPv6 one.
func TestRefusedAddr(t *testing.T) {
	t.Parallel()
	for addr, refused := range map[string]bool{
		// Public addresses, and the neighbours of refused ranges.
		"8.8.8.8": false, "1.1.1.1": false, "2800:3f0:4002:80a::200e": false, "2a03:2880:f10c:83:face:b00c:0:25de": false,
		"198.17.255.255": false, "198.20.0.0": false, "100.63.255.255": false, "100.128.0.0": false,
		"172.15.255.255": false, "172.32.0.0": false, "1.0.0.0": false, "223.255.255.255": false,
		// IPv4 ranges.
		"0.0.0.0": true, "0.1.2.3": true, "10.0.0.1": true, "100.64.0.1": true, "127.0.0.1": true, "127.255.255.254": true,
		"169.254.169.254": true, "172.16.0.1": true, "172.31.255.255": true, "192.0.0.8": true, "192.0.2.1": true,
		"192.168.1.1": true, "198.18.0.1": true, "198.19.255.255": true, "198.51.100.7": true, "203.0.113.9": true,
		"224.0.0.1": true, "239.255.255.250": true, "240.0.0.1": true, "255.255.255.255": true,
		// IPv6 ranges.
		"::": true, "::1": true, "fe80::1": true, "fe80::1%eth0": true, "fc00::1": true, "fd12:3456::1": true,
		"fec0::1": true, "ff02::1": true, "2001:db8::1": true, "100::1": true, "2001::1": true, "64:ff9b:1::1": true,
		// IPv4 wrapped in IPv6: refused when the IPv4 inside is.
		"::ffff:127.0.0.1": true, "::ffff:10.1.2.3": true, "::ffff:8.8.8.8": false,
		"::ffff:0:169.254.169.254": true, "::127.0.0.1": true,
		"64:ff9b::a9fe:a9fe": true, "64:ff9b::7f00:1": true, "64:ff9b::808:808": false,
		"2002:c0a8:0101::1": true, "2002:7f00:0001::": true, "2002:0a00:0001:1::5": true, "2002:0808:0808::1": false,
		"2002:c612:0001::1": true, "2002:f000:0001::1": true,
		// Outside 2000::/3 nothing is global unicast.
		"1000::1": true, "4000::1": true, "c000::1": true, "3fff:ffff::1": false, "2000::1": false,
	} {
		ip := netip.MustParseAddr(addr)
		why, got := ical.RefusedAddr(ip)
		if got != refused {
			t.Errorf("RefusedAddr(%s) = %v (%q), want %v", addr, got, why, refused)
		}
		if got && why == "" {
			t.Errorf("RefusedAddr(%s) gives no reason", addr)
		}
	}
	if _, got := ical.RefusedAddr(netip.Addr{}); !got {
		t.Error("the zero address is allowed")
	}
}

// TestSSRFGuardEveryRangeAtDialTime fetches an address of every range of
// the table through the guarded client: each is refused when the connection
// is made, whatever the URL looked like.
func TestSSRFGuardEveryRangeAtDialTime(t *testing.T) {
	t.Parallel()
	client := ical.NewHTTPClient(true)
	ranges := ical.RefusedRanges()
	if len(ranges) < 20 {
		t.Fatalf("only %d refused ranges", len(ranges))
	}
	for _, r := range ranges {
		ip := r.Example()
		if !r.Prefix.Contains(ip) {
			t.Errorf("%s: example %s is outside the range", r.Prefix, ip)
		}
		if why, refused := ical.RefusedAddr(ip); !refused {
			t.Errorf("%s: example %s is allowed", r.Prefix, ip)
			continue
		} else if why != r.Why && !r.Wraps {
			t.Errorf("%s: example %s refused as %q, want %q", r.Prefix, ip, why, r.Why)
		}
		u := "http://" + net.JoinHostPort(ip.String(), "80") + "/cal.ics"
		_, err := client.Get(u)
		if !errors.Is(err, ical.ErrBlockedAddress) {
			t.Errorf("%s (%s): dial not refused by the guard: %v", r.Prefix, u, err)
		}
	}
}

// TestSSRFGuard: in production a feed URL on loopback is refused at dial
// time, also through a name and after a redirect from an allowed server; in
// development it is allowed (tests and laptops use local servers).
func TestSSRFGuard(t *testing.T) {
	t.Parallel()
	var inner atomic.Int32
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		inner.Add(1)
		_, _ = w.Write([]byte("secreto interno"))
	}))
	defer internal.Close()
	if _, err := ical.NewHTTPClient(true).Get(internal.URL); !errors.Is(err, ical.ErrBlockedAddress) || !strings.Contains(err.Error(), "not allowed") {
		t.Fatalf("production client reached loopback: %v", err)
	}
	local := strings.Replace(internal.URL, "127.0.0.1", "localhost", 1)
	if _, err := ical.NewHTTPClient(true).Get(local); !errors.Is(err, ical.ErrBlockedAddress) {
		t.Fatalf("production client reached loopback through a name: %v", err)
	}

	// A "public" channel (the one address the test lets through) redirects
	// to the internal server, to mapped and wrapped forms of loopback and
	// to the cloud metadata address: every hop is checked when it dials.
	iu, _ := url.Parse(internal.URL)
	port := iu.Port()
	targets := []string{internal.URL, "http://localhost:" + port + "/", "http://[::ffff:127.0.0.1]:" + port + "/",
		"http://[::1]:" + port + "/", "http://169.254.169.254/latest/meta-data/", "http://[64:ff9b::a9fe:a9fe]/",
		"http://[2002:7f00:1::]:" + port + "/", "http://0.0.0.0:" + port + "/"}
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, _ := strconv.Atoi(r.URL.Query().Get("i"))
		http.Redirect(w, r, targets[i], http.StatusFound)
	}))
	defer public.Close()
	pu, _ := url.Parse(public.URL)
	allowed := netip.MustParseAddrPort(pu.Host)
	client := ical.NewGuardedHTTPClient(func(ap netip.AddrPort) error {
		if ap == allowed {
			return nil
		}
		return ical.CheckDialAddr(ap)
	})
	for i, target := range targets {
		_, err := client.Get(public.URL + "/?i=" + strconv.Itoa(i))
		if !errors.Is(err, ical.ErrBlockedAddress) {
			t.Errorf("redirect to %s: not refused by the guard: %v", target, err)
		}
	}
	if n := inner.Load(); n != 0 {
		t.Fatalf("the internal server was reached %d times", n)
	}
	// Without the guard the same redirect arrives: the test above is not vacuous.
	resp, err := ical.NewHTTPClient(false).Get(public.URL + "/?i=0")
	if err != nil {
		t.Fatalf("development client: %v", err)
	}
	resp.Body.Close()
	if inner.Load() != 1 {
		t.Fatal("development client did not follow the redirect")
	}
}
