package main

import (
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// SVG draws one horizontal bar per row that has a ratio, on a log2 axis
// centred on 1.0: a bar going left means we are faster than the anchor.
// Bars are green when the row meets its goal, red when it does not, grey
// for reference rows; a black tick marks each goal. subtitle is printed
// under the title (machine, date).
func SVG(rows []Row, subtitle string) string {
	var bars []Row
	for _, r := range rows {
		if !math.IsNaN(r.Ratio()) {
			bars = append(bars, r)
		}
	}
	const (
		left   = 330.0 // label column
		plotW  = 400.0
		right  = 70.0
		top    = 64.0
		rowH   = 22.0
		bottom = 56.0
	)
	width := left + plotW + right
	height := top + rowH*float64(max(len(bars), 1)) + bottom

	lo, hi := 0.25, 4.0
	for _, r := range bars {
		lo = math.Min(lo, r.Ratio())
		hi = math.Max(hi, r.Ratio())
		if r.Goal != nil && r.Goal.MaxRatio > 0 {
			lo = math.Min(lo, r.Goal.MaxRatio)
			hi = math.Max(hi, r.Goal.MaxRatio)
		}
	}
	lo = math.Pow(2, math.Floor(math.Log2(lo)))
	hi = math.Pow(2, math.Ceil(math.Log2(hi)))
	x := func(v float64) float64 {
		return left + plotW*(math.Log2(v)-math.Log2(lo))/(math.Log2(hi)-math.Log2(lo))
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n",
		width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="22" font-size="15" font-weight="bold">syncprim time ÷ anchor time (log scale; left of 1.0: syncprim is faster)</text>`+"\n", 10.0)
	fmt.Fprintf(&b, `<text x="%.0f" y="40" fill="#555">%s</text>`+"\n", 10.0, esc(subtitle))

	plotBottom := top + rowH*float64(max(len(bars), 1))
	// Grid: one line per power of two.
	for v := lo; v <= hi*1.0001; v *= 2 {
		stroke, w := "#ddd", 1.0
		if v == 1 {
			stroke, w = "#333", 1.5
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%.1f"/>`+"\n",
			x(v), top-6, x(v), plotBottom, stroke, w)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#555">%s×</text>`+"\n",
			x(v), plotBottom+16, strconv.FormatFloat(v, 'g', -1, 64))
	}

	for i, r := range bars {
		y := top + rowH*float64(i)
		ratio := r.Ratio()
		color := "#9e9e9e"
		switch r.Verdict() {
		case "yes":
			color = "#2e7d32"
		case "no":
			color = "#c62828"
		}
		label := r.Key + " vs " + r.Anchor
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-8, y+rowH/2+4, esc(label))
		x0, x1 := x(1), x(ratio)
		if x1 < x0 {
			x0, x1 = x1, x0
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %.2f×</title></rect>`+"\n",
			x0, y+4, math.Max(x1-x0, 1), rowH-8, color, esc(label), ratio)
		// The value sits in its own column right of the plot, where neither
		// a goal tick nor a long bar can cover it.
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" fill="%s">%.2f×</text>`+"\n", width-10, y+rowH/2+4, color, ratio)
		if r.Goal != nil && r.Goal.MaxRatio > 0 {
			gx := x(r.Goal.MaxRatio)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-width="2.5"><title>goal ≤%.1f×</title></line>`+"\n",
				gx, y+1, gx, y+rowH-1, r.Goal.MaxRatio)
		}
	}
	if len(bars) == 0 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">no paired results</text>`+"\n", left, top+rowH/2+4)
	}
	ly := plotBottom + 38
	legend := []struct{ color, text string }{{"#2e7d32", "goal met"}, {"#c62828", "goal not met"}, {"#9e9e9e", "reference (no goal)"}}
	lx := 10.0
	for _, l := range legend {
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/><text x="%.1f" y="%.1f">%s</text>`+"\n", lx, ly-10, l.color, lx+16, ly, l.text)
		lx += 150
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-width="2.5"/><text x="%.1f" y="%.1f">goal (maximum ratio)</text>`+"\n", lx, ly-11, lx, ly+1, lx+8, ly)
	b.WriteString("</svg>\n")
	return b.String()
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
