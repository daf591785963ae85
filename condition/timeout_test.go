package condition_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/condition"
)

// test_timeout: every waiter times out after exactly its timeout, with
// context.DeadlineExceeded and the lock held.
func TestPythonTimeout(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := k.new()
				const n, timeout = 5, 500 * time.Millisecond
				type result struct {
					elapsed time.Duration
					err     error
					held    bool
				}
				res := make(chan result, n)
				for range n {
					go func() {
						ctx, cancel := context.WithTimeout(context.Background(), timeout)
						defer cancel()
						c.Lock()
						start := time.Now()
						err := c.WaitContext(ctx)
						r := result{time.Since(start), err, holds(c)}
						c.Unlock()
						res <- r
					}()
				}
				for range n {
					r := <-res
					require.Equal(t, timeout, r.elapsed)
					require.ErrorIs(t, r.err, context.DeadlineExceeded)
					require.True(t, r.held)
				}
				require.Zero(t, c.Waiters())
			})
		})
	}
}

// test_waitfor: WaitFor returns once the predicate holds, woken by each
// Notify (the predicate runs once per wake-up: no spurious wake-ups).
func TestPythonWaitFor(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := k.new()
				state, calls := 0, 0
				done := make(chan int)
				go func() {
					c.Lock()
					c.WaitFor(func() bool { calls++; return state == 4 })
					s := state
					c.Unlock()
					done <- s
				}()
				for range 4 {
					time.Sleep(10 * time.Millisecond)
					c.Lock()
					state++
					c.Notify()
					c.Unlock()
				}
				require.Equal(t, 4, <-done)
				require.Equal(t, 5, calls)
			})
		})
	}
}

// test_waitfor_timeout: WaitForContext gives up at the deadline with
// DeadlineExceeded when the predicate never holds.
func TestPythonWaitForTimeout(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := k.new()
				state, calls := 0, 0
				type result struct {
					elapsed time.Duration
					err     error
					held    bool
				}
				done := make(chan result)
				go func() {
					ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
					defer cancel()
					c.Lock()
					start := time.Now()
					err := c.WaitForContext(ctx, func() bool { calls++; return state == 4 })
					r := result{time.Since(start), err, holds(c)}
					c.Unlock()
					done <- r
				}()
				for range 3 {
					time.Sleep(10 * time.Millisecond)
					c.Lock()
					state++
					c.Notify()
					c.Unlock()
				}
				r := <-done
				require.ErrorIs(t, r.err, context.DeadlineExceeded)
				require.Equal(t, 100*time.Millisecond, r.elapsed)
				require.True(t, r.held)
				// Once at the start, once per Notify, once more after the deadline.
				require.Equal(t, 5, calls)
			})
		})
	}
}

// TestWaitForContextPredicateTrueAtDeadline: as Python's wait_for, the
// predicate is evaluated once more when the context ends; true wins.
func TestWaitForContextPredicateTrueAtDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := condition.New(newChanLocker())
		state := 0
		done := make(chan error)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			c.Lock()
			err := c.WaitForContext(ctx, func() bool { return state == 1 })
			c.Unlock()
			done <- err
		}()
		time.Sleep(50 * time.Millisecond)
		c.Lock()
		state = 1 // no Notify
		c.Unlock()
		require.NoError(t, <-done)
	})
}

// TestWaitContextDeadlineWhileLockHeld: a waiter whose deadline passes while
// another goroutine holds the lock returns only when it gets the lock back.
func TestWaitContextDeadlineWhileLockHeld(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := condition.New(newChanLocker())
		start := time.Now()
		done := make(chan error)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			c.Lock()
			err := c.WaitContext(ctx)
			if !holds(c) {
				err = errNotHeld
			}
			c.Unlock()
			done <- err
		}()
		time.Sleep(50 * time.Millisecond)
		c.Lock()
		time.Sleep(150 * time.Millisecond) // past the waiter's deadline
		synctest.Wait()
		require.Zero(t, c.Waiters(), "the deadline took the waiter out of the queue")
		c.Unlock()
		require.ErrorIs(t, <-done, context.DeadlineExceeded)
		require.Equal(t, 200*time.Millisecond, time.Since(start))
	})
}

// TestWaitContextAlreadyDoneKeepsTheLock: with a done context WaitContext
// returns without releasing the lock, so a goroutine blocked in Lock does
// not get in. (A chanLocker hands itself to a blocked Lock on release.)
func TestWaitContextAlreadyDoneKeepsTheLock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := condition.New(newChanLocker())
		entered := false
		c.Lock()
		done := make(chan struct{})
		go func() {
			c.Lock()
			entered = true
			c.Unlock()
			close(done)
		}()
		synctest.Wait() // the goroutine is blocked in Lock
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		require.ErrorIs(t, c.WaitContext(ctx), context.Canceled)
		require.ErrorIs(t, c.WaitForContext(ctx, func() bool { return false }), context.Canceled)
		require.False(t, entered, "WaitContext released the lock")
		c.Unlock()
		<-done
		require.True(t, entered)
	})
}
