package semaphore_test

import (
	"context"
	"testing"

	"github.com/syncprim/syncprim/semaphore"
)

// The anchor in this file is the naive channel semaphore; the comparison with
// golang.org/x/sync's Weighted lives in the benchmarks module.

func BenchmarkAcquireRelease(b *testing.B) {
	s := semaphore.New(1)
	b.ReportAllocs()
	for b.Loop() {
		s.Acquire()
		s.Release()
	}
}

func BenchmarkAcquireReleaseBounded(b *testing.B) {
	s := semaphore.NewBounded(1)
	b.ReportAllocs()
	for b.Loop() {
		s.Acquire()
		s.Release()
	}
}

func BenchmarkAcquireContextRelease(b *testing.B) {
	s := semaphore.New(1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		if s.AcquireContext(ctx) != nil {
			b.Fatal("AcquireContext failed")
		}
		s.Release()
	}
}

func BenchmarkAcquireNReleaseN(b *testing.B) {
	s := semaphore.New(8)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if s.AcquireN(ctx, 3) != nil {
			b.Fatal("AcquireN failed")
		}
		s.ReleaseN(3)
	}
}

func BenchmarkTryAcquireRelease(b *testing.B) {
	s := semaphore.New(1)
	b.ReportAllocs()
	for b.Loop() {
		if !s.TryAcquire() {
			b.Fatal("TryAcquire failed")
		}
		s.Release()
	}
}

func BenchmarkChanAcquireRelease(b *testing.B) {
	s := make(chan struct{}, 1)
	b.ReportAllocs()
	for b.Loop() {
		s <- struct{}{}
		<-s
	}
}

// The Parallel benchmarks share one permit among GOMAXPROCS goroutines, so
// that nearly every Acquire waits and is handed the permit.
func BenchmarkAcquireReleaseParallel(b *testing.B) {
	s := semaphore.New(1)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.Acquire()
			s.Release()
		}
	})
}

func BenchmarkChanAcquireReleaseParallel(b *testing.B) {
	s := make(chan struct{}, 1)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s <- struct{}{}
			<-s
		}
	})
}

// Wide: as many permits as goroutines, so nobody waits; measures the cost of
// the shared counter under contention.
func BenchmarkAcquireReleaseParallelWide(b *testing.B) {
	s := semaphore.New(64)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.Acquire()
			s.Release()
		}
	})
}
