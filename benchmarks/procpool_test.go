package benchmarks_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/syncprim/syncprim/pool"
	"github.com/syncprim/syncprim/procpool"
)

// TestMain lets this test binary serve as procpool's worker processes.
func TestMain(m *testing.M) {
	procpool.Main()
	os.Exit(m.Run())
}

var benchSquare = procpool.Register("bench-square", func(_ context.Context, n int) (int, error) { return n * n, nil })

// pySquare submits n trivial tasks to a warm ProcessPoolExecutor(2), waits
// for them all and prints the time per task in nanoseconds.
const pySquare = `import sys, time
from concurrent.futures import ProcessPoolExecutor

def square(n):
    return n * n

if __name__ == "__main__":
    n = int(sys.argv[1])
    with ProcessPoolExecutor(2) as ex:
        list(ex.map(square, range(100)))  # both workers started and warm
        t = time.perf_counter()
        futs = [ex.submit(square, i) for i in range(n)]
        for f in futs:
            f.result()
        dt = time.perf_counter() - t
    print(dt * 1e9 / n)
`

// BenchmarkProcpool is the cost of the process boundary: b.N trivial tasks
// submitted at once to 2 worker processes (warm), then all their results
// collected, per task; the same on pool's 2 goroutines; and Python's
// ProcessPoolExecutor(2) doing the same, timed by Python itself (skipped
// when python3 is not on PATH).
func BenchmarkProcpool(b *testing.B) {
	b.Run("RoundTrip", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			ctx := context.Background()
			p := procpool.New(2, procpool.WithStderr(nil))
			defer func() { p.Close(); _ = p.Wait() }()
			if _, err := procpool.Map(ctx, p, benchSquare, []int{1, 2, 3, 4}); err != nil {
				b.Fatal(err)
			}
			futs := make([]*pool.Future[int], b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range futs {
				futs[i] = procpool.Submit(ctx, p, benchSquare, i)
			}
			for _, f := range futs {
				if _, err := f.Result(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("anchor=pool", func(b *testing.B) {
			p := pool.New(2)
			defer func() { p.Close(); _ = p.Wait() }()
			futs := make([]*pool.Future[int], b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range futs {
				n := i
				futs[i] = pool.Submit(p, func(context.Context) (int, error) { return n * n, nil })
			}
			for _, f := range futs {
				if _, err := f.Result(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("anchor=python", func(b *testing.B) {
			py, err := exec.LookPath("python3")
			if err != nil {
				b.Skip("python3 not on PATH")
			}
			script := filepath.Join(b.TempDir(), "square.py")
			if err := os.WriteFile(script, []byte(pySquare), 0o600); err != nil {
				b.Fatal(err)
			}
			out, err := exec.Command(py, script, strconv.Itoa(max(b.N, 2000))).Output()
			if err != nil {
				b.Fatal(err)
			}
			ns, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
			if err != nil {
				b.Fatalf("python printed %q: %v", out, err)
			}
			b.ReportMetric(ns, "ns/op") // Python's own time per task, not the interpreter's start-up
		})
	})
}
