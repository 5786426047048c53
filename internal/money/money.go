// Package money holds amounts as integer cents so that no price is ever a
// float. Amounts are numeric(12,2) in PostgreSQL and decimal strings in JSON.
// It imports nothing of ours, so sqlc's generated code, the rules and the
// views can all share the one type.
package money

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
)

// Money is an amount in cents (minor units) of a currency it does not carry:
// where amounts of different currencies may meet, use Amount.
type Money int64

// Max is the largest amount numeric(12,2) can hold.
const Max Money = 999_999_999_999

// FromUnits returns whole currency units as Money.
func FromUnits(units int64) Money { return Money(units * 100) }

// Parse reads a decimal string with at most two decimals ("1234", "1234.5", "1234.50").
func Parse(s string) (Money, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || (hasFrac && (frac == "" || len(frac) > 2)) {
		return 0, fmt.Errorf("money: %q is not an amount with at most two decimals", s)
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, fmt.Errorf("money: %q is not an amount with at most two decimals", s)
			}
		}
	}
	if len(whole) > 10 {
		return 0, fmt.Errorf("money: %q is too large", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	m := Money(w*100 + f)
	if neg {
		m = -m
	}
	return m, nil
}

// String formats as a plain decimal with two places, the form used in JSON and SQL.
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Percent returns m × pct / 100 rounded half away from zero to the cent.
func (m Money) Percent(pct int) Money {
	num := int64(m) * int64(pct)
	q, r := num/100, num%100
	if r >= 50 {
		q++
	} else if r <= -50 {
		q--
	}
	return Money(q)
}

// Times multiplies by a whole count (nights, guests).
func (m Money) Times(n int) Money { return m * Money(n) }

// MarshalJSON writes the amount as a decimal string: JSON numbers are floats to most clients.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(`"` + m.String() + `"`), nil }

// UnmarshalJSON accepts a decimal string or a JSON number.
func (m *Money) UnmarshalJSON(b []byte) error {
	v, err := Parse(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ScanNumeric lets pgx scan numeric(12,2) directly into Money.
func (m *Money) ScanNumeric(n pgtype.Numeric) error {
	if !n.Valid {
		return errors.New("money: cannot scan NULL into Money")
	}
	if n.NaN || n.InfinityModifier != pgtype.Finite {
		return errors.New("money: numeric is not finite")
	}
	v := new(big.Int).Set(n.Int)
	exp := n.Exp + 2
	ten := big.NewInt(10)
	for ; exp > 0; exp-- {
		v.Mul(v, ten)
	}
	for ; exp < 0; exp++ {
		// Amounts are stored with two decimals; anything finer is a schema change we would want to notice.
		q, r := new(big.Int).QuoRem(v, ten, new(big.Int))
		if r.Sign() != 0 {
			return fmt.Errorf("money: %s has more than two decimals", n.Int)
		}
		v = q
	}
	if !v.IsInt64() {
		return errors.New("money: numeric out of range")
	}
	*m = Money(v.Int64())
	return nil
}

// NumericValue lets pgx encode Money as numeric.
func (m Money) NumericValue() (pgtype.Numeric, error) {
	return pgtype.Numeric{Int: big.NewInt(int64(m)), Exp: -2, Valid: true}, nil
}

// Display formats for people in Argentina: thousands with ".", cents with ","
// and only when there are any ("85.000", "1.234,50").
func (m Money) Display() string {
	v := int64(m)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	units := strconv.FormatInt(v/100, 10)
	var b strings.Builder
	for i, r := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if cents := v % 100; cents != 0 {
		fmt.Fprintf(&b, ",%02d", cents)
	}
	return sign + b.String()
}
