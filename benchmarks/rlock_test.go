package benchmarks_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/syncprim/syncprim/rlock"
)

func BenchmarkRLock(b *testing.B) {
	b.Run("Uncontended", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var l rlock.RLock
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
	// Recursion: one op locks 10 levels deep and unlocks them all. After the
	// timed loop the same number of depth-1 rounds is timed, and the
	// difference divided by the 9 extra levels is reported as ns/level.
	b.Run("Recursion", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			const depth = 10
			var l rlock.RLock
			n := 0
			for i := 0; i < b.N; i++ {
				for range depth {
					l.Lock()
				}
				n++
				for range depth {
					l.Unlock()
				}
			}
			b.StopTimer()
			deep := b.Elapsed()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				l.Lock()
				n++
				l.Unlock()
			}
			sinkInt = n
			shallow := time.Since(start)
			b.ReportMetric(float64((deep-shallow).Nanoseconds())/float64(b.N)/(depth-1), "ns/level")
		})
	})
	// LockContext with a context that is never done, against sync.Mutex.
	b.Run("LockContext", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var r rlock.RLock
			ctx := context.Background()
			n := 0
			for b.Loop() {
				if err := r.LockContext(ctx); err != nil {
					b.Fatal(err)
				}
				n++
				r.Unlock()
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
	// GOMAXPROCS goroutines taking turns, each reading its goroutine id.
	b.Run("Parallel", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var r rlock.RLock
			n := 0
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r.Lock()
					n++
					r.Unlock()
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
}
