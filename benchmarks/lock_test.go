package benchmarks_test

import (
	"context"
	"sync"
	"testing"

	"github.com/syncprim/syncprim/lock"
)

// The critical sections increment a counter: an empty one would be both
// unrealistic and flagged by staticcheck (SA2001).

func BenchmarkLock(b *testing.B) {
	b.Run("Uncontended", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var l lock.Lock
			n := 0
			for b.Loop() {
				l.Lock()
				n++
				l.Unlock()
			}
			sinkInt = n
		})
		b.Run("anchor=sync.Mutex", func(b *testing.B) {
			b.ReportAllocs()
			var mu sync.Mutex
			n := 0
			for b.Loop() {
				mu.Lock()
				n++
				mu.Unlock()
			}
			sinkInt = n
		})
	})
	b.Run("Parallel", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var l lock.Lock
			n := 0
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					l.Lock()
					n++
					l.Unlock()
				}
			})
			sinkInt = n
		})
		b.Run("anchor=sync.Mutex", func(b *testing.B) {
			b.ReportAllocs()
			var mu sync.Mutex
			n := 0
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					mu.Lock()
					n++
					mu.Unlock()
				}
			})
			sinkInt = n
		})
	})
	// LockContext with a context that is never done, against plain Lock.
	b.Run("LockContext", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var l lock.Lock
			ctx := context.Background()
			n := 0
			for b.Loop() {
				if err := l.LockContext(ctx); err != nil {
					b.Fatal(err)
				}
				n++
				l.Unlock()
			}
			sinkInt = n
		})
		b.Run("anchor=sync.Mutex", func(b *testing.B) {
			b.ReportAllocs()
			var mu sync.Mutex
			n := 0
			for b.Loop() {
				mu.Lock()
				n++
				mu.Unlock()
			}
			sinkInt = n
		})
	})
	// TryLock on a free lock, against sync.Mutex's TryLock.
	b.Run("TryLock", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var l lock.Lock
			n := 0
			for b.Loop() {
				if !l.TryLock() {
					b.Fatal("TryLock of a free Lock failed")
				}
				n++
				l.Unlock()
			}
			sinkInt = n
		})
		b.Run("anchor=sync.Mutex", func(b *testing.B) {
			b.ReportAllocs()
			var mu sync.Mutex
			n := 0
			for b.Loop() {
				if !mu.TryLock() {
					b.Fatal("TryLock of a free Mutex failed")
				}
				n++
				mu.Unlock()
			}
			sinkInt = n
		})
	})
	// LockContext from GOMAXPROCS goroutines, against plain Lock.
	b.Run("ParallelLockContext", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var l lock.Lock
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			n := 0
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := l.LockContext(ctx); err != nil {
						b.Error(err)
						return
					}
					n++
					l.Unlock()
				}
			})
			sinkInt = n
		})
		b.Run("anchor=sync.Mutex", func(b *testing.B) {
			b.ReportAllocs()
			var mu sync.Mutex
			n := 0
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					mu.Lock()
					n++
					mu.Unlock()
				}
			})
			sinkInt = n
		})
	})
	// The lock held across a little work, like sync's BenchmarkMutexWork,
	// with four goroutines per CPU so that waiters really park.
	b.Run("Work", func(b *testing.B) {
		// x is shared, guarded by l.
		work := func(pb *testing.PB, l sync.Locker, x *float64) {
			for pb.Next() {
				l.Lock()
				for i := range 100 {
					*x += float64(i) * 1.0001
				}
				l.Unlock()
			}
		}
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var l lock.Lock
			var x float64
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) { work(pb, &l, &x) })
			sinkInt = int(x)
		})
		b.Run("anchor=sync.Mutex", func(b *testing.B) {
			b.ReportAllocs()
			var mu sync.Mutex
			var x float64
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) { work(pb, &mu, &x) })
			sinkInt = int(x)
		})
	})
}
