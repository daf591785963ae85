package condition_test

import (
	"sync"
	"testing"

	"github.com/syncprim/syncprim/condition"
	"github.com/syncprim/syncprim/rlock"
)

// BenchmarkPingPong: two goroutines take turns, each waking the other and
// waiting for its turn back; one op is one round trip. sync.Cond over the
// same kind of mutex is the anchor. Besides wall time it reports the
// process's CPU time per op (cpu-ns/op), steadier on a shared machine; run
// with -cpu 1 to compare the code paths without cross-CPU wake-up noise.
func BenchmarkPingPong(b *testing.B) {
	b.Run("Condition/sync.Mutex", func(b *testing.B) {
		c := condition.New(new(sync.Mutex))
		pingPong(b, c.Lock, c.Unlock, c.Wait, c.Notify)
	})
	b.Run("Condition/rlock.RLock", func(b *testing.B) {
		c := condition.New(new(rlock.RLock))
		pingPong(b, c.Lock, c.Unlock, c.Wait, c.Notify)
	})
	b.Run("sync.Cond/sync.Mutex", func(b *testing.B) {
		c := sync.NewCond(new(sync.Mutex))
		pingPong(b, c.L.Lock, c.L.Unlock, c.Wait, c.Signal)
	})
}

func pingPong(b *testing.B, lock, unlock, wait, notify func()) {
	b.ReportAllocs()
	start, ok := cpuTime()
	defer func() {
		if end, _ := cpuTime(); ok {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}()
	turn := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		lock()
		for range b.N {
			for turn != 1 {
				wait()
			}
			turn = 0
			notify()
		}
		unlock()
	}()
	lock()
	for range b.N {
		turn = 1
		notify()
		for turn != 0 {
			wait()
		}
	}
	unlock()
	<-done
}

// BenchmarkNotifyNoWaiters: the cost of a Notify nobody waits for.
func BenchmarkNotifyNoWaiters(b *testing.B) {
	b.Run("Condition/sync.Mutex", func(b *testing.B) {
		b.ReportAllocs()
		c := condition.New(new(sync.Mutex))
		c.Lock()
		for b.Loop() {
			c.Notify()
		}
		c.Unlock()
	})
	b.Run("sync.Cond/sync.Mutex", func(b *testing.B) {
		b.ReportAllocs()
		c := sync.NewCond(new(sync.Mutex))
		c.L.Lock()
		for b.Loop() {
			c.Signal()
		}
		c.L.Unlock()
	})
}
