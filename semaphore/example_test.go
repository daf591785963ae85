package semaphore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/syncprim/syncprim/semaphore"
)

// A semaphore limits how many goroutines do something at once, like
// Python's "with sem:" around a connection.
func ExampleSemaphore() {
	sem := semaphore.New(2) // at most two at a time
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem.Acquire()
			defer sem.Release()
			n := running.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(time.Millisecond)
			running.Add(-1)
		}()
	}
	wg.Wait()
	fmt.Println("never more than two:", most.Load() <= 2)
	fmt.Println("permits back:", sem.Value())
	// Output:
	// never more than two: true
	// permits back: 2
}

// NewBounded is Python's BoundedSemaphore: releasing more than was acquired
// is a bug, and it panics instead of silently raising the limit.
func ExampleNewBounded() {
	sem := semaphore.NewBounded(1)
	sem.Acquire()
	sem.Release()
	defer func() {
		fmt.Println("recovered:", recover())
		fmt.Println("value:", sem.Value())
	}()
	sem.Release() // one too many
	// Output:
	// recovered: semaphore: released too many times
	// value: 1
}

// AcquireN takes several permits at once, all or none; a big request at the
// head of the line is served before smaller ones that came later.
func ExampleSemaphore_AcquireN() {
	sem := semaphore.New(10) // say, 10 MB of buffer budget
	ctx := context.Background()
	if err := sem.AcquireN(ctx, 7); err != nil {
		panic(err)
	}
	fmt.Println("after 7:", sem.Value())
	fmt.Println("try 4:", sem.TryAcquireN(4))
	sem.ReleaseN(7)
	fmt.Println("try 4 after release:", sem.TryAcquireN(4))
	fmt.Println("left:", sem.Value())
	// Output:
	// after 7: 3
	// try 4: false
	// try 4 after release: true
	// left: 6
}

// AcquireContext is Python's acquire(timeout=...).
func ExampleSemaphore_AcquireContext() {
	sem := semaphore.New(1)
	sem.Acquire()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err := sem.AcquireContext(ctx)
	fmt.Println(errors.Is(err, context.DeadlineExceeded), sem.Value())
	// Output:
	// true 0
}
