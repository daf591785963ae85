package rlock_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/rlock"
)

// Convention 10: a nil context panics before anything is looked at, even on
// a free RLock.
func TestRLockContextNilPanics(t *testing.T) {
	var l rlock.RLock
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "rlock: nil Context", func() { _ = l.LockContext(nil) })
	require.False(t, l.Locked())
}

// Convention 1: a context that ended before the Unlock that would serve its
// waiter loses; the RLock goes on as if that waiter had never queued.
func TestRLockContextCancelledBeforeUnlockFails(t *testing.T) {
	testutil.LockContextCancelledBeforeUnlock(t, func() testutil.ContextLocker { return new(rlock.RLock) })
}

// sharedRLock is a package-level RLock, as users' tests share one.
var sharedRLock rlock.RLock

// Convention 11: an RLock contended in one synctest bubble works outside it
// and in the next bubble.
func TestRLockUsableInBubbleAfterBubble(t *testing.T) {
	contend := func(t *testing.T) { testutil.ContendLock(t, &sharedRLock) }
	synctest.Test(t, contend)
	contend(t)
	synctest.Test(t, contend)
}
