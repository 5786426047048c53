package money

import (
	"errors"
	"fmt"
)

// Amount is money with its currency attached: what a price, a total or a
// payment is wherever amounts of possibly different currencies meet. All
// currencies are held with two decimals (minor units = cents): ARS and USD
// have two, and numeric(12,2) stores every amount, so a currency with zero or
// three decimals (JPY, KWD) is still written with two here.
type Amount struct {
	Value    Money
	Currency string // ISO 4217, upper case: "ARS", "USD"
}

// In attaches a currency to an amount.
func In(v Money, currency string) Amount { return Amount{Value: v, Currency: currency} }

// ErrCurrencyMismatch is returned when amounts in different currencies are
// combined: pesos and dollars are never summed silently.
var ErrCurrencyMismatch = errors.New("money: amounts in different currencies")

// Add returns a + b, or ErrCurrencyMismatch when their currencies differ.
// It answers an error rather than panicking because the currencies come from
// data (a property edited between a hold and a payment, a provider's
// answer), and a bad row must fail one request, not the process.
func (a Amount) Add(b Amount) (Amount, error) {
	if a.Currency != b.Currency {
		return Amount{}, fmt.Errorf("%w: %s + %s", ErrCurrencyMismatch, a.Currency, b.Currency)
	}
	return Amount{Value: a.Value + b.Value, Currency: a.Currency}, nil
}

// Sub returns a - b, or ErrCurrencyMismatch when their currencies differ.
func (a Amount) Sub(b Amount) (Amount, error) {
	if a.Currency != b.Currency {
		return Amount{}, fmt.Errorf("%w: %s - %s", ErrCurrencyMismatch, a.Currency, b.Currency)
	}
	return Amount{Value: a.Value - b.Value, Currency: a.Currency}, nil
}

// String is "120.50 USD", for logs and errors.
func (a Amount) String() string { return a.Value.String() + " " + a.Currency }

// ValidCurrency tells whether code has the shape of an ISO 4217 code: three
// upper-case ASCII letters, as the database's CHECK also requires. It does
// not keep the list of codes in use (it changes; a host's bank knows it).
func ValidCurrency(code string) bool {
	if len(code) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			return false
		}
	}
	return true
}
