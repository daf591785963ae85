package main

import (
	"encoding/xml"
	"io"
	"math"
	"os"
	"strings"
	"testing"
)

func parseFile(t *testing.T, path string) *Output {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The sample was captured from `go test -bench . -benchmem -count 2` of a
// scratch package using the same naming scheme, log lines included.
func TestParseCapturedSample(t *testing.T) {
	out := parseFile(t, "testdata/scratch-sample.txt")
	if got := out.Meta["cpu"]; got != "AMD EPYC" {
		t.Errorf("cpu = %q", got)
	}
	if got := out.Meta["goos"]; got != "linux" {
		t.Errorf("goos = %q", got)
	}
	if len(out.Runs) != 8 {
		t.Fatalf("got %d runs, want 8: %+v", len(out.Runs), out.Runs)
	}
	first := out.Runs[0]
	if first.Name != "Lock/Uncontended/ours" || first.N != 2081319 || first.Values["ns/op"] != 10.23 ||
		first.Values["allocs/op"] != 0 || first.Values["B/op"] != 0 {
		t.Errorf("first run = %+v", first)
	}
	if got := out.Runs[2].Name; got != "Lock/Uncontended/anchor=sync.Mutex" {
		t.Errorf("third run name = %q", got)
	}
	last := out.Runs[7]
	if last.Name != "RLock/Recursion/ours" || last.Values["ns/level"] != 3.5 || last.Values["ns/op"] != 0.7841 {
		t.Errorf("last run = %+v", last)
	}
}

func TestParseNameOnItsOwnLine(t *testing.T) {
	in := "BenchmarkPool/Go10k/ours-2\nsome output the benchmark printed\n     100\t  1700000 ns/op\t 170.0 ns/task\t 12 B/op\t 1 allocs/op\n"
	out, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Runs) != 1 || out.Runs[0].Name != "Pool/Go10k/ours" || out.Runs[0].Values["ns/task"] != 170 {
		t.Fatalf("runs = %+v", out.Runs)
	}
}

func TestParseRejectsMalformedResultLines(t *testing.T) {
	for _, line := range []string{
		"BenchmarkX-2 100 12.5",                // value without unit
		"BenchmarkX-2 100 abc ns/op",           // value not a number
		"BenchmarkX-2 100 12 B/op 0 allocs/op", // no ns/op
	} {
		if _, err := Parse(strings.NewReader(line + "\n")); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", line)
		}
	}
}

func TestParseKeepsNamesWithoutProcsSuffix(t *testing.T) {
	out, err := Parse(strings.NewReader("BenchmarkQueue/4P4C/anchor=chan 10 5 ns/op\n"))
	if err != nil {
		t.Fatal(err)
	}
	if out.Runs[0].Name != "Queue/4P4C/anchor=chan" {
		t.Errorf("name = %q", out.Runs[0].Name)
	}
}

func TestMedians(t *testing.T) {
	out := parseFile(t, "testdata/scratch-sample.txt")
	res := Medians(out.Runs)
	want := map[string]float64{
		"Lock/Uncontended/ours":              (9.861 + 10.23) / 2,
		"Lock/Uncontended/anchor=sync.Mutex": (5.239 + 8.145) / 2,
		"Event/IsSet/anchor=atomic.Bool":     (0.6833 + 0.8201) / 2,
		"RLock/Recursion/ours":               (0.6450 + 0.7841) / 2,
	}
	if len(res) != len(want) {
		t.Fatalf("got %d results, want %d", len(res), len(want))
	}
	for _, r := range res {
		if w, ok := want[r.Name]; !ok || math.Abs(r.Values["ns/op"]-w) > 1e-9 || r.Count != 2 {
			t.Errorf("%s: ns/op %v count %d, want %v count 2", r.Name, r.Values["ns/op"], r.Count, w)
		}
	}
	if got := median([]float64{5, 1, 3}); got != 3 {
		t.Errorf("median of 3 = %v", got)
	}
}

func TestSplitName(t *testing.T) {
	for _, tt := range []struct {
		give, key, anchor string
		ours              bool
	}{
		{"Lock/Uncontended/ours", "Lock/Uncontended", "", true},
		{"Lock/Uncontended/anchor=sync.Mutex", "Lock/Uncontended", "sync.Mutex", false},
		{"Semaphore/Parallel/anchor=x/sync", "Semaphore/Parallel", "x/sync", false},
		{"Lonely", "Lonely", "", true},
	} {
		key, anchor, ours := splitName(tt.give)
		if key != tt.key || anchor != tt.anchor || ours != tt.ours {
			t.Errorf("splitName(%q) = %q, %q, %v", tt.give, key, anchor, ours)
		}
	}
}

