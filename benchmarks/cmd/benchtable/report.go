package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Row is one line of the table: our result beside one anchor's.
type Row struct {
	Key    string
	Anchor string  // "" when the benchmark has no anchor
	Ours   *Result // nil when only the anchor ran
	Theirs *Result // nil when there is no anchor
	Goal   *Goal   // nil when no goal applies to this row
	// Ref is true for a row whose key has a goal that applies to another
	// anchor (a reference point, such as a channel semaphore).
	Ref bool
}

// Ratio is ours/anchor in ns/op, or NaN when either side is missing.
func (r Row) Ratio() float64 {
	if r.Ours == nil || r.Theirs == nil || r.Theirs.Values["ns/op"] == 0 {
		return math.NaN()
	}
	return r.Ours.Values["ns/op"] / r.Theirs.Values["ns/op"]
}

// Verdict says whether the row meets its goal: "yes", "no", "n/a" (a side
// needed by the goal did not run) or "" (no goal).
func (r Row) Verdict() string {
	if r.Goal == nil {
		return ""
	}
	if r.Ours == nil {
		return "n/a"
	}
	met := true
	if r.Goal.MaxRatio > 0 {
		ratio := r.Ratio()
		if math.IsNaN(ratio) {
			return "n/a"
		}
		met = met && asPrinted(ratio, strconv.FormatFloat(ratio, 'f', 2, 64)) <= r.Goal.MaxRatio
	}
	for _, l := range r.Goal.Limits {
		v, ok := r.Ours.Values[l.Unit]
		if !ok {
			return "n/a"
		}
		met = met && asPrinted(v, num(v)) <= l.Max
	}
	if met {
		return "yes"
	}
	return "no"
}

// asPrinted is v rounded as the table prints it (printed), so that a
// verdict never contradicts the numbers beside it: a pool's fixed cost of 18
// allocations spread over 10k tasks shows as "1.00 allocs/task" and meets
// "≤1 allocs/task".
func asPrinted(v float64, printed string) float64 {
	p, err := strconv.ParseFloat(printed, 64)
	if err != nil {
		return v
	}
	return p
}

// splitName splits "Lock/Uncontended/ours" into ("Lock/Uncontended", "", true)
// and "Lock/Uncontended/anchor=sync.Mutex" into ("Lock/Uncontended",
// "sync.Mutex", false). A name that is neither is its own key with no side.
func splitName(name string) (key, anchor string, ours bool) {
	if k, ok := strings.CutSuffix(name, "/ours"); ok {
		return k, "", true
	}
	if i := strings.LastIndex(name, "/anchor="); i >= 0 {
		return name[:i], name[i+len("/anchor="):], false
	}
	return name, "", true
}

// Pair builds the table rows from the medians: one row per anchor of each
// key (a key with no anchor gets one row), keys in order of first
// appearance, and attaches the goals.
func Pair(results []Result, goals []Goal) []Row {
	type group struct {
		ours    *Result
		anchors []*Result
		names   []string
	}
	var order []string
	groups := map[string]*group{}
	for i := range results {
		res := &results[i]
		key, anchor, ours := splitName(res.Name)
		g, ok := groups[key]
		if !ok {
			g = &group{}
			groups[key] = g
			order = append(order, key)
		}
		if ours {
			g.ours = res
		} else {
			g.anchors = append(g.anchors, res)
			g.names = append(g.names, anchor)
		}
	}
	// Keys with a goal come in the order of the goals, the others after
	// them in order of appearance.
	rank := func(key string) int {
		for i := range goals {
			if goals[i].Key == key {
				return i
			}
		}
		return len(goals)
	}
	slices.SortStableFunc(order, func(a, b string) int { return rank(a) - rank(b) })
	var rows []Row
	for _, key := range order {
		g := groups[key]
		var goal *Goal
		for i := range goals {
			if goals[i].Key == key {
				goal = &goals[i]
			}
		}
		target := -1 // index of the anchor the goal applies to
		if goal != nil {
			switch goal.Anchor {
			case "":
				target = 0
			case "*":
				for i, a := range g.anchors {
					if target < 0 || a.Values["ns/op"] < g.anchors[target].Values["ns/op"] {
						target = i
					}
				}
			default:
				target = slices.Index(g.names, goal.Anchor)
			}
		}
		if len(g.anchors) == 0 {
			// With a ratio goal the verdict is n/a: the anchor did not run.
			rows = append(rows, Row{Key: key, Ours: g.ours, Goal: goal})
			continue
		}
		for i, a := range g.anchors {
			row := Row{Key: key, Anchor: g.names[i], Ours: g.ours, Theirs: a}
			if goal != nil {
				if i == target {
					row.Goal = goal
				} else {
					row.Ref = true
				}
			}
			rows = append(rows, row)
		}
		if goal != nil && goal.MaxRatio > 0 && target < 0 {
			// The anchor named by the goal did not run.
			rows = append(rows, Row{Key: key, Anchor: goal.Anchor, Ours: g.ours, Goal: goal})
		}
	}
	return rows
}

