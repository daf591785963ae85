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
		b.Run("anchor=xsync.Weighted", func(b *testing.B) {
			b.ReportAllocs()
			s := xsemaphore.NewWeighted(1)
			for b.Loop() {
				if err := s.Acquire(ctx, 1); err != nil {
					b.Fatal(err)
				}
				s.Release(1)
			}
		})
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
}
