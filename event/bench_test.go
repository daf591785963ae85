package event_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/syncprim/syncprim/event"
)

var sinkBool bool

// BenchmarkAtomicBoolLoad is the anchor for BenchmarkIsSet.
func BenchmarkAtomicBoolLoad(b *testing.B) {
	var f atomic.Bool
	f.Store(true)
	r := false
	for b.Loop() {
		r = f.Load()
	}
	sinkBool = r
}

func BenchmarkIsSet(b *testing.B) {
	var e event.Event
	e.Set()
	r := false
	for b.Loop() {
		r = e.IsSet()
	}
	sinkBool = r
}

func BenchmarkWaitSet(b *testing.B) {
	var e event.Event
	e.Set()
	b.ReportAllocs()
	for b.Loop() {
		e.Wait()
	}
}

func BenchmarkWaitContextSet(b *testing.B) {
	var e event.Event
	e.Set()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if e.WaitContext(ctx) != nil {
			b.Fatal("WaitContext on a set event failed")
		}
	}
}

func BenchmarkDoneSet(b *testing.B) {
	var e event.Event
	e.Set()
	b.ReportAllocs()
	for b.Loop() {
		<-e.Done()
	}
}

// BenchmarkSetClear is one Set and one Clear with nobody waiting.
func BenchmarkSetClear(b *testing.B) {
	var e event.Event
	b.ReportAllocs()
	for b.Loop() {
		e.Set()
		e.Clear()
	}
}

func BenchmarkIsSetParallel(b *testing.B) {
	var e event.Event
	e.Set()
	b.RunParallel(func(pb *testing.PB) {
		r := false
		for pb.Next() {
			r = e.IsSet()
		}
		sinkBool = r
	})
}
