package money

import (
	"encoding/json"
	"math"
	"math/big"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/require"
)

// Money must be usable directly as a pgx numeric argument and scan target.
var (
	_ pgtype.NumericScanner = (*Money)(nil)
	_ pgtype.NumericValuer  = Money(0)
	_ json.Marshaler        = Money(0)
	_ json.Unmarshaler      = (*Money)(nil)
)

func TestFromUnits(t *testing.T) {
	t.Parallel()
	require.Equal(t, Money(0), FromUnits(0))
	require.Equal(t, Money(1200), FromUnits(12))
	require.Equal(t, Money(-300), FromUnits(-3))
}

func TestParseValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Money
	}{
		{"0", 0},
		{"0.00", 0},
		{"-0", 0},
		{"12", 1200},
		{"12.5", 1250},
		{"12.50", 1250},
		{"12.05", 1205},
		{"0.01", 1},
		{"-3.25", -325},
		{"-0.05", -5},
		{"007", 700},
		{"1234.50", 123450},
		{" 12.50 ", 1250},
		{"9999999999.99", Max},
		{"-9999999999.99", -Max},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseInvalid(t *testing.T) {
	t.Parallel()
	tests := []string{
		"",
		" ",
		"-",
		"--1",
		"+1",
		"1.234",
		"abc",
		"1.",
		".5",
		"-.5",
		"12345678901",    // 11 whole digits: too large for numeric(12,2)
		"12345678901.00", // same with decimals
		"1,5",
		"1.2.3",
		"1.2a",
		"1e3",
		"1 000",
		"0x10",
		"١٢", // Arabic-Indic digits are not ASCII digits
	}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(in)
			require.Error(t, err)
			require.Equal(t, Money(0), got)
		})
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   Money
		want string
	}{
		{0, "0.00"},
		{1, "0.01"},
		{10, "0.10"},
		{99, "0.99"},
		{100, "1.00"},
		{1250, "12.50"},
		{123450, "1234.50"},
		{-5, "-0.05"},
		{-325, "-3.25"},
		{-100, "-1.00"},
		{Max, "9999999999.99"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tt.in.String())
			// String is the canonical form: Parse reads it back.
			back, err := Parse(tt.want)
			require.NoError(t, err)
			require.Equal(t, tt.in, back)
		})
	}
}

func TestPercent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    Money
		pct  int
		want Money
	}{
		{"100.05 x 30% = 30.015 rounds up", 10005, 30, 3002},
		{"-100.05 x 30% = -30.015 rounds away from zero", -10005, 30, -3002},
		{"0.01 x 50% = 0.005 rounds up", 1, 50, 1},
		{"-0.01 x 50% = -0.005 rounds away from zero", -1, 50, -1},
		{"0.01 x 49% = 0.0049 rounds down", 1, 49, 0},
		{"-0.01 x 49% = -0.0049 rounds toward zero", -1, 49, 0},
		{"100.03 x 30% = 30.009 rounds up", 10003, 30, 3001},
		{"100.01 x 30% = 30.003 rounds down", 10001, 30, 3000},
		{"333.33 x 15% = 49.9995 rounds up", 33333, 15, 5000},
		{"1000 x 30% exact", 100000, 30, 30000},
		{"x 0%", 123456, 0, 0},
		{"x 100%", 123456, 100, 123456},
		{"0 x 30%", 0, 30, 0},
		{"0.99 x 1% = 0.0099 rounds up", 99, 1, 1},
		{"0.49 x 1% = 0.0049 rounds down", 49, 1, 0},
		{"1.50 x 1% = 0.015 rounds up", 150, 1, 2},
		{"1.49 x 1% = 0.0149 rounds down", 149, 1, 1},
		{"max x 100%", Max, 100, Max},
		{"max x 30% = 2999999999.997 rounds up", Max, 30, 300_000_000_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tt.m.Percent(tt.pct))
		})
	}
}

func TestTimes(t *testing.T) {
	t.Parallel()
	require.Equal(t, Money(0), Money(1250).Times(0))
	require.Equal(t, Money(3750), Money(1250).Times(3))
	require.Equal(t, Money(-2500), Money(-1250).Times(2))
}

func TestMarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   Money
		want string
	}{
		{0, `"0.00"`},
		{123450, `"1234.50"`},
		{-5, `"-0.05"`},
		{Max, `"9999999999.99"`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, string(b))

			var back Money
			require.NoError(t, json.Unmarshal(b, &back))
			require.Equal(t, tt.in, back)
		})
	}
}

func TestJSONRoundTripInStruct(t *testing.T) {
	t.Parallel()
	type quote struct {
		Total   Money  `json:"total"`
		Deposit Money  `json:"deposit"`
		Ptr     *Money `json:"ptr"`
	}
	p := Money(99)
	in := quote{Total: 123450, Deposit: 37035, Ptr: &p}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	require.JSONEq(t, `{"total":"1234.50","deposit":"370.35","ptr":"0.99"}`, string(b))

	var out quote
	require.NoError(t, json.Unmarshal(b, &out))
	require.Equal(t, in.Total, out.Total)
	require.Equal(t, in.Deposit, out.Deposit)
	require.NotNil(t, out.Ptr)
	require.Equal(t, p, *out.Ptr)
}

