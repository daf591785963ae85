package benchmarks_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/syncprim/syncprim/event"
)

func BenchmarkEvent(b *testing.B) {
	b.Run("IsSet", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var e event.Event
			e.Set()
			set := false
			for b.Loop() {
				set = e.IsSet()
			}
			sinkBool = set
		})
		b.Run("anchor=atomic.Bool", func(b *testing.B) {
			b.ReportAllocs()
			var e atomic.Bool
			e.Store(true)
			set := false
			for b.Loop() {
				set = e.Load()
			}
			sinkBool = set
		})
	})
	// Wait on an event that is already set, against a receive from a
	// closed channel.
	b.Run("WaitSet", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var e event.Event
			e.Set()
			for b.Loop() {
				e.Wait()
			}
		})
		b.Run("anchor=closed-chan", func(b *testing.B) {
			b.ReportAllocs()
			done := make(chan struct{})
			close(done)
			for b.Loop() {
				<-done
			}
		})
	})
	// WaitContext on an event that is already set, against a select on a
	// closed channel and the context's Done.
	b.Run("WaitContextSet", func(b *testing.B) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var e event.Event
			e.Set()
			for b.Loop() {
				if err := e.WaitContext(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("anchor=closed-chan", func(b *testing.B) {
			b.ReportAllocs()
			done := make(chan struct{})
			close(done)
			for b.Loop() {
				select {
				case <-done:
				case <-ctx.Done():
					b.Fatal(ctx.Err())
				}
			}
		})
	})
	// A receive from Done of a set event.
	b.Run("DoneSet", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var e event.Event
			e.Set()
			for b.Loop() {
				<-e.Done()
			}
		})
		b.Run("anchor=closed-chan", func(b *testing.B) {
			b.ReportAllocs()
			done := make(chan struct{})
			close(done)
			for b.Loop() {
				<-done
			}
		})
	})
	// One Set and one Clear with nobody waiting.
	b.Run("SetClear", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var e event.Event
			for b.Loop() {
				e.Set()
				e.Clear()
			}
		})
		b.Run("anchor=atomic.Bool", func(b *testing.B) {
			b.ReportAllocs()
			var e atomic.Bool
			for b.Loop() {
				e.Store(true)
				e.Store(false)
			}
		})
	})
	// IsSet from GOMAXPROCS goroutines.
	b.Run("IsSetParallel", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			var e event.Event
			e.Set()
			var hits atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				n := int64(0)
				for pb.Next() {
					if e.IsSet() {
						n++
					}
				}
				hits.Add(n)
			})
			sinkInt = int(hits.Load())
		})
		b.Run("anchor=atomic.Bool", func(b *testing.B) {
			b.ReportAllocs()
			var e atomic.Bool
			e.Store(true)
			var hits atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				n := int64(0)
				for pb.Next() {
					if e.Load() {
						n++
					}
				}
				hits.Add(n)
			})
			sinkInt = int(hits.Load())
		})
	})
}
