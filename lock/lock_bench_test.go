//lint:file-ignore SA2001 the benchmarks time the lock itself, so critical sections are empty on purpose

package lock_test

import (
	"context"
	"sync"
	"testing"

	"github.com/syncprim/syncprim/lock"
)

// The sync.Mutex benchmarks are the anchors for the same work, measured in
// the same run.

func BenchmarkUncontended(b *testing.B) {
	b.Run("lock.Lock", func(b *testing.B) {
		b.ReportAllocs()
		var l lock.Lock
		for b.Loop() {
			l.Lock()
			l.Unlock()
		}
	})
	b.Run("sync.Mutex", func(b *testing.B) {
		b.ReportAllocs()
		var m sync.Mutex
		for b.Loop() {
			m.Lock()
			m.Unlock()
		}
	})
	b.Run("lock.LockContext", func(b *testing.B) {
		b.ReportAllocs()
		var l lock.Lock
		ctx := context.Background()
		for b.Loop() {
			if err := l.LockContext(ctx); err != nil {
				b.Fatal(err)
			}
			l.Unlock()
		}
	})
	b.Run("lock.TryLock", func(b *testing.B) {
		b.ReportAllocs()
		var l lock.Lock
		for b.Loop() {
			if l.TryLock() {
				l.Unlock()
			}
		}
	})
}

func BenchmarkParallel(b *testing.B) {
	b.Run("lock.Lock", func(b *testing.B) {
		b.ReportAllocs()
		var l lock.Lock
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				l.Lock()
				l.Unlock()
			}
		})
	})
	b.Run("sync.Mutex", func(b *testing.B) {
		b.ReportAllocs()
		var m sync.Mutex
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				m.Lock()
				m.Unlock()
			}
		})
	})
	b.Run("lock.LockContext", func(b *testing.B) {
		b.ReportAllocs()
		var l lock.Lock
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := l.LockContext(ctx); err != nil {
					b.Error(err)
					return
				}
				l.Unlock()
			}
		})
	})
}

// BenchmarkWork holds the lock across a little work, like sync's
// BenchmarkMutexWork, so waiters really park.
func BenchmarkWork(b *testing.B) {
	work := func(pb *testing.PB, l sync.Locker) {
		var x float64
		for pb.Next() {
			l.Lock()
			for i := range 100 {
				x += float64(i) * 1.0001
			}
			l.Unlock()
		}
		_ = x
	}
	b.Run("lock.Lock", func(b *testing.B) {
		b.ReportAllocs()
		var l lock.Lock
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) { work(pb, &l) })
	})
	b.Run("sync.Mutex", func(b *testing.B) {
		b.ReportAllocs()
		var m sync.Mutex
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) { work(pb, &m) })
	})
}
