package money

import (
	"errors"
	"strings"
)

// ErrInput is returned by ParseInput for anything that is not an amount.
var ErrInput = errors.New("money: not an amount")

// ParseInput reads an amount as people in Argentina type it in a form:
// "85.000", "85000", "85000,50", "85.000,50", "$ 85.000,50". A comma is the
// decimal separator and dots group thousands; without a comma, a single dot
// followed by one or two digits ("85000.50", what a number field sends) is a
// decimal point. Amounts are never negative and at most Max.
func ParseInput(s string) (Money, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "$")
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, " ", "")
	s = strings.ReplaceAll(s, "\u00a0", "") // a non-breaking space some keyboards and spreadsheets paste
	if s == "" {
		return 0, ErrInput
	}
	whole, frac, hasComma := strings.Cut(s, ",")
	if !hasComma {
		if i := strings.LastIndexByte(s, '.'); i >= 0 && strings.Count(s, ".") == 1 && len(s)-i-1 <= 2 {
			whole, frac, hasComma = s[:i], s[i+1:], true
		}
	}
	if hasComma && (frac == "" || len(frac) > 2 || !digits(frac)) {
		return 0, ErrInput
	}
	if whole == "" && frac != "" {
		whole = "0" // ",50"
	}
	whole, ok := ungroup(whole)
	if !ok {
		return 0, ErrInput
	}
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	if len(whole) > 10 {
		return 0, ErrInput
	}
	plain := whole
	if frac != "" {
		plain += "." + frac
	}
	m, err := Parse(plain)
	if err != nil || m > Max {
		return 0, ErrInput
	}
	return m, nil
}

// ungroup removes thousands dots, which must sit every three digits.
func ungroup(s string) (string, bool) {
	if !strings.Contains(s, ".") {
		return s, s != "" && digits(s)
	}
	groups := strings.Split(s, ".")
	if len(groups[0]) == 0 || len(groups[0]) > 3 || !digits(groups[0]) {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !digits(g) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
