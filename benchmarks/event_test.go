package benchmarks_test

import (
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
}
