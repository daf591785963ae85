package pool_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/syncprim/syncprim/pool"
)

const benchTasks = 10_000

// BenchmarkGo10k: one op is 10k trivial tasks through New(2)+Go+Close+Wait;
// ns/task is the number to compare.
func BenchmarkGo10k(b *testing.B) {
	task := func(context.Context) error { return nil }
	b.ReportAllocs()
	for b.Loop() {
		p := pool.New(2)
		for range benchTasks {
			_ = p.Go(task)
		}
		p.Close()
		_ = p.Wait()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchTasks), "ns/task")
}

// BenchmarkSubmit10k: 10k futures submitted, then every Result.
func BenchmarkSubmit10k(b *testing.B) {
	task := func(context.Context) (int, error) { return 1, nil }
	futs := make([]*pool.Future[int], benchTasks)
	b.ReportAllocs()
	for b.Loop() {
		p := pool.New(2)
		for i := range futs {
			futs[i] = pool.Submit(p, task)
		}
		for _, f := range futs {
			_, _ = f.Result()
		}
		p.Close()
		_ = p.Wait()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchTasks), "ns/task")
}

// BenchmarkMap10k: Map over 10k ints on a 2-worker pool.
func BenchmarkMap10k(b *testing.B) {
	in := make([]int, benchTasks)
	for i := range in {
		in[i] = i
	}
	p := pool.New(2)
	defer func() { p.Close(); _ = p.Wait() }()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = pool.Map(ctx, p, in, func(_ context.Context, x int) (int, error) { return 2 * x, nil })
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchTasks), "ns/item")
}

// BenchmarkMap10kLimitGroup is the naive reference for Map: what errgroup
// with SetLimit(2) does (a goroutine per item behind a channel semaphore),
// writing into a slice.
func BenchmarkMap10kLimitGroup(b *testing.B) {
	in := make([]int, benchTasks)
	for i := range in {
		in[i] = i
	}
	b.ReportAllocs()
	for b.Loop() {
		out := make([]int, len(in))
		sem := make(chan struct{}, 2)
		var wg sync.WaitGroup
		for i, x := range in {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				out[i] = 2 * x
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchTasks), "ns/item")
}

// BenchmarkStream10k: Stream over 10k ints on a 2-worker pool.
func BenchmarkStream10k(b *testing.B) {
	p := pool.New(2)
	defer func() { p.Close(); _ = p.Wait() }()
	ctx := context.Background()
	seq := func(yield func(int) bool) {
		for i := range benchTasks {
			if !yield(i) {
				return
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for r, err := range pool.Stream(ctx, p, seq, func(_ context.Context, x int) (int, error) { return 2 * x, nil }) {
			_, _ = r, err
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchTasks), "ns/item")
}

func BenchmarkStreamWindow(b *testing.B) {
	for _, w := range []int{4, 16, 64} {
		b.Run(fmt.Sprint(w), func(b *testing.B) {
			p := pool.New(2, pool.WithWindow(w))
			defer func() { p.Close(); _ = p.Wait() }()
			ctx := context.Background()
			seq := func(yield func(int) bool) {
				for i := range benchTasks {
					if !yield(i) {
						return
					}
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				for r, err := range pool.Stream(ctx, p, seq, func(_ context.Context, x int) (int, error) { return 2 * x, nil }) {
					_, _ = r, err
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchTasks), "ns/item")
		})
	}
}
