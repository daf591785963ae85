package benchmarks_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/alitto/pond/v2"
	"github.com/panjf2000/ants/v2"
	concpool "github.com/sourcegraph/conc/pool"
	"github.com/syncprim/syncprim/pool"
	"golang.org/x/sync/errgroup"
)

// Every op of these benchmarks creates a pool of 2 workers, runs 10k
// trivial tasks through it and waits for them all, so worker start-up and
// shut-down are part of the cost for every library. Task functions are
// built once outside the loop: the allocations counted are the pools' own.

var counter atomic.Int64

// tasks is the number of tasks one op of the pool benchmarks runs.
const tasks = 10_000

// perTask runs op b.N times and reports ns/task and allocs/task besides
// ns/op, for benchmarks whose op runs n tasks.
func perTask(b *testing.B, n int, op func()) {
	b.Helper()
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		op()
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	total := float64(b.N) * float64(n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/task")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/task")
}

func BenchmarkPool(b *testing.B) {
	b.Run("Go10k", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			task := func(context.Context) error { counter.Add(1); return nil }
			perTask(b, tasks, func() {
				p := pool.New(2)
				for range tasks {
					if err := p.Go(task); err != nil {
						b.Fatal(err)
					}
				}
				p.Close()
				if err := p.Wait(); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run("anchor=pond", func(b *testing.B) {
			task := func() { counter.Add(1) }
			perTask(b, tasks, func() {
				p := pond.NewPool(2)
				for range tasks {
					p.Go(task)
				}
				p.StopAndWait()
			})
		})
		b.Run("anchor=conc", func(b *testing.B) {
			task := func() { counter.Add(1) }
			perTask(b, tasks, func() {
				p := concpool.New().WithMaxGoroutines(2)
				for range tasks {
					p.Go(task)
				}
				p.Wait()
			})
		})
		b.Run("anchor=ants", func(b *testing.B) {
			var wg sync.WaitGroup
			task := func() { counter.Add(1); wg.Done() }
			perTask(b, tasks, func() {
				p, err := ants.NewPool(2)
				if err != nil {
					b.Fatal(err)
				}
				for range tasks {
					wg.Add(1)
					if err := p.Submit(task); err != nil {
						b.Fatal(err)
					}
				}
				wg.Wait()
				p.Release()
			})
		})
		b.Run("anchor=errgroup", func(b *testing.B) {
			task := func() error { counter.Add(1); return nil }
			perTask(b, tasks, func() {
				var g errgroup.Group
				g.SetLimit(2)
				for range tasks {
					g.Go(task)
				}
				if err := g.Wait(); err != nil {
					b.Fatal(err)
				}
			})
		})
	})
	// Futures: submit 10k tasks that return a value, then collect every
	// result. pond's equivalent is a result group: Submit, then Wait.
	b.Run("Submit10k", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			task := func(context.Context) (int, error) { return int(counter.Add(1)), nil }
			futures := make([]*pool.Future[int], tasks)
			perTask(b, tasks, func() {
				p := pool.New(2)
				for i := range futures {
					futures[i] = pool.Submit(p, task)
				}
				sum := 0
				for _, f := range futures {
					v, err := f.Result()
					if err != nil {
						b.Fatal(err)
					}
					sum += v
				}
				sinkInt = sum
				p.Close()
				if err := p.Wait(); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run("anchor=pond", func(b *testing.B) {
			task := func() (int, error) { return int(counter.Add(1)), nil }
			perTask(b, tasks, func() {
				p := pond.NewResultPool[int](2)
				g := p.NewGroup()
				for range tasks {
					g.SubmitErr(task)
				}
				results, err := g.Wait()
				if err != nil {
					b.Fatal(err)
				}
				sum := 0
				for _, v := range results {
					sum += v
				}
				sinkInt = sum
				p.StopAndWait()
			})
		})
	})
	// Map: double 10k ints into a result slice in input order.
	b.Run("Map10k", func(b *testing.B) {
		in := make([]int, tasks)
		for i := range in {
			in[i] = i
		}
		ctx := context.Background()
		b.Run("ours", func(b *testing.B) {
			double := func(_ context.Context, v int) (int, error) { return 2 * v, nil }
			perTask(b, tasks, func() {
				p := pool.New(2)
				out, err := pool.Map(ctx, p, in, double)
				if err != nil || len(out) != len(in) {
					b.Fatal(err, len(out))
				}
				p.Close()
				if err := p.Wait(); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run("anchor=errgroup", func(b *testing.B) {
			perTask(b, tasks, func() {
				out := make([]int, len(in))
				g, _ := errgroup.WithContext(ctx)
				g.SetLimit(2)
				for i, v := range in {
					g.Go(func() error { out[i] = 2 * v; return nil })
				}
				if err := g.Wait(); err != nil {
					b.Fatal(err)
				}
			})
		})
	})
	// Stream: double 10k ints, yielded in input order, with the default
	// window and with a few explicit ones.
	for _, w := range []struct {
		name string
		opts []pool.Option
	}{
		{"Stream10k", nil},
		{"Stream10kWindow4", []pool.Option{pool.WithWindow(4)}},
		{"Stream10kWindow64", []pool.Option{pool.WithWindow(64)}},
	} {
		b.Run(w.name, func(b *testing.B) {
			ctx := context.Background()
			seq := func(yield func(int) bool) {
				for i := range tasks {
					if !yield(i) {
						return
					}
				}
			}
			double := func(_ context.Context, v int) (int, error) { return 2 * v, nil }
			b.Run("ours", func(b *testing.B) {
				perTask(b, tasks, func() {
					p := pool.New(2, w.opts...)
					n := 0
					for _, err := range pool.Stream(ctx, p, seq, double) {
						if err != nil {
							b.Fatal(err)
						}
						n++
					}
					if n != tasks {
						b.Fatal(n)
					}
					p.Close()
					if err := p.Wait(); err != nil {
						b.Fatal(err)
					}
				})
			})
		})
	}
}