func result(name string, nsop, allocs float64, extra ...any) Result {
	r := Result{Name: name, Count: 1, Values: map[string]float64{"ns/op": nsop, "allocs/op": allocs}}
	for i := 0; i < len(extra); i += 2 {
		r.Values[extra[i].(string)] = extra[i+1].(float64)
	}
	return r
}

func TestPairAndVerdicts(t *testing.T) {
	testGoals := []Goal{
		{Key: "A", Anchor: "m", MaxRatio: 1.1, Limits: []Limit{zeroAllocs}},
		{Key: "B", Anchor: "*", MaxRatio: 1.0},
		{Key: "C", Limits: []Limit{{Unit: "ns/level", Max: 5}}},
		{Key: "D", Anchor: "gone", MaxRatio: 1.0},
		{Key: "E", Anchor: "m", MaxRatio: 1.0, Limits: []Limit{zeroAllocs}},
		{Key: "Never", MaxRatio: 2},
	}
	results := []Result{
		result("A/ours", 10.5, 0), result("A/anchor=m", 10, 0), result("A/anchor=chan", 20, 0),
		result("B/ours", 90, 3), result("B/anchor=slow", 200, 1), result("B/anchor=fast", 100, 1),
		result("C/ours", 50, 0, "ns/level", 6.0),
		result("D/ours", 1, 0), result("D/anchor=other", 1, 0),
		result("E/ours", 5, 1), result("E/anchor=m", 10, 0),
	}
	rows := Pair(results, testGoals)
	type want struct {
		key, anchor, verdict string
		ref                  bool
	}
	wants := []want{
		{"A", "m", "yes", false}, {"A", "chan", "", true},
		{"B", "slow", "", true}, {"B", "fast", "yes", false},
		{"C", "", "no", false},
		{"D", "other", "", true}, {"D", "gone", "n/a", false},
		{"E", "m", "no", false}, // faster, but allocates
	}
	if len(rows) != len(wants) {
		t.Fatalf("got %d rows, want %d: %+v", len(rows), len(wants), rows)
	}
	for i, w := range wants {
		r := rows[i]
		if r.Key != w.key || r.Anchor != w.anchor || r.Verdict() != w.verdict || r.Ref != w.ref {
			t.Errorf("row %d = %s vs %s verdict %q ref %v, want %+v", i, r.Key, r.Anchor, r.Verdict(), r.Ref, w)
		}
	}
	if got := rows[0].Ratio(); math.Abs(got-1.05) > 1e-9 {
		t.Errorf("ratio A = %v, want 1.05", got)
	}
	// A ratio just above the goal fails.
	rowsSlow := Pair([]Result{result("A/ours", 11.2, 0), result("A/anchor=m", 10, 0)}, testGoals)
	if v := rowsSlow[0].Verdict(); v != "no" {
		t.Errorf("ratio 1.12 against goal 1.1: verdict %q, want no", v)
	}
	miss := Missing(results, testGoals)
	if len(miss) != 1 || miss[0].Key != "Never" {
		t.Errorf("missing = %+v", miss)
	}
}

func TestMarkdown(t *testing.T) {
	rows := Pair([]Result{
		result("Pool/Go10k/ours", 1.7e6, 3, "ns/task", 170.0),
		result("Pool/Go10k/anchor=pond", 2e6, 20010, "ns/task", 200.0),
	}, goals)
	md := Markdown(rows)
	wantLine := "| Pool/Go10k vs pond | 1700000 | 2000000 | 0.85 | 3.00 / 20010 | ≤1.0× best | yes | 170 ns/task; 200 ns/task |"
	if !strings.Contains(md, wantLine+"\n") {
		t.Errorf("markdown lacks\n%s\ngot\n%s", wantLine, md)
	}
	if !strings.HasPrefix(md, "| benchmark | ours ns/op | anchor ns/op | ratio | allocs/op | goal | met? |") {
		t.Errorf("header: %s", md)
	}
	doc := Document(rows, nil, "now", "here", "1 round")
	if !strings.Contains(doc, "Goals met: 1 of 1 measured.") {
		t.Errorf("document summary wrong:\n%s", doc)
	}
}

