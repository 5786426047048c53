package reports_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/views/reports"
)

func pct(v int64) string { return strconv.FormatInt(v, 10) + " %" }

func TestChartBarsGeometry(t *testing.T) {
	t.Parallel()
	c := reports.NewBarChart("occ", "Ocupación", "resumen", []reports.Point{
		{Label: "ene", Sub: "2028", Name: "enero de 2028", Value: 0, Display: "0 %"},
		{Label: "feb", Value: 50, Display: "50 %"},
		{Label: "mar", Value: 100, Display: "100 %"},
		{Label: "abr", Value: 25, Display: "25 %"},
	}, 100, pct)
	require.Equal(t, "0 0 640 260", c.ViewBox())
	require.Len(t, c.Bars, 4)
	plotH := c.Bottom - c.Top
	require.Equal(t, 196.0, plotH)

	require.Equal(t, 0.0, c.Bars[0].H, "a zero is a bar of no height, on the axis")
	require.Equal(t, c.Bottom, c.Bars[0].Y)
	require.Equal(t, plotH/2, c.Bars[1].H)
	require.Equal(t, c.Top, c.Bars[2].Y, "the axis maximum is the top of the plot")
	require.Equal(t, plotH, c.Bars[2].H)
	require.Equal(t, 49.0, c.Bars[3].H)
	for i, b := range c.Bars {
		require.Equal(t, c.Bottom, b.Y+b.H, "bar %d stands on the axis", i)
		require.GreaterOrEqual(t, b.X, c.Left)
		require.LessOrEqual(t, b.X+b.W, c.Right)
		require.InDelta(t, b.CenterX, b.X+b.W/2, 0.11)
		if i > 0 {
			require.Greater(t, b.X, c.Bars[i-1].X+c.Bars[i-1].W, "bars do not overlap")
		}
	}
	require.Equal(t, "enero de 2028: 0 %", c.Bars[0].Tooltip)
	require.Equal(t, "feb: 50 %", c.Bars[1].Tooltip, "the label names a bar without a name")
	require.Equal(t, "2028", c.Bars[0].Sub)

	require.Equal(t, []reports.Tick{{Y: c.Bottom, Label: "0 %"}, {Y: 169, Label: "25 %"}, {Y: 120, Label: "50 %"},
		{Y: 71, Label: "75 %"}, {Y: c.Top, Label: "100 %"}}, c.Ticks)
}

func TestChartRoundAxis(t *testing.T) {
	t.Parallel()
	for v, want := range map[int64]int64{0: 0, 1: 1, 3: 4, 7: 8, 9: 10, 10: 10, 11: 20, 37: 40, 55: 60,
		3_000_000: 4_000_000, 8_000_001: 10_000_000, 12_345_67: 2_000_000} {
		require.Equal(t, want, reports.NiceMax(v), "NiceMax(%d)", v)
	}
	c := reports.NewBarChart("rev", "Ingresos", "", []reports.Point{{Label: "a", Value: 3_000_000}, {Label: "b", Value: 1_500_000}}, 0,
		func(v int64) string { return strconv.FormatInt(v/100, 10) })
	require.Equal(t, []string{"0", "10000", "20000", "30000", "40000"}, tickLabels(c))
	require.Equal(t, 147.0, c.Bars[0].H, "3/4 of the plot")
	require.Equal(t, 56.0, c.Bars[0].W, "two bars are no wider than the cap")

	// An axis that cannot split in four splits in two or not at all.
	c = reports.NewBarChart("x", "x", "", []reports.Point{{Label: "a", Value: 1}}, 0, func(v int64) string { return strconv.FormatInt(v, 10) })
	require.Equal(t, []string{"0", "1"}, tickLabels(c))
	c = reports.NewBarChart("x", "x", "", []reports.Point{{Label: "a", Value: 5}}, 10, func(v int64) string { return strconv.FormatInt(v, 10) })
	require.Equal(t, []string{"0", "5", "10"}, tickLabels(c))

	// A value above a fixed maximum raises the axis instead of leaving the plot.
	c = reports.NewBarChart("x", "x", "", []reports.Point{{Label: "a", Value: 120}}, 100, pct)
	require.Equal(t, c.Top, c.Bars[0].Y)
}

func TestChartEmptyAndZero(t *testing.T) {
	t.Parallel()
	c := reports.NewBarChart("x", "x", "", nil, 0, pct)
	require.Empty(t, c.Bars)
	require.Equal(t, []string{"0 %"}, tickLabels(c))

	c = reports.NewBarChart("x", "x", "", []reports.Point{{Label: "a"}, {Label: "b"}, {Label: "c"}}, 0, pct)
	require.Len(t, c.Bars, 3)
	for _, b := range c.Bars {
		require.Zero(t, b.H)
	}
	require.Equal(t, []string{"0 %"}, tickLabels(c), "all zeros: one line at zero, no division by zero")

	many := make([]reports.Point, 15)
	c = reports.NewBarChart("x", "x", "", many, 100, pct)
	require.Len(t, c.Bars, 15)
	require.Less(t, c.Bars[0].W, 56.0, "fifteen bars share the width")
	require.LessOrEqual(t, c.Bars[14].X+c.Bars[14].W, c.Right)
}

func TestChartShortensLabels(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Cabaña", reports.Shorten("Cabaña", 12))
	require.Equal(t, "Cabaña del …", reports.Shorten("Cabaña del Bosque Azul", 12))
	c := reports.NewBarChart("x", "x", "", []reports.Point{{Label: "Cabaña del Bosque Azul", Value: 1, Display: "1 %"}}, 100, pct)
	require.Equal(t, "Cabaña del …", c.Bars[0].Label)
	require.Equal(t, "Cabaña del Bosque Azul: 1 %", c.Bars[0].Tooltip, "the tooltip keeps the full name")
	require.Equal(t, "12.5", reports.Num(12.46))
	require.Equal(t, "3", reports.Num(3))
}

func tickLabels(c reports.BarChart) []string {
	var out []string
	for _, t := range c.Ticks {
		out = append(out, t.Label)
	}
	return out
}
