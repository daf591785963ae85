package benchmarks_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/syncprim/syncprim/condition"
	"github.com/syncprim/syncprim/lock"
	"github.com/syncprim/syncprim/queue"
	"github.com/syncprim/syncprim/semaphore"
)

// memoryPrimitives is how many distinct primitives BenchmarkContendedMemory
// cycles through: each is contended once, then the collector runs, as in a
// program with many per-object locks that each see contention now and then.
const memoryPrimitives = 1000

// contention is one round of the memory harness: make primitive i
// contended once, with a goroutine that must wait for it, and let that
// goroutine through.
type contention func(i int)

// BenchmarkContendedMemory measures what one contention allocates, in
// B/contention, at several GOMAXPROCS (which may exceed the cores: the
// question is what a primitive keeps or allocates per P). Both sides run the
// same harness (a goroutine started per contention, a channel to hear it
// finish), so the difference between them is the primitive's own cost.
func BenchmarkContendedMemory(b *testing.B) {
	kinds := []struct {
		name, anchor string
		ours, theirs func() contention
	}{
		{"Lock", "sync.Mutex", oursLock, stdMutex},
		{"Semaphore", "sync.Mutex", oursSemaphore, stdMutex},
		{"Queue", "sync.Mutex", oursQueue, stdMutex},
		{"Condition", "sync.Cond", oursCondition(false), stdCondition},
		{"ConditionContext", "sync.Cond", oursCondition(true), stdCondition},
	}
	for _, k := range kinds {
		for _, procs := range []int{2, 16, 64} {
			b.Run(fmt.Sprintf("%s/procs=%d", k.name, procs), func(b *testing.B) {
				b.Run("ours", func(b *testing.B) { measureContention(b, procs, k.ours()) })
				b.Run("anchor="+k.anchor, func(b *testing.B) { measureContention(b, procs, k.theirs()) })
			})
		}
	}
}

func measureContention(b *testing.B, procs int, contend contention) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		contend(i % memoryPrimitives)
		if i%memoryPrimitives == memoryPrimitives-1 {
			runtime.GC() // every primitive has been contended since the last one
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N), "B/contention")
}

// parkSoon gives a goroutine that was just started time to block: it is a
// harness detail shared by both sides, not a correctness device (a waiter
// that has not parked yet only makes the round cheaper for either side).
func parkSoon() {
	for range 3 {
		runtime.Gosched()
	}
}

func oursLock() contention {
	locks := make([]lock.Lock, memoryPrimitives)
	done := make(chan struct{})
	return func(i int) {
		l := &locks[i]
		l.Lock()
		go func() { l.Lock(); l.Unlock(); done <- struct{}{} }()
		parkSoon()
		l.Unlock()
		<-done
	}
}

func stdMutex() contention {
	locks := make([]sync.Mutex, memoryPrimitives)
	done := make(chan struct{})
	return func(i int) {
		l := &locks[i]
		l.Lock()
		go func() { l.Lock(); l.Unlock(); done <- struct{}{} }()
		parkSoon()
		l.Unlock()
		<-done
	}
}

func oursSemaphore() contention {
	sems := make([]*semaphore.Semaphore, memoryPrimitives)
	for i := range sems {
		sems[i] = semaphore.New(0)
	}
	done := make(chan struct{})
	return func(i int) {
		s := sems[i]
		go func() { s.Acquire(); done <- struct{}{} }()
		parkSoon()
		s.Release()
		<-done
	}
}

func oursQueue() contention {
	qs := make([]*queue.Queue[int], memoryPrimitives)
	for i := range qs {
		qs[i] = queue.New[int](0)
	}
	done := make(chan struct{})
	return func(i int) {
		q := qs[i]
		go func() { _, _ = q.Get(); done <- struct{}{} }()
		parkSoon()
		_ = q.Put(i)
		<-done
	}
}

// oursCondition contends a Condition over a sync.Mutex with one waiter,
// through Wait (the runtime's notify list) or, with withContext, through
// WaitContext with a context that can end (the waiting layer).
func oursCondition(withContext bool) func() contention {
	return func() contention {
		type slot struct {
			mu    sync.Mutex
			c     *condition.Condition
			ready bool
		}
		slots := make([]slot, memoryPrimitives)
		for i := range slots {
			slots[i].c = condition.New(&slots[i].mu)
		}
		ctx, cancel := context.WithCancel(context.Background())
		_ = cancel // lives as long as the benchmark
		done := make(chan struct{})
		return func(i int) {
			s := &slots[i]
			s.ready = false
			go func() {
				s.mu.Lock()
				for !s.ready {
					if withContext {
						_ = s.c.WaitContext(ctx)
					} else {
						s.c.Wait()
					}
				}
				s.mu.Unlock()
				done <- struct{}{}
			}()
			parkSoon()
			s.mu.Lock()
			s.ready = true
			s.c.Notify()
			s.mu.Unlock()
			<-done
		}
	}
}

func stdCondition() contention {
	type slot struct {
		mu    sync.Mutex
		c     sync.Cond
		ready bool
	}
	slots := make([]slot, memoryPrimitives)
	for i := range slots {
		slots[i].c.L = &slots[i].mu
	}
	done := make(chan struct{})
	return func(i int) {
		s := &slots[i]
		s.ready = false
		go func() {
			s.mu.Lock()
			for !s.ready {
				s.c.Wait()
			}
			s.mu.Unlock()
			done <- struct{}{}
		}()
		parkSoon()
		s.mu.Lock()
		s.ready = true
		s.c.Signal()
		s.mu.Unlock()
		<-done
	}
}
