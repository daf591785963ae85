package condition_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/condition"
	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/lock"
)

// Convention 10: a nil context panics before anything is looked at, even
// when the predicate already holds and even without the lock.
func TestNilContextPanics(t *testing.T) {
	c := condition.New(new(sync.Mutex))
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "condition: nil Context", func() { _ = c.WaitContext(nil) })
	require.PanicsWithValue(t, "condition: nil Context", func() {
		//lint:ignore SA1012 the nil context is the point
		_ = c.WaitForContext(nil, func() bool { return true })
	})
}

// Convention 1: a Notify made after a waiter's context ended passes that
// waiter over and wakes the next one; the cancelled waiter still gets the
// lock back before it returns ctx.Err().
func TestNotifyPassesOverCancelledWaiter(t *testing.T) {
	lockers := map[string]func() sync.Locker{
		"sync.Mutex": func() sync.Locker { return new(sync.Mutex) },
		"lock.Lock":  func() sync.Locker { return new(lock.Lock) },
		"rlock":      func() sync.Locker { return nil },
	}
	for name, mk := range lockers {
		t.Run(name, func(t *testing.T) {
			for range 50 {
				synctest.Test(t, func(t *testing.T) {
					c := condition.New(mk())
					ctx, cancel := context.WithCancel(context.Background())
					first := make(chan error, 1)
					go func() {
						c.Lock()
						first <- c.WaitContext(ctx)
						c.Unlock()
					}()
					synctest.Wait()
					second := make(chan struct{})
					go func() {
						c.Lock()
						c.Wait()
						c.Unlock()
						close(second)
					}()
					synctest.Wait()
					cancel()
					c.Lock()
					c.Notify()
					c.Unlock()
					require.ErrorIs(t, <-first, context.Canceled)
					<-second // the one Notify reached the second waiter
					require.Zero(t, c.Waiters())
				})
			}
		})
	}
}

// shared is a package-level Condition, as users' tests share one.
var (
	sharedMu sync.Mutex
	shared   = condition.New(&sharedMu)
)

func contendShared(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan error, 1)
	go func() {
		shared.Lock()
		cancelled <- shared.WaitContext(ctx)
		shared.Unlock()
	}()
	woken := make(chan error, 2)
	go func() {
		shared.Lock()
		shared.Wait()
		shared.Unlock()
		woken <- nil
	}()
	go func() {
		shared.Lock()
		woken <- shared.WaitContext(context.Background())
		shared.Unlock()
	}()
	testutil.WaitEqual(t, "waiters", shared.Waiters, 3)
	cancel()
	require.ErrorIs(t, testutil.Recv(t, cancelled, "the cancelled waiter"), context.Canceled)
	shared.Lock()
	shared.NotifyAll()
	shared.Unlock()
	require.NoError(t, testutil.Recv(t, woken, "a woken waiter"))
	require.NoError(t, testutil.Recv(t, woken, "a woken waiter"))
}

// Convention 11: a Condition used in one synctest bubble works outside it
// and in the next bubble.
func TestUsableInBubbleAfterBubble(t *testing.T) {
	synctest.Test(t, contendShared)
	contendShared(t)
	synctest.Test(t, contendShared)
}
