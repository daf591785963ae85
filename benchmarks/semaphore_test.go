package benchmarks_test

import (
	"context"
	"testing"

	"github.com/syncprim/syncprim/semaphore"
	xsemaphore "golang.org/x/sync/semaphore"
)

func BenchmarkSemaphore(b *testing.B) {
	ctx := context.Background()
	// One goroutine acquiring and releasing a semaphore of 1 permit.
	b.Run("Uncontended", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			s := semaphore.New(1)
			for b.Loop() {
				s.Acquire()
				s.Release()
			}
		})
		b.Run("anchor=xsync.Weighted", func(b *testing.B) { weightedAcquireRelease(b, 1, 1) })
		b.Run("anchor=chan", func(b *testing.B) {
			b.ReportAllocs()
			s := make(chan struct{}, 1)
			for b.Loop() {
				s <- struct{}{}
				<-s
			}
		})
	})
	// GOMAXPROCS goroutines sharing one permit: every op contends, and
	// waiters park and are handed the permit.
	b.Run("Parallel", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			s := semaphore.New(1)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					s.Acquire()
					s.Release()
				}
			})
		})
		b.Run("anchor=xsync.Weighted", func(b *testing.B) {
			b.ReportAllocs()
			s := xsemaphore.NewWeighted(1)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := s.Acquire(ctx, 1); err != nil {
						b.Error(err)
						return
					}
					s.Release(1)
				}
			})
		})
		b.Run("anchor=chan", func(b *testing.B) {
			b.ReportAllocs()
			s := make(chan struct{}, 1)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					s <- struct{}{}
					<-s
				}
			})
		})
	})
	// A bounded semaphore, whose Release also checks the bound.
	b.Run("Bounded", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			s := semaphore.NewBounded(1)
			for b.Loop() {
				s.Acquire()
				s.Release()
			}
		})
		b.Run("anchor=xsync.Weighted", func(b *testing.B) { weightedAcquireRelease(b, 1, 1) })
	})
	// AcquireContext with a context that is never done.
	b.Run("AcquireContext", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			s := semaphore.New(1)
			for b.Loop() {
				if err := s.AcquireContext(ctx); err != nil {
					b.Fatal(err)
				}
				s.Release()
			}
		})
		b.Run("anchor=xsync.Weighted", func(b *testing.B) { weightedAcquireRelease(b, 1, 1) })
	})
	// Three permits at once out of four.
	b.Run("AcquireN", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			s := semaphore.New(4)
			for b.Loop() {
				if err := s.AcquireN(ctx, 3); err != nil {
					b.Fatal(err)
				}
				s.ReleaseN(3)
			}
		})
		b.Run("anchor=xsync.Weighted", func(b *testing.B) { weightedAcquireRelease(b, 4, 3) })
	})
	b.Run("TryAcquire", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			s := semaphore.New(1)
			for b.Loop() {
				if !s.TryAcquire() {
					b.Fatal("TryAcquire failed with a permit free")
				}
				s.Release()
			}
		})
		b.Run("anchor=xsync.Weighted", func(b *testing.B) {
			b.ReportAllocs()
			s := xsemaphore.NewWeighted(1)
			for b.Loop() {
				if !s.TryAcquire(1) {
					b.Fatal("TryAcquire failed with a permit free")
				}
				s.Release(1)
			}
		})
	})
	// As many permits as any number of goroutines can hold, so nobody
	// waits: the cost of the shared counter under contention.
	b.Run("ParallelWide", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			s := semaphore.New(1 << 20)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					s.Acquire()
					s.Release()
				}
			})
		})
		b.Run("anchor=xsync.Weighted", func(b *testing.B) {
			b.ReportAllocs()
			s := xsemaphore.NewWeighted(1 << 20)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := s.Acquire(ctx, 1); err != nil {
						b.Error(err)
						return
					}
					s.Release(1)
				}
			})
		})
	})
}

// weightedAcquireRelease is the x/sync anchor of the sequential cases: take
// n permits of a Weighted of the given size and give them back.
func weightedAcquireRelease(b *testing.B, size, n int64) {
	ctx := context.Background()
	b.ReportAllocs()
	s := xsemaphore.NewWeighted(size)
	for b.Loop() {
		if err := s.Acquire(ctx, n); err != nil {
			b.Fatal(err)
		}
		s.Release(n)
	}
}
