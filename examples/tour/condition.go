package main

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/syncprim/syncprim/condition"
)

func tourCondition(t *tour) error {
	c := condition.New(nil) // nil: over a new rlock.RLock, Python's default
	t.call("c := condition.New(nil)", nil, "threading.Condition()")
	var (
		items   []int
		waiting int // consumers that took the lock to wait; guarded by c
		order   []int
		took    = make(chan int)
		wg      sync.WaitGroup
	)
	// Three consumers queue up in turn; Notify wakes the longest waiting first.
	for i := range 3 {
		wg.Go(func() {
			c.Lock()
			defer c.Unlock()
			waiting++
			c.WaitFor(func() bool { return len(items) > 0 }) // with c: c.wait_for(...)
			items = items[1:]
			took <- i
		})
		// The consumer holds the lock from waiting++ until Wait releases it: once we
		// can take the lock and see its count, it is parked, behind the previous ones.
		for queued := false; !queued; {
			c.Lock()
			queued = waiting == i+1
			c.Unlock()
			runtime.Gosched()
		}
	}
	for n := range 3 {
		c.Lock()
		items = append(items, n)
		c.Notify() // wakes exactly one waiter: the longest waiting
		c.Unlock()
		order = append(order, <-took)
	}
	wg.Wait()
	t.call("c.WaitFor(pred) ×3; c.Notify() ×3", fmt.Sprint("woke in order ", order), "with c: c.wait_for(...) / c.notify()")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	c.Lock()
	err := c.WaitForContext(ctx, func() bool { return len(items) > 0 })
	c.Unlock()
	t.call("c.WaitForContext(ctx, pred) // 10ms", err, "c.wait_for(pred, timeout=0.01) → False")
	return nil
}