// Missing lists the goals no benchmark result matched.
func Missing(results []Result, goals []Goal) []Goal {
	seen := map[string]bool{}
	for _, r := range results {
		k, _, _ := splitName(r.Name)
		seen[k] = true
	}
	var miss []Goal
	for _, g := range goals {
		if !seen[g.Key] {
			miss = append(miss, g)
		}
	}
	return miss
}

// GoalText renders a goal for the table: "≤1.1×, 0 allocs/op".
func GoalText(g *Goal) string {
	var parts []string
	if g.MaxRatio > 0 {
		s := "≤" + strconv.FormatFloat(g.MaxRatio, 'f', 1, 64) + "×"
		if g.Anchor == "*" {
			s += " best"
		}
		parts = append(parts, s)
	}
	for _, l := range g.Limits {
		if l.Max == 0 {
			parts = append(parts, "0 "+l.Unit)
		} else {
			parts = append(parts, "≤"+strconv.FormatFloat(l.Max, 'g', -1, 64)+" "+l.Unit)
		}
	}
	return strings.Join(parts, ", ")
}

// num formats a measurement with about three significant digits.
func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case v == 0:
		return "0"
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case math.Abs(v) >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case math.Abs(v) >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
}

// extraUnits are the custom metrics shown in the last column, in this order.
func extraUnits(r *Result) []string {
	var units []string
	for u := range r.Values {
		switch u {
		case "ns/op", "B/op", "allocs/op", "MB/s":
		default:
			units = append(units, u)
		}
	}
	slices.Sort(units)
	return units
}

func extras(r *Result) string {
	if r == nil {
		return "—"
	}
	var parts []string
	for _, u := range extraUnits(r) {
		parts = append(parts, num(r.Values[u])+" "+u)
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ")
}

func value(r *Result, unit string) float64 {
	if r == nil {
		return math.NaN()
	}
	v, ok := r.Values[unit]
	if !ok {
		return math.NaN()
	}
	return v
}

// Markdown renders the rows as a markdown table.
func Markdown(rows []Row) string {
	var b strings.Builder
	b.WriteString("| benchmark | ours ns/op | anchor ns/op | ratio | allocs/op | goal | met? | other metrics (ours; anchor) |\n")
	b.WriteString("|---|---:|---:|---:|---:|---|---|---|\n")
	for _, r := range rows {
		name := r.Key
		if r.Anchor != "" {
			name += " vs " + r.Anchor
		}
		ratio := "—"
		if x := r.Ratio(); !math.IsNaN(x) {
			ratio = strconv.FormatFloat(x, 'f', 2, 64)
		}
		allocs := num(value(r.Ours, "allocs/op"))
		if r.Theirs != nil {
			allocs += " / " + num(value(r.Theirs, "allocs/op"))
		}
		goal, verdict := "—", r.Verdict()
		switch {
		case r.Goal != nil:
			goal = GoalText(r.Goal)
		case r.Ref:
			goal = "reference"
		}
		if verdict == "no" {
			verdict = "**no**"
		}
		other := extras(r.Ours)
		if r.Theirs != nil {
			if e := extras(r.Theirs); e != "" {
				other += "; " + e
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
			name, num(value(r.Ours, "ns/op")), num(value(r.Theirs, "ns/op")), ratio, allocs, goal, verdict, other)
	}
	return b.String()
}
