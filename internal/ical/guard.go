package ical

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// ErrBlockedAddress is the SSRF guard refusing a destination.
var ErrBlockedAddress = errors.New("ical: address not allowed (loopback, private, link-local or reserved)")

// RefusedRange is one row of the table of addresses feeds are never fetched
// from in production.
type RefusedRange struct {
	Prefix netip.Prefix
	Why    string
	// Wraps: the range carries an IPv4 address at byte V4At of the IPv6
	// address; it is refused when that IPv4 address is.
	Wraps bool
	V4At  int
}

// Example is an address inside the range that the guard refuses (for a
// wrapping range, one wrapping 127.0.0.1).
func (r RefusedRange) Example() netip.Addr {
	a := r.Prefix.Addr().AsSlice()
	if r.Wraps {
		copy(a[r.V4At:], []byte{127, 0, 0, 1})
		return netip.AddrFrom16([16]byte(a))
	}
	if bits := r.Prefix.Bits(); bits < len(a)*8 {
		// Low bytes set (not ::1 inside ::/96) and the first host bit set
		// (not ::/96 inside ::/3), so no more specific range claims it.
		for i := len(a) - 2; i < len(a); i++ {
			if i*8 >= bits {
				a[i] = 1
			}
		}
		a[bits/8] |= 0x80 >> (bits % 8)
	}
	ip, _ := netip.AddrFromSlice(a)
	return ip
}

// refusedRanges is the one table of the SSRF guard (IANA special-purpose
// registries, RFC 6890 and its updates): everything that is not a plain
// public unicast address.
var refusedRanges = []RefusedRange{
	{Prefix: netip.MustParsePrefix("0.0.0.0/8"), Why: "this network"},
	{Prefix: netip.MustParsePrefix("10.0.0.0/8"), Why: "private"},
	{Prefix: netip.MustParsePrefix("100.64.0.0/10"), Why: "shared address space (CGNAT)"},
	{Prefix: netip.MustParsePrefix("127.0.0.0/8"), Why: "loopback"},
	{Prefix: netip.MustParsePrefix("169.254.0.0/16"), Why: "link-local (cloud metadata)"},
	{Prefix: netip.MustParsePrefix("172.16.0.0/12"), Why: "private"},
	{Prefix: netip.MustParsePrefix("192.0.0.0/24"), Why: "IETF protocol assignments"},
	{Prefix: netip.MustParsePrefix("192.0.2.0/24"), Why: "documentation"},
	{Prefix: netip.MustParsePrefix("192.88.99.0/24"), Why: "6to4 relay anycast"},
	{Prefix: netip.MustParsePrefix("192.168.0.0/16"), Why: "private"},
	{Prefix: netip.MustParsePrefix("198.18.0.0/15"), Why: "benchmarking"},
	{Prefix: netip.MustParsePrefix("198.51.100.0/24"), Why: "documentation"},
	{Prefix: netip.MustParsePrefix("203.0.113.0/24"), Why: "documentation"},
	{Prefix: netip.MustParsePrefix("224.0.0.0/4"), Why: "multicast"},
	{Prefix: netip.MustParsePrefix("240.0.0.0/4"), Why: "reserved and broadcast"},

	// IPv6: only 2000::/3 is global unicast; the rest is refused, with the
	// special ranges inside it named.
	{Prefix: netip.MustParsePrefix("::/3"), Why: "not global unicast (reserved)"},
	{Prefix: netip.MustParsePrefix("4000::/2"), Why: "not global unicast (reserved)"},
	{Prefix: netip.MustParsePrefix("8000::/1"), Why: "not global unicast (reserved)"},
	{Prefix: netip.MustParsePrefix("::/128"), Why: "unspecified"},
	{Prefix: netip.MustParsePrefix("::1/128"), Why: "loopback"},
	{Prefix: netip.MustParsePrefix("::ffff:0:0/96"), Why: "IPv4-mapped", Wraps: true, V4At: 12},
	{Prefix: netip.MustParsePrefix("::ffff:0:0:0/96"), Why: "IPv4-translated", Wraps: true, V4At: 12},
	{Prefix: netip.MustParsePrefix("64:ff9b::/96"), Why: "NAT64", Wraps: true, V4At: 12},
	{Prefix: netip.MustParsePrefix("2002::/16"), Why: "6to4", Wraps: true, V4At: 2},
	{Prefix: netip.MustParsePrefix("::/96"), Why: "IPv4-compatible (deprecated)"},
	{Prefix: netip.MustParsePrefix("64:ff9b:1::/48"), Why: "local-use NAT64"},
	{Prefix: netip.MustParsePrefix("100::/64"), Why: "discard-only"},
	{Prefix: netip.MustParsePrefix("2001::/32"), Why: "Teredo (IPv4 inside, obfuscated)"},
	{Prefix: netip.MustParsePrefix("2001:2::/48"), Why: "benchmarking"},
	{Prefix: netip.MustParsePrefix("2001:10::/28"), Why: "ORCHID"},
	{Prefix: netip.MustParsePrefix("2001:20::/28"), Why: "ORCHIDv2"},
	{Prefix: netip.MustParsePrefix("2001:db8::/32"), Why: "documentation"},
	{Prefix: netip.MustParsePrefix("3fff::/20"), Why: "documentation"},
	{Prefix: netip.MustParsePrefix("5f00::/16"), Why: "segment routing SIDs"},
	{Prefix: netip.MustParsePrefix("fc00::/7"), Why: "unique local (private)"},
	{Prefix: netip.MustParsePrefix("fe80::/10"), Why: "link-local"},
	{Prefix: netip.MustParsePrefix("fec0::/10"), Why: "site-local (deprecated)"},
	{Prefix: netip.MustParsePrefix("ff00::/8"), Why: "multicast"},
}

