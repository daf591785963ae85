package lock_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/lock"
)

// Convention 10: a nil context panics before anything is looked at, even on
// a free Lock.
func TestLockContextNilPanics(t *testing.T) {
	var l lock.Lock
	//lint:ignore SA1012 the nil context is the point
	require.PanicsWithValue(t, "lock: nil Context", func() { _ = l.LockContext(nil) })
	require.False(t, l.Locked())
}

// Convention 1: a context that ended before the Unlock that would serve its
// waiter loses; the Lock goes on as if that waiter had never queued.
func TestLockContextCancelledBeforeUnlockFails(t *testing.T) {
	testutil.LockContextCancelledBeforeUnlock(t, func() testutil.ContextLocker { return new(lock.Lock) })
}

// sharedLock is a package-level Lock, as users' tests share one.
var sharedLock lock.Lock

// Convention 11: a Lock contended in one synctest bubble works outside it
// and in the next bubble.
func TestLockUsableInBubbleAfterBubble(t *testing.T) {
	contend := func(t *testing.T) { testutil.ContendLock(t, &sharedLock) }
	synctest.Test(t, contend)
	contend(t)
	synctest.Test(t, contend)
}
