package benchmarks_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/syncprim/syncprim/pool"
)

// Waiting on many futures: every op submits 10k trivial futures to a pool
// of 2 workers and waits for them all (Wait, AllCompleted) or ranges over
// them as they end (AsCompleted). The anchors wait for the same futures by
// hand: a loop over their Done channels, and the usual hand-written
// as_completed (a goroutine per future, a channel and a WaitGroup).
func BenchmarkWait(b *testing.B) {
	task := func(context.Context) (int, error) { return int(counter.Add(1)), nil }
	run := func(b *testing.B, wait func([]*pool.Future[int]) int) {
		futures := make([]*pool.Future[int], tasks)
		perTask(b, tasks, func() {
			p := pool.New(2)
			for i := range futures {
				futures[i] = pool.Submit(p, task)
			}
			if n := wait(futures); n != tasks {
				b.Fatal(n)
			}
			p.Close()
			if err := p.Wait(); err != nil {
				b.Fatal(err)
			}
		})
	}
	ctx := context.Background()
	b.Run("AllCompleted10k", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			run(b, func(fs []*pool.Future[int]) int {
				done, _, err := pool.Wait(ctx, pool.AllCompleted, fs...)
				if err != nil {
					b.Fatal(err)
				}
				return len(done)
			})
		})
		b.Run("anchor=select", func(b *testing.B) {
			run(b, func(fs []*pool.Future[int]) int {
				n := 0
				for _, f := range fs {
					select {
					case <-f.Done():
						n++
					case <-ctx.Done():
						return n
					}
				}
				return n
			})
		})
	})
	b.Run("AsCompleted10k", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			run(b, func(fs []*pool.Future[int]) int {
				n := 0
				for _, err := range pool.AsCompleted(ctx, fs...) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				return n
			})
		})
		b.Run("anchor=WaitGroup", func(b *testing.B) {
			run(b, func(fs []*pool.Future[int]) int {
				ended := make(chan *pool.Future[int], len(fs))
				stop := make(chan struct{})
				var wg sync.WaitGroup
				for _, f := range fs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						select {
						case <-f.Done():
							ended <- f
						case <-stop:
						}
					}()
				}
				n := 0
				for range fs {
					select {
					case <-ended:
						n++
					case <-ctx.Done():
					}
				}
				close(stop)
				wg.Wait()
				return n
			})
		})
	})
}

// BenchmarkResultWaiters parks one goroutine in Result on each of n queued
// futures and ends the futures last first (Cancel). The time per waiter
// stays flat as n grows: a future's waiters are its own.
func BenchmarkResultWaiters(b *testing.B) {
	for _, n := range []int{5_000, 40_000, 160_000} {
		b.Run(fmt.Sprint(n/1000, "k"), func(b *testing.B) {
			b.ReportAllocs()
			task := func(context.Context) (int, error) { return 0, nil }
			futures := make([]*pool.Future[int], n)
			for range b.N {
				b.StopTimer()
				p := pool.New(1)
				release := make(chan struct{})
				if err := p.Go(func(context.Context) error { <-release; return nil }); err != nil {
					b.Fatal(err)
				}
				for i := range futures {
					futures[i] = pool.Submit(p, task)
				}
				var started, ended sync.WaitGroup
				started.Add(n)
				ended.Add(n)
				for _, f := range futures {
					go func() {
						started.Done()
						_, _ = f.Result()
						ended.Done()
					}()
				}
				started.Wait()
				runtime.Gosched()
				b.StartTimer()
				for _, f := range slices.Backward(futures) {
					f.Cancel()
				}
				ended.Wait()
				b.StopTimer()
				close(release)
				p.Close()
				if err := p.Wait(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/waiter")
		})
	}
}
