package rates

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// MulDivHalfUp agrees with big-integer arithmetic, signs and halves
// included, wherever the quotient fits in 64 bits.
func TestMulDivHalfUp(t *testing.T) {
	t.Parallel()
	ref := func(a, b, d int64) int64 { return divHalfUp(new(big.Int).Mul(big.NewInt(a), big.NewInt(b)), d) }
	cases := [][3]int64{{1, 5, 10}, {1, 4, 10}, {-1, 5, 10}, {3, -5, 10}, {-3, -5, 10}, {7200, 11_855_000, 1_000_000},
		{0, 99, 7}, {123456789, 987654321, 1_000_000}, {math.MaxInt64, math.MaxInt64, math.MaxInt64}}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		cases = append(cases, [3]int64{rng.Int64N(1e12) - 5e11, rng.Int64N(1e11), 1 + rng.Int64N(1e7)})
	}
	for _, c := range cases {
		require.Equal(t, ref(c[0], c[1], c[2]), MulDivHalfUp(c[0], c[1], c[2]), "%v", c)
	}
}
