//go:build !race

// The race detector makes sync.Pool drop items at random, so allocation
// counts are only meaningful without it.

package condition_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/condition"
	"github.com/syncprim/syncprim/rlock"
)

// TestWaitNotifyDoNotAllocate: in steady state a Wait/Notify round trip
// allocates nothing (the waiter list pools its waiters).
func TestWaitNotifyDoNotAllocate(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, tt := range []struct {
		name string
		l    sync.Locker
		wait func(c *condition.Condition)
	}{
		{"Wait/sync.Mutex", new(sync.Mutex), func(c *condition.Condition) { c.Wait() }},
		{"Wait/rlock.RLock", new(rlock.RLock), func(c *condition.Condition) { c.Wait() }},
		{"WaitContext/sync.Mutex", new(sync.Mutex), func(c *condition.Condition) { _ = c.WaitContext(ctx) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := condition.New(tt.l)
			turn, stop := 0, false
			done := make(chan struct{})
			go func() { // answers every ping
				defer close(done)
				c.Lock()
				defer c.Unlock()
				for {
					for turn != 1 && !stop {
						tt.wait(c)
					}
					if stop {
						return
					}
					turn = 0
					c.Notify()
				}
			}()
			c.Lock()
			allocs := testing.AllocsPerRun(500, func() {
				turn = 1
				c.Notify()
				for turn != 0 {
					tt.wait(c)
				}
			})
			stop = true
			c.Notify()
			c.Unlock()
			<-done
			require.Zero(t, allocs)
		})
	}
}
