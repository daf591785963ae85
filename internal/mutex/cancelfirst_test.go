package mutex_test

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/mutex"
)

// TestCancelledWaiterIsPassedOver: a waiter whose context ended before the
// Unlock that would serve it fails, and the lock goes to the next waiter,
// in normal mode (a wake-up) and in starvation mode (a hand-off).
func TestCancelledWaiterIsPassedOver(t *testing.T) {
	for _, starving := range []bool{false, true} {
		name := "normal"
		if starving {
			name = "starving"
		}
		t.Run(name, func(t *testing.T) {
			if starving {
				defer mutex.SetStarvationThreshold(-1)()
			}
			for range 50 {
				synctest.Test(t, func(t *testing.T) {
					var m mutex.Mutex
					m.Lock(1)
					ctx, cancel := context.WithCancel(context.Background())
					first := make(chan error, 1)
					go func() { first <- m.LockContext(ctx, 2) }()
					synctest.Wait()
					second := make(chan struct{})
					go func() { m.Lock(3); close(second) }()
					synctest.Wait()
					cancel()
					require.True(t, m.Unlock(1))
					require.ErrorIs(t, <-first, context.Canceled)
					<-second
					require.Equal(t, uint64(3), m.Owner(), "the lock went past the cancelled waiter")
					require.True(t, m.Unlock(3))
					require.False(t, m.Locked())
					require.Zero(t, m.Waiters())
				})
			}
		})
	}
}

// TestCancelledOnlyWaiterLeavesLockFree: with nobody behind it, the lock of
// a cancelled waiter's would-be grant simply stays free.
func TestCancelledOnlyWaiterLeavesLockFree(t *testing.T) {
	defer mutex.SetStarvationThreshold(-1)()
	for range 50 {
		synctest.Test(t, func(t *testing.T) {
			var m mutex.Mutex
			m.Lock(1)
			ctx, cancel := context.WithCancel(context.Background())
			out := make(chan error, 1)
			go func() { out <- m.LockContext(ctx, 2) }()
			synctest.Wait()
			cancel()
			require.True(t, m.Unlock(1))
			require.ErrorIs(t, <-out, context.Canceled)
			require.False(t, m.Locked())
			require.False(t, m.Starving())
			require.True(t, m.TryLock(4))
		})
	}
}
