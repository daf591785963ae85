//lint:file-ignore SA2001 the benchmarks time the lock itself, so critical sections are empty on purpose

package rlock_test

import (
	"context"
	"sync"
	"testing"

	"github.com/syncprim/syncprim/internal/goid"
	"github.com/syncprim/syncprim/rlock"
)

// The sync.Mutex benchmarks are the anchors for the same work, measured in
// the same run.

func BenchmarkUncontended(b *testing.B) {
	b.Run("rlock.RLock", func(b *testing.B) {
		b.ReportAllocs()
		var r rlock.RLock
		for b.Loop() {
			r.Lock()
			r.Unlock()
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
	b.Run("rlock.LockContext", func(b *testing.B) {
		b.ReportAllocs()
		var r rlock.RLock
		ctx := context.Background()
		for b.Loop() {
			if err := r.LockContext(ctx); err != nil {
				b.Fatal(err)
			}
			r.Unlock()
		}
	})
}

// BenchmarkRecursion measures one extra level of recursion (a Lock and an
// Unlock by the owner) per op.
func BenchmarkRecursion(b *testing.B) {
	b.ReportAllocs()
	var r rlock.RLock
	r.Lock()
	defer r.Unlock()
	for b.Loop() {
		r.Lock()
		r.Unlock()
	}
}

func BenchmarkParallel(b *testing.B) {
	b.Run("rlock.RLock", func(b *testing.B) {
		b.ReportAllocs()
		var r rlock.RLock
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				r.Lock()
				r.Unlock()
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
}

// BenchmarkGoidGet is the floor under every RLock operation: each one asks
// for the caller's goroutine id once.
func BenchmarkGoidGet(b *testing.B) {
	var sink int64
	for b.Loop() {
		sink += goid.Get()
	}
	_ = sink
}
