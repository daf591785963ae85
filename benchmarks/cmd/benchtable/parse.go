package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Run is one result line of `go test -bench`: a benchmark name (without the
// "Benchmark" prefix and the -GOMAXPROCS suffix), its iteration count and
// every value it reported, keyed by unit ("ns/op", "B/op", "allocs/op",
// and custom units from b.ReportMetric such as "ns/task").
type Run struct {
	Name   string
	N      int64
	Values map[string]float64
}

// Output is everything Parse understood in a `go test -bench` output.
type Output struct {
	// Meta holds the header lines: goos, goarch, pkg, cpu.
	Meta map[string]string
	// Runs lists the result lines in the order they appeared.
	Runs []Run
}

var procsSuffix = regexp.MustCompile(`-\d+$`)

// Parse reads `go test -bench` output. It skips lines it does not know
// (PASS, ok, logs) and fails only on a result line it cannot read, so that a
// changed output format is noticed rather than silently dropped. A benchmark
// name printed on its own line (as happens when the benchmark logs) is joined
// with the result line that follows.
//
// The -N suffix that `go test` appends when GOMAXPROCS > 1 is always
// stripped, so benchmark names must not end in -digits themselves.
func Parse(r io.Reader) (*Output, error) {
	out := &Output{Meta: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	pending := ""
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, ": "); ok && slices.Contains([]string{"goos", "goarch", "pkg", "cpu"}, k) {
			out.Meta[k] = strings.TrimSpace(v)
			continue
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if strings.HasPrefix(fields[0], "Benchmark") {
			if len(fields) == 1 {
				pending = fields[0]
				continue
			}
			if !isInt(fields[1]) {
				continue // a log line that happens to start with Benchmark
			}
			run, err := parseResult(fields[0], fields[1:])
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", lineNo, err)
			}
			out.Runs = append(out.Runs, run)
			pending = ""
			continue
		}
		if pending != "" && isInt(fields[0]) && len(fields) >= 3 {
			run, err := parseResult(pending, fields)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", lineNo, err)
			}
			out.Runs = append(out.Runs, run)
			pending = ""
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func isInt(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// parseResult reads "N value unit value unit ..." for the benchmark name.
func parseResult(name string, fields []string) (Run, error) {
	n, err := strconv.ParseInt(fields[0], 10, 64)
	if err != nil {
		return Run{}, fmt.Errorf("%s: iteration count %q: %w", name, fields[0], err)
	}
	rest := fields[1:]
	if len(rest) == 0 || len(rest)%2 != 0 {
		return Run{}, fmt.Errorf("%s: want value/unit pairs, got %q", name, strings.Join(rest, " "))
	}
	run := Run{
		Name:   procsSuffix.ReplaceAllString(strings.TrimPrefix(name, "Benchmark"), ""),
		N:      n,
		Values: map[string]float64{},
	}
	for i := 0; i < len(rest); i += 2 {
		v, err := strconv.ParseFloat(rest[i], 64)
		if err != nil {
			return Run{}, fmt.Errorf("%s: value %q: %w", name, rest[i], err)
		}
		run.Values[rest[i+1]] = v
	}
	if _, ok := run.Values["ns/op"]; !ok {
		return Run{}, fmt.Errorf("%s: no ns/op", name)
	}
	return run, nil
}

// Result is the median over every run of one benchmark.
type Result struct {
	Name   string
	Count  int
	Values map[string]float64
}

// Medians groups runs by name, in order of first appearance, and takes the
// median of every unit across the runs of a name.
func Medians(runs []Run) []Result {
	var order []string
	byName := map[string][]Run{}
	for _, r := range runs {
		if _, ok := byName[r.Name]; !ok {
			order = append(order, r.Name)
		}
		byName[r.Name] = append(byName[r.Name], r)
	}
	results := make([]Result, 0, len(order))
	for _, name := range order {
		rs := byName[name]
		units := map[string][]float64{}
		for _, r := range rs {
			for u, v := range r.Values {
				units[u] = append(units[u], v)
			}
		}
		res := Result{Name: name, Count: len(rs), Values: map[string]float64{}}
		for u, vs := range units {
			res.Values[u] = median(vs)
		}
		results = append(results, res)
	}
	return results
}

func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