// RefusedRanges is a copy of the guard's table.
func RefusedRanges() []RefusedRange { return append([]RefusedRange(nil), refusedRanges...) }

// RefusedAddr says whether the guard refuses ip, and which range refuses it.
// The most specific range decides, so a wrapping range (::ffff:0:0/96 inside
// ::/96) is judged by the IPv4 address it carries.
func RefusedAddr(ip netip.Addr) (string, bool) {
	if !ip.IsValid() {
		return "invalid", true
	}
	ip = ip.WithZone("")
	var best *RefusedRange
	for i := range refusedRanges {
		r := &refusedRanges[i]
		if r.Prefix.Contains(ip) && (best == nil || r.Prefix.Bits() > best.Prefix.Bits()) {
			best = r
		}
	}
	switch {
	case best == nil:
		return "", false
	case !best.Wraps:
		return best.Why, true
	}
	b := ip.As16()
	why, refused := RefusedAddr(netip.AddrFrom4([4]byte(b[best.V4At : best.V4At+4])))
	if refused {
		return best.Why + " of " + why, true
	}
	return "", false
}

// CheckDialAddr is the production guard: nil when a connection to ap may be made.
func CheckDialAddr(ap netip.AddrPort) error {
	if why, refused := RefusedAddr(ap.Addr()); refused {
		return fmt.Errorf("%w: %s is %s", ErrBlockedAddress, ap.Addr(), why)
	}
	return nil
}

// dialControl runs guard on the address a socket is about to connect to:
// after DNS resolution, on every connection (redirects included), so neither
// a name nor a rebinding answer nor a redirect can smuggle a refused address in.
func dialControl(guard func(netip.AddrPort) error) func(network, address string, _ syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		host, port, err := net.SplitHostPort(address)
		if err != nil {
			return ErrBlockedAddress
		}
		ap, err := netip.ParseAddrPort(net.JoinHostPort(host, port))
		if err != nil {
			return ErrBlockedAddress
		}
		return guard(ap)
	}
}
