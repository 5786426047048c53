package web

import (
	"net/netip"

	"github.com/labstack/echo/v4"
)

// clientNetwork is the unit every per-client limit and scope keys on: an IPv4
// address, or the /64 of an IPv6 one. One subscriber gets a whole /64, so
// keying on the full IPv6 address would hand an attacker 2^64 fresh budgets.
// IPv4-mapped IPv6 addresses count as the IPv4 address they carry.
func clientNetwork(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return "unknown"
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// clientNet is clientNetwork of the request's client address (see ipExtractor).
func clientNet(c echo.Context) string { return clientNetwork(c.RealIP()) }