func TestUnmarshalJSON(t *testing.T) {
	t.Parallel()
	valid := []struct {
		in   string
		want Money
	}{
		{`"1234.50"`, 123450},
		{`"1234.5"`, 123450},
		{`"1234"`, 123400},
		{`"-3.25"`, -325},
		{`1234.5`, 123450}, // a JSON number is accepted too
		{`12`, 1200},
		{`0`, 0},
	}
	for _, tt := range valid {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var m Money
			require.NoError(t, json.Unmarshal([]byte(tt.in), &m))
			require.Equal(t, tt.want, m)
		})
	}
	invalid := []string{`"1.234"`, `"abc"`, `""`, `"1,5"`, `1.234`, `1e3`, `true`, `"12345678901"`}
	for _, in := range invalid {
		t.Run("invalid "+in, func(t *testing.T) {
			t.Parallel()
			m := Money(777)
			require.Error(t, json.Unmarshal([]byte(in), &m))
			require.Equal(t, Money(777), m, "a failed decode must leave the value alone")
		})
	}
}

func TestScanNumeric(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    pgtype.Numeric
		want Money
	}{
		{"exp -2", pgtype.Numeric{Int: big.NewInt(12345), Exp: -2, Valid: true}, 12345},
		{"exp 1", pgtype.Numeric{Int: big.NewInt(5), Exp: 1, Valid: true}, 5000},
		{"exp 0", pgtype.Numeric{Int: big.NewInt(42), Exp: 0, Valid: true}, 4200},
		{"exp 3", pgtype.Numeric{Int: big.NewInt(7), Exp: 3, Valid: true}, 700000},
		{"exp -1", pgtype.Numeric{Int: big.NewInt(125), Exp: -1, Valid: true}, 1250},
		{"exp -3 with zero remainder", pgtype.Numeric{Int: big.NewInt(1230), Exp: -3, Valid: true}, 123},
		{"exp -5 with zero remainder", pgtype.Numeric{Int: big.NewInt(1200000), Exp: -5, Valid: true}, 1200},
		{"negative exp -2", pgtype.Numeric{Int: big.NewInt(-325), Exp: -2, Valid: true}, -325},
		{"negative exp -4 zero remainder", pgtype.Numeric{Int: big.NewInt(-32500), Exp: -4, Valid: true}, -325},
		{"zero", pgtype.Numeric{Int: big.NewInt(0), Exp: 0, Valid: true}, 0},
		{"zero exp -6", pgtype.Numeric{Int: big.NewInt(0), Exp: -6, Valid: true}, 0},
		{"max", pgtype.Numeric{Int: big.NewInt(int64(Max)), Exp: -2, Valid: true}, Max},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			orig := new(big.Int).Set(tt.n.Int)
			var m Money
			require.NoError(t, m.ScanNumeric(tt.n))
			require.Equal(t, tt.want, m)
			require.Zero(t, orig.Cmp(tt.n.Int), "ScanNumeric must not modify the numeric it reads")
		})
	}
}

func TestScanNumericErrors(t *testing.T) {
	t.Parallel()
	huge := new(big.Int).Lsh(big.NewInt(1), 80)
	tests := []struct {
		name string
		n    pgtype.Numeric
	}{
		{"three decimals with remainder", pgtype.Numeric{Int: big.NewInt(1234), Exp: -3, Valid: true}},
		{"negative three decimals with remainder", pgtype.Numeric{Int: big.NewInt(-1234), Exp: -3, Valid: true}},
		{"remainder deep down", pgtype.Numeric{Int: big.NewInt(1000001), Exp: -6, Valid: true}},
		{"NULL", pgtype.Numeric{}},
		{"NULL with digits", pgtype.Numeric{Int: big.NewInt(1), Valid: false}},
		{"NaN", pgtype.Numeric{NaN: true, Valid: true}},
		{"+Infinity", pgtype.Numeric{InfinityModifier: pgtype.Infinity, Valid: true}},
		{"-Infinity", pgtype.Numeric{InfinityModifier: pgtype.NegativeInfinity, Valid: true}},
		{"beyond int64", pgtype.Numeric{Int: huge, Exp: 0, Valid: true}},
		{"beyond int64 after scaling", pgtype.Numeric{Int: big.NewInt(math.MaxInt64 / 10), Exp: 0, Valid: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := Money(777)
			require.Error(t, m.ScanNumeric(tt.n))
			require.Equal(t, Money(777), m, "a failed scan must leave the value alone")
		})
	}
}

// Numerics parsed the way pgx decodes text values end up with various exponents.
func TestScanNumericFromPgtypeText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want Money
	}{
		{"123.45", 12345},
		{"50", 5000},
		{"50.00", 5000},
		{"0.10", 10},
		{"-3.25", -325},
		{"1234.500", 123450},
		{"9999999999.99", Max},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			var n pgtype.Numeric
			require.NoError(t, n.Scan(tt.text))
			var m Money
			require.NoError(t, m.ScanNumeric(n))
			require.Equal(t, tt.want, m)
		})
	}
}

func TestNumericValue(t *testing.T) {
	t.Parallel()
	for _, m := range []Money{0, 1, 12345, -325, Max, -Max} {
		t.Run(m.String(), func(t *testing.T) {
			t.Parallel()
			n, err := m.NumericValue()
			require.NoError(t, err)
			require.True(t, n.Valid)
			require.False(t, n.NaN)
			require.Equal(t, pgtype.Finite, n.InfinityModifier)
			require.Equal(t, int32(-2), n.Exp)
			require.Equal(t, int64(m), n.Int.Int64())

			var back Money
			require.NoError(t, back.ScanNumeric(n))
			require.Equal(t, m, back)

			// pgtype's own text form agrees with String.
			v, err := n.Value()
			require.NoError(t, err)
			require.Equal(t, m.String(), v)
		})
	}
}

func TestDisplayUsesArgentineSeparators(t *testing.T) {
	t.Parallel()
	for in, want := range map[Money]string{
		0: "0", FromUnits(85000): "85.000", 123450: "1.234,50", FromUnits(1234567): "1.234.567", -5: "-0,05", FromUnits(999): "999",
	} {
		require.Equal(t, want, in.Display(), "%d cents", int64(in))
	}
}
