package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/syncprim/syncprim/barrier"
)

func tourBarrier(t *tour) error {
	phases := 0
	b := barrier.New(3, func() error { phases++; return nil }) // runs in the last arrival
	t.call("b := barrier.New(3, action)", nil, "threading.Barrier(3, action=action)")
	var (
		mu      sync.Mutex
		indexes [2][]int // the arrival indexes handed out in each phase
		failed  error
		wg      sync.WaitGroup
	)
	for range 3 {
		wg.Go(func() {
			for phase := range 2 {
				i, err := b.Wait()
				mu.Lock()
				if err != nil {
					failed = err
				}
				indexes[phase] = append(indexes[phase], i)
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if failed != nil {
		return fmt.Errorf("barrier wait: %w", failed)
	}
	slices.Sort(indexes[0])
	slices.Sort(indexes[1])
	t.call("b.Wait() ×2 in 3 goroutines",
		fmt.Sprintf("indexes %v then %v, action ran %d times", indexes[0], indexes[1], phases),
		"i = b.wait() in 3 threads, twice: the barrier is cyclic")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := b.WaitContext(ctx) // nobody else comes: giving up breaks the barrier
	t.call("b.WaitContext(ctx) // 10ms, alone", err, "b.wait(timeout=0.01) → BrokenBarrierError")
	t.call("b.Broken()", b.Broken(), "b.broken")
	_, err = b.Wait()
	t.call("b.Wait() // broken", err, "BrokenBarrierError until b.reset()")
	b.Reset()
	t.call("b.Reset(); b.Broken()", b.Broken(), "b.reset(); b.broken")
	return nil
}
