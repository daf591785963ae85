package rlock_test

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/rlock"
)

// Convention 10: a nil context panics before anything is looked at, even on
// a free Lock.
func TestRLockContextNilPanics(t *testing.T) {
	var l rlock.RLock
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "rlock: nil Context", func() { _ = l.LockContext(nil) })
	require.False(t, l.Locked())
}

// Convention 1: a context that ended before the Unlock that would serve its
// waiter loses; the Lock goes on as if that waiter had never queued.
func TestRLockContextCancelledBeforeUnlockFails(t *testing.T) {
	for range 100 {
		synctest.Test(t, func(t *testing.T) {
			var l rlock.RLock
			l.Lock()
			ctx, cancel := context.WithCancel(context.Background())
			out := make(chan error, 1)
			go func() { out <- l.LockContext(ctx) }()
			synctest.Wait()
			cancel()
			l.Unlock()
			require.ErrorIs(t, <-out, context.Canceled)
			require.True(t, l.TryLock(), "the Lock stayed free")
			l.Unlock()
		})
	}
}

// sharedRLock is a package-level Lock, as users' tests share one.
var sharedRLock rlock.RLock

// contendSharedRLock parks one Lock and one LockContext (cancelled) on
// sharedRLock and lets them through.
func contendSharedRLock(t *testing.T) {
	sharedRLock.Lock()
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan error, 1)
	go func() { cancelled <- sharedRLock.LockContext(ctx) }()
	got := make(chan struct{})
	go func() {
		sharedRLock.Lock()
		//lint:ignore SA2001 only getting the lock matters here
		sharedRLock.Unlock()
		close(got)
	}()
	testutil.WaitEqual(t, "parked waiters", sharedRLock.Waiters, 2)
	cancel()
	require.ErrorIs(t, testutil.Recv(t, cancelled, "the cancelled waiter"), context.Canceled)
	sharedRLock.Unlock()
	testutil.Recv(t, got, "the waiter")
}

// Convention 11: a Lock contended in one synctest bubble works outside it
// and in the next bubble.
func TestRLockUsableInBubbleAfterBubble(t *testing.T) {
	synctest.Test(t, contendSharedRLock)
	contendSharedRLock(t)
	synctest.Test(t, contendSharedRLock)
}