func TestSVGIsWellFormedWithOneBarPerPair(t *testing.T) {
	rows := Pair([]Result{
		result("Lock/Uncontended/ours", 12, 0), result("Lock/Uncontended/anchor=sync.Mutex", 10, 0),
		result("Queue/1P1C/ours", 50, 0), result("Queue/1P1C/anchor=chan", 100, 0),
		result("RLock/Recursion/ours", 50, 0, "ns/level", 3.0), // no ratio: no bar
	}, goals)
	svg := SVG(rows, "test <&> run")
	dec := xml.NewDecoder(strings.NewReader(svg))
	bars, goalsSeen := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if se.Name.Local == "rect" && a.Name.Local == "fill" && (a.Value == "#c62828" || a.Value == "#2e7d32") {
					bars++
				}
				if se.Name.Local == "line" && a.Name.Local == "stroke-width" && a.Value == "2.5" {
					goalsSeen++
				}
			}
		}
	}
	// Two bars (red: 1.2 > 1.1, green: 0.5 ≤ 1.0) plus one legend swatch each.
	if bars != 4 {
		t.Errorf("found %d coloured rects, want 2 bars + 2 legend swatches", bars)
	}
	if goalsSeen != 3 {
		t.Errorf("found %d goal markers, want 2 + 1 in the legend", goalsSeen)
	}
}

func TestPairOrdersRowsByGoals(t *testing.T) {
	rows := Pair([]Result{
		result("Unknown/ours", 1, 0),
		result("Queue/1P1C/ours", 1, 0), result("Queue/1P1C/anchor=chan", 1, 0),
		result("Lock/Uncontended/ours", 1, 0), result("Lock/Uncontended/anchor=sync.Mutex", 1, 0),
	}, goals)
	var keys []string
	for _, r := range rows {
		keys = append(keys, r.Key)
	}
	if got := strings.Join(keys, ","); got != "Lock/Uncontended,Queue/1P1C,Unknown" {
		t.Errorf("row order = %s", got)
	}
}

func TestGoalText(t *testing.T) {
	for _, tt := range []struct {
		give Goal
		want string
	}{
		{Goal{MaxRatio: 1.1, Anchor: "m", Limits: []Limit{zeroAllocs}}, "≤1.1×, 0 allocs/op"},
		{Goal{MaxRatio: 1, Anchor: "*"}, "≤1.0× best"},
		{Goal{Limits: []Limit{{Unit: "ns/level", Max: 5}}}, "≤5 ns/level"},
		{Goal{MaxRatio: 0.5, Anchor: "pond", Limits: []Limit{{Unit: "allocs/task", Max: 1}}}, "≤0.5×, ≤1 allocs/task"},
	} {
		if got := GoalText(&tt.give); got != tt.want {
			t.Errorf("GoalText(%+v) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestVerdictComparesValuesAsPrinted(t *testing.T) {
	g := []Goal{
		{Key: "R", Anchor: "m", MaxRatio: 1.1},
		{Key: "S", Limits: []Limit{{Unit: "allocs/task", Max: 1}}},
	}
	for _, tt := range []struct {
		give []Result
		want string
	}{
		{[]Result{result("R/ours", 11.04, 0), result("R/anchor=m", 10, 0)}, "yes"}, // 1.104 prints 1.10
		{[]Result{result("R/ours", 11.06, 0), result("R/anchor=m", 10, 0)}, "no"},  // 1.106 prints 1.11
		{[]Result{result("S/ours", 1, 0, "allocs/task", 1.0018)}, "yes"},           // prints 1.00
		{[]Result{result("S/ours", 1, 0, "allocs/task", 1.006)}, "no"},             // prints 1.01
	} {
		rows := Pair(tt.give, g)
		if got := rows[0].Verdict(); got != tt.want {
			t.Errorf("%s: verdict %q, want %q", tt.give[0].Name, got, tt.want)
		}
	}
}

// real-round.txt is one round of the real benchmarks, captured from
// `make bench` on 2 cores: every goal must find its benchmark in it.
func TestRealRoundCoversEveryGoal(t *testing.T) {
	out := parseFile(t, "testdata/real-round.txt")
	results := Medians(out.Runs)
	if miss := Missing(results, goals); len(miss) != 0 {
		t.Errorf("goals without a benchmark: %+v", miss)
	}
	rows := Pair(results, goals)
	withGoal := 0
	for _, r := range rows {
		if r.Goal != nil {
			withGoal++
			if v := r.Verdict(); v != "yes" && v != "no" {
				t.Errorf("%s vs %s: verdict %q", r.Key, r.Anchor, v)
			}
		}
	}
	if withGoal != len(goals) {
		t.Errorf("%d rows carry a goal, want one per goal (%d)", withGoal, len(goals))
	}
	for _, r := range results {
		if strings.HasPrefix(r.Name, "Pool/") {
			if _, ok := r.Values["ns/task"]; !ok {
				t.Errorf("%s has no ns/task", r.Name)
			}
		}
	}
}
