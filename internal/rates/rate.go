package rates

import (
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// Rate is pesos per unit of a foreign currency, in ten-thousandths of a peso.
type Rate int64

// Scale is the number of Rate units in one peso.
const Scale = 10_000

// Bounds of a rate anyone could mean: from one ten-thousandth of a peso to
// ten million pesos per unit.
const (
	MinRate Rate = 1
	MaxRate Rate = 10_000_000 * Scale
)

// MaxMarkupBP is the largest markup, 100 %.
const MaxMarkupBP = 10_000

// Errors of Parse and ParseMarkup; their Spanish wording is in Message.
var (
	ErrSyntax = errors.New("rates: not a number")
	ErrRange  = errors.New("rates: out of range")
)

// Parse reads a rate as written in Argentina or plainly: "1185,50",
// "1185.50", "1.185,50", "1185", "$ 1.185". With both separators the last
// one is the decimal mark and the other groups thousands; a comma alone is
// the decimal mark; dots alone are thousands when there are several of them
// or one followed by exactly three digits ("1.185" is 1185), otherwise a
// decimal point. At most four decimals. The rate must be within
// [MinRate, MaxRate].
func Parse(s string) (Rate, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "$"))
	s = strings.NewReplacer(" ", "", "\u00a0", "").Replace(s)
	whole, frac, err := splitDecimal(s)
	if err != nil {
		return 0, err
	}
	if whole == "" {
		whole = "0"
	}
	if !digits(whole) || !digits(frac) || len(frac) > 4 || len(whole) > 12 {
		return 0, ErrSyntax
	}
	frac += strings.Repeat("0", 4-len(frac))
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	r := Rate(w*Scale + f)
	if r < MinRate || r > MaxRate {
		return 0, ErrRange
	}
	return r, nil
}

// splitDecimal separates the whole part (thousands marks removed) from the
// decimals, following Parse's rules.
func splitDecimal(s string) (whole, frac string, err error) {
	if s == "" {
		return "", "", ErrSyntax
	}
	comma, dot := strings.LastIndexByte(s, ','), strings.LastIndexByte(s, '.')
	mark, group := byte(','), "."
	switch {
	case comma >= 0 && dot > comma:
		mark, group = '.', ","
	case comma < 0 && dot >= 0:
		if n := strings.Count(s, "."); n == 1 && len(s)-dot-1 != 3 {
			mark, group = '.', ","
		} else {
			mark = 0 // dots only group
		}
	}
	whole = s
	if i := strings.LastIndexByte(s, mark); mark != 0 && i >= 0 {
		whole, frac = s[:i], s[i+1:]
		if frac == "" {
			return "", "", ErrSyntax
		}
	}
	if whole, err = ungroup(whole, group); err != nil {
		return "", "", err
	}
	return whole, frac, nil
}

// ungroup removes thousands marks, which must sit every three digits.
func ungroup(s, mark string) (string, error) {
	if !strings.Contains(s, mark) {
		return s, nil
	}
	parts := strings.Split(s, mark)
	if parts[0] == "" || len(parts[0]) > 3 {
		return "", ErrSyntax
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return "", ErrSyntax
		}
	}
	return strings.Join(parts, ""), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ParseMarkup reads a markup percentage with at most two decimals ("2",
// "2,5", "2.50") into basis points, between 0 and 100 %. Empty is 0.
func ParseMarkup(s string) (int, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, nil
	}
	whole, frac, _ := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" {
		whole = "0"
	}
	if !digits(whole) || !digits(frac) || len(frac) > 2 || len(whole) > 3 || strings.Contains(frac, ".") {
		return 0, ErrSyntax
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi(frac)
	bp := w*100 + f
	if bp > MaxMarkupBP {
		return 0, ErrRange
	}
	return bp, nil
}

// Message is the Spanish sentence for a Parse error.
func Message(err error) string {
	if errors.Is(err, ErrRange) {
		return "La cotización tiene que ser mayor que cero y menor que 10.000.000."
	}
	return "Escribí la cotización en pesos, por ejemplo 1185,50 o 1.185,50."
}

// MarkupMessage is the Spanish sentence for a ParseMarkup error.
func MarkupMessage(err error) string {
	if errors.Is(err, ErrRange) {
		return "El recargo va de 0 a 100 %."
	}
	return "Escribí el recargo como un porcentaje, por ejemplo 2 o 2,5."
}

// WithMarkup returns r × (1 + bp/10000), rounded half-up to the ten-thousandth.
func (r Rate) WithMarkup(bp int) Rate {
	return Rate(MulDivHalfUp(int64(r), int64(Scale+bp), Scale))
}

// ToPesos converts an amount in minor units (cents) of the rate's currency
// to whole pesos: amount × rate / (100 × Scale), rounded half away from zero
// (half-up for the positive amounts we charge). The currency must have two
// minor digits, as USD and EUR do.
func ToPesos(amountMinor int64, r Rate) int64 {
	return MulDivHalfUp(amountMinor, int64(r), 100*Scale)
}

// MulDivHalfUp is a × b / d (d > 0) rounded half away from zero, exact: the
// product is taken in 128 bits, so quotes and charges (every amount and
// rate at once) convert without allocating; a quotient beyond 64 bits, which
// no amount money allows reaches, falls back to big integers.
func MulDivHalfUp(a, b, d int64) int64 {
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(abs64(a), abs64(b))
	if hi >= uint64(d) {
		n := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
		return divHalfUp(n, d)
	}
	q, r := bits.Div64(hi, lo, uint64(d))
	if r >= uint64(d)-r {
		q++
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}

func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// divHalfUp divides n by d (> 0), rounding half away from zero. Results in
// this package fit in int64 for every amount money allows and every rate
// below MaxRate.
func divHalfUp(n *big.Int, d int64) int64 {
	neg := n.Sign() < 0
	q, m := new(big.Int).QuoRem(new(big.Int).Abs(n), big.NewInt(d), new(big.Int))
	if m.Mul(m, big.NewInt(2)).Cmp(big.NewInt(d)) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q.Int64()
}

// String is the plain form with four decimals, "1185.5000".
func (r Rate) String() string { return fmt.Sprintf("%d.%04d", r/Scale, r%Scale) }

// Format is the es-AR form a person reads, "$ 1.185,50": two decimals
// unless the rate has more ("$ 1,1855").
func (r Rate) Format() string {
	whole, frac := int64(r/Scale), fmt.Sprintf("%04d", r%Scale)
	frac = strings.TrimRight(frac, "0")
	for len(frac) < 2 {
		frac += "0"
	}
	return "$ " + group(whole) + "," + frac
}

// FormatMarkup writes basis points as a percentage, "2,5 %".
func FormatMarkup(bp int) string {
	s := strconv.Itoa(bp / 100)
	if f := bp % 100; f != 0 {
		s += "," + strings.TrimRight(fmt.Sprintf("%02d", f), "0")
	}
	return s + " %"
}

func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}
