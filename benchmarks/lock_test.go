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
}
