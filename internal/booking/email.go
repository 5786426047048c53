package booking

import (
	"net/mail"
	"strings"
)

// NormalizeEmail checks a guest's e-mail as typed (a bare address with a
// dotted domain, at most 254 bytes, surrounding spaces ignored) and returns
// it in lower case, the way bookings store it and compare it.
func NormalizeEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndex(s, "@"):], ".") {
		return s, false
	}
	return strings.ToLower(s), true
}
