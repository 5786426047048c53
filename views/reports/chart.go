package reports

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Point is one bar's data.
type Point struct {
	Label   string // under the bar, short ("abr", a property's name)
	Sub     string // a second line under the label (a year), may be empty
	Name    string // the full name, for the bar's tooltip ("abril de 2026")
	Value   int64  // in the chart's unit (percent, cents)
	Display string // the value as people read it, written above the bar
}

// BarChart is a bar chart with every coordinate computed: the template only
// places what is here. Coordinates are in the units of the SVG viewBox.
type BarChart struct {
	ID      string
	Title   string
	Summary string // what the chart says, for screen readers
	Note    string // a line under the title, may be empty ("En dólares…")
	Width   float64
	Height  float64
	// The plot area: bars grow up from Bottom; Top is the axis maximum.
	Left, Right, Top, Bottom float64
	Bars                     []Bar
	Ticks                    []Tick
}

// Bar is one drawn bar with its labels.
type Bar struct {
	X, Y, W, H float64
	CenterX    float64
	Label      string
	Sub        string
	Tooltip    string
	Display    string
}

// Tick is a horizontal grid line with its value on the axis.
type Tick struct {
	Y     float64
	Label string
}

// The chart's frame, in viewBox units.
const (
	chartWidth   = 640.0
	chartHeight  = 260.0
	marginLeft   = 76.0
	marginRight  = 8.0
	marginTop    = 22.0
	marginBottom = 42.0
	maxBarWidth  = 56.0
	labelRunes   = 12
)

// NewBarChart lays points out as bars. axisMax fixes the top of the value
// axis (100 for percentages); 0 picks a round number at or above the largest
// value. tickLabel writes the values of the axis.
func NewBarChart(id, title, summary string, points []Point, axisMax int64, tickLabel func(int64) string) BarChart {
	c := BarChart{ID: id, Title: title, Summary: summary, Width: chartWidth, Height: chartHeight,
		Left: marginLeft, Right: chartWidth - marginRight, Top: marginTop, Bottom: chartHeight - marginBottom}
	var largest int64
	for _, p := range points {
		largest = max(largest, p.Value)
	}
	top := axisMax
	if top <= 0 {
		top = NiceMax(largest)
	}
	top = max(top, largest)
	plotH := c.Bottom - c.Top
	y := func(v int64) float64 {
		if top <= 0 || v <= 0 {
			return c.Bottom
		}
		return round1(c.Bottom - float64(v)/float64(top)*plotH)
	}
	steps := tickSteps(top)
	for i := 0; i <= steps; i++ {
		v := int64(0)
		if steps > 0 {
			v = top * int64(i) / int64(steps)
		}
		c.Ticks = append(c.Ticks, Tick{Y: y(v), Label: tickLabel(v)})
	}
	if len(points) == 0 {
		return c
	}
	band := (c.Right - c.Left) / float64(len(points))
	w := round1(min(band*0.7, maxBarWidth))
	for i, p := range points {
		cx := round1(c.Left + band*(float64(i)+0.5))
		top := y(p.Value)
		name := p.Name
		if name == "" {
			name = p.Label
		}
		c.Bars = append(c.Bars, Bar{X: round1(cx - w/2), Y: top, W: w, H: round1(c.Bottom - top), CenterX: cx,
			Label: Shorten(p.Label, labelRunes), Sub: p.Sub, Tooltip: name + ": " + p.Display, Display: p.Display})
	}
	return c
}

// ViewBox is the SVG viewBox attribute.
func (c BarChart) ViewBox() string { return "0 0 " + Num(c.Width) + " " + Num(c.Height) }

// NiceMax is the smallest round number (1, 2, 4, 6 or 8 times a power of
// ten) at or above v, so the axis reads in round steps. 0 stays 0.
func NiceMax(v int64) int64 {
	if v <= 0 {
		return 0
	}
	p := int64(1)
	for p <= v/10 {
		p *= 10
	}
	for _, m := range []int64{1, 2, 4, 6, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// tickSteps divides the axis into 4 equal whole steps when it can, else 2, else 1.
func tickSteps(top int64) int {
	switch {
	case top <= 0:
		return 0
	case top%4 == 0:
		return 4
	case top%2 == 0:
		return 2
	}
	return 1
}

// Shorten cuts s to n characters, ending in "…" when it cut.
func Shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Num writes a coordinate with at most one decimal.
func Num(v float64) string { return strconv.FormatFloat(round1(v), 'f', -1, 64) }

func round1(v float64) float64 { return math.Round(v*10) / 10 }
