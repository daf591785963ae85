package barrier_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/syncprim/syncprim/barrier"
)

// Three workers compute in phases; no worker starts a phase before all have
// finished the previous one. The action runs once per phase, in the last
// worker to arrive, before any worker goes on.
func Example() {
	const workers = 3
	phase := 0
	b := barrier.New(workers, func() error {
		phase++
		fmt.Println("phase", phase, "done")
		return nil
	})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range 2 {
				// ... this worker's part of the phase ...
				if _, err := b.Wait(); err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	// Output:
	// phase 1 done
	// phase 2 done
}

// WaitContext is Python's wait(timeout): a party that gives up breaks the
// barrier, since the cycle can no longer complete, until Reset.
func ExampleBarrier_WaitContext() {
	b := barrier.New(2, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := b.WaitContext(ctx) // the other party never comes
	fmt.Println(errors.Is(err, context.DeadlineExceeded), b.Broken())

	_, err = b.Wait()
	fmt.Println(errors.Is(err, barrier.ErrBroken))

	b.Reset()
	fmt.Println(b.Broken())
	// Output:
	// true true
	// true
	// false
}
