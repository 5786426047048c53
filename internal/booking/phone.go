package booking

import (
	"errors"
	"strings"
)

var errPhone = errors.New("booking: not a phone number")

// NormalizePhone turns a phone number as people type it into E.164. Numbers
// with a country code ("+54 9 11 5555-1234", "0054…") are taken as given;
// Argentine national forms ("11 5555-1234", "011 15 5555-1234",
// "351 15 555-1234") become mobile numbers (+54 9 …), since guests write from
// their phones and WhatsApp needs that form.
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 40 {
		return "", errPhone
	}
	intl := false
	switch {
	case strings.HasPrefix(s, "+"):
		intl, s = true, s[1:]
	case strings.HasPrefix(s, "00"):
		intl, s = true, s[2:]
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return "", errPhone
		}
	}
	d := b.String()
	if intl {
		if len(d) < 8 || len(d) > 15 || d[0] == '0' {
			return "", errPhone
		}
		if strings.HasPrefix(d, "54") {
			return normalizeArgentine(d[2:])
		}
		return "+" + d, nil
	}
	d = strings.TrimPrefix(d, "0")
	return normalizeArgentine(d)
}

// normalizeArgentine takes an Argentine number without the country code.
// A national number is always 10 digits (area code + subscriber); mobiles
// add "9" in front internationally or "15" after the area code nationally.
func normalizeArgentine(d string) (string, error) {
	d = strings.TrimPrefix(d, "9")
	if len(d) == 12 {
		// The "15" sits after an area code of 2, 3 or 4 digits.
		for _, area := range []int{2, 3, 4} {
			if d[area:area+2] == "15" {
				d = d[:area] + d[area+2:]
				break
			}
		}
	}
	if len(d) != 10 || d[0] == '0' {
		return "", errPhone
	}
	return "+549" + d, nil
}
