package benchmarks_test

import (
	"sync"
	"testing"

	"github.com/syncprim/syncprim/condition"
	"github.com/syncprim/syncprim/rlock"
)

// pingPong is the shape both sides of BenchmarkCondition share: two
// goroutines take turns through a condition variable over a sync.Mutex.
// One op is one round trip (two hand-overs).
type cond interface {
	Lock()
	Unlock()
	Wait()
	Signal()
}

// ourCond adapts *condition.Condition to the shape of sync.Cond.
type ourCond struct{ *condition.Condition }

func (c ourCond) Signal() { c.Notify() }

// stdCond adapts *sync.Cond.
type stdCond struct{ *sync.Cond }

func (c stdCond) Lock()   { c.L.Lock() }
func (c stdCond) Unlock() { c.L.Unlock() }

func pingPong(b *testing.B, c cond) {
	b.ReportAllocs()
	turn := 0 // 1: the partner's turn, 0: ours
	done := make(chan struct{})
	n := b.N
	go func() {
		defer close(done)
		c.Lock()
		for range n {
			for turn != 1 {
				c.Wait()
			}
			turn = 0
			c.Signal()
		}
		c.Unlock()
	}()
	c.Lock()
	for range n {
		turn = 1
		c.Signal()
		for turn != 0 {
			c.Wait()
		}
	}
	c.Unlock()
	<-done
}

func BenchmarkCondition(b *testing.B) {
	b.Run("PingPong", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			pingPong(b, ourCond{condition.New(new(sync.Mutex))})
		})
		b.Run("anchor=sync.Cond", func(b *testing.B) {
			pingPong(b, stdCond{sync.NewCond(new(sync.Mutex))})
		})
	})
	// The same over an rlock.RLock, Python's default lock for a Condition.
	b.Run("PingPongRLock", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			pingPong(b, ourCond{condition.New(new(rlock.RLock))})
		})
		b.Run("anchor=sync.Cond", func(b *testing.B) {
			pingPong(b, stdCond{sync.NewCond(new(sync.Mutex))})
		})
	})
	// A Notify nobody waits for, with the lock held.
	b.Run("NotifyNoWaiters", func(b *testing.B) {
		b.Run("ours", func(b *testing.B) {
			b.ReportAllocs()
			c := condition.New(new(sync.Mutex))
			c.Lock()
			for b.Loop() {
				c.Notify()
			}
			c.Unlock()
		})
		b.Run("anchor=sync.Cond", func(b *testing.B) {
			b.ReportAllocs()
			c := sync.NewCond(new(sync.Mutex))
			c.L.Lock()
			for b.Loop() {
				c.Signal()
			}
			c.L.Unlock()
		})
	})
}
