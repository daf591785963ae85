package condition_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/syncprim/syncprim/condition"
	"github.com/syncprim/syncprim/rlock"
)

// A consumer waits with WaitFor until the producer has put an item in the
// shared slice; the producer notifies it under the lock.
func Example() {
	var items []string
	c := condition.New(new(sync.Mutex))
	done := make(chan struct{})

	go func() { // consumer
		defer close(done)
		for range 3 {
			c.Lock()
			c.WaitFor(func() bool { return len(items) > 0 })
			item := items[0]
			items = items[1:]
			c.Unlock()
			fmt.Println("consumed", item)
		}
	}()

	for _, item := range []string{"spam", "eggs", "ham"} { // producer
		c.Lock()
		items = append(items, item)
		c.Notify()
		c.Unlock()
	}
	<-done
	// Output:
	// consumed spam
	// consumed eggs
	// consumed ham
}

// New(nil) binds a Condition to a new reentrant RLock, as Python's
// threading.Condition() does. Wait releases every level of it and restores
// them before returning.
func ExampleNew() {
	c := condition.New(nil)
	rl := c.Locker().(*rlock.RLock)
	ready := false

	c.Lock()
	c.Lock() // held twice
	go func() {
		c.Lock() // possible only because Wait released both levels
		ready = true
		c.Notify()
		c.Unlock()
	}()
	c.WaitFor(func() bool { return ready })
	fmt.Println("depth after Wait:", rl.Count())
	c.Unlock()
	c.Unlock()
	// Output:
	// depth after Wait: 2
}

// WaitForContext gives up when its context ends and returns ctx.Err(),
// holding the lock again.
func ExampleCondition_WaitForContext() {
	c := condition.New(new(sync.Mutex))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()

	c.Lock()
	err := c.WaitForContext(ctx, func() bool { return false }) // nobody will make it true
	c.Unlock()
	fmt.Println(err)
	// Output:
	// context deadline exceeded
}

// NotifyN wakes the longest waiters first. A second Condition on the same
// lock tells the main goroutine when the others have queued or woken.
func ExampleCondition_NotifyN() {
	mu := new(sync.Mutex)
	c := condition.New(mu)
	changed := condition.New(mu)
	queued := 0
	var woken []string
	var wg sync.WaitGroup
	for i, name := range []string{"first", "second", "third"} {
		wg.Go(func() {
			mu.Lock()
			queued++
			changed.Notify()
			c.Wait() // queues before it releases the lock
			woken = append(woken, name)
			changed.Notify()
			mu.Unlock()
		})
		mu.Lock()
		changed.WaitFor(func() bool { return queued == i+1 })
		mu.Unlock()
	}

	mu.Lock()
	c.NotifyN(2)
	changed.WaitFor(func() bool { return len(woken) == 2 })
	slices.Sort(woken) // the two may re-acquire the lock in either order
	fmt.Println(woken)
	c.NotifyAll()
	mu.Unlock()
	wg.Wait()
	fmt.Println(woken[2])
	// Output:
	// [first second]
	// third
}
