package lock_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/lock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var _ sync.Locker = (*lock.Lock)(nil)

func TestZeroValueIsUnlocked(t *testing.T) {
	var l lock.Lock
	require.False(t, l.Locked())
	require.True(t, l.TryLock())
	require.True(t, l.Locked())
	l.Unlock()
	require.False(t, l.Locked())
}

func TestAcquireRelease(t *testing.T) {
	var l lock.Lock
	l.Lock()
	require.True(t, l.Locked())
	l.Unlock()
	require.False(t, l.Locked())
	require.NoError(t, l.LockContext(context.Background()))
	require.True(t, l.Locked())
	l.Unlock()
}

func TestTryLockFailsWhileHeld(t *testing.T) {
	var l lock.Lock
	l.Lock()
	require.False(t, l.TryLock())
	got := make(chan bool)
	go func() { got <- l.TryLock() }()
	require.False(t, <-got, "TryLock from another goroutine must fail while held")
	l.Unlock()
	require.True(t, l.TryLock())
	l.Unlock()
}

func TestUnlockFromAnotherGoroutine(t *testing.T) {
	var l lock.Lock
	l.Lock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Unlock()
	}()
	<-done
	require.False(t, l.Locked())
	l.Lock() // reacquire works
	require.True(t, l.Locked())
	l.Unlock()
}

func TestUnlockOfUnlockedPanicsAndChangesNothing(t *testing.T) {
	var l lock.Lock
	require.PanicsWithValue(t, "lock: unlock of unlocked Lock", l.Unlock)
	require.False(t, l.Locked())
	require.True(t, l.TryLock())
	l.Unlock()
	require.PanicsWithValue(t, "lock: unlock of unlocked Lock", l.Unlock)
	require.Zero(t, l.Waiters())
	l.Lock()
	require.True(t, l.Locked())
	l.Unlock()
}

func TestLockBlocksUntilUnlock(t *testing.T) {
	var l lock.Lock
	l.Lock()
	acquired := make(chan struct{})
	go func() {
		l.Lock()
		close(acquired)
	}()
	testutil.WaitEqual(t, "l.Waiters() == 1", l.Waiters, 1)
	testutil.NotReady(t, acquired, "Lock while the Lock is held")
	l.Unlock()
	<-acquired
	require.True(t, l.Locked())
	l.Unlock()
}

// TestAcquireContended is lock_tests.py's test_acquire_contended: goroutines
// blocked on a held Lock all stay blocked until it is released, then each
// gets it in turn.
func TestAcquireContended(t *testing.T) {
	const n = 5
	var l lock.Lock
	l.Lock()
	var finished atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Lock()
			finished.Add(1)
			l.Unlock()
		}()
	}
	testutil.WaitEqual(t, "l.Waiters() == n", l.Waiters, n)
	require.Zero(t, finished.Load())
	l.Unlock()
	wg.Wait()
	require.Equal(t, int32(n), finished.Load())
	require.False(t, l.Locked())
}

// TestReacquire is lock_tests.py's LockTests.test_reacquire: a Lock is not
// reentrant, so a goroutine that locks it twice blocks until another
// goroutine unlocks it.
func TestReacquire(t *testing.T) {
	var l lock.Lock
	phase := make(chan int, 2)
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Lock()
		phase <- 1
		l.Lock() // blocks: the Lock is held, by this very goroutine
		phase <- 2
	}()
	require.Equal(t, 1, <-phase)
	testutil.WaitEqual(t, "l.Waiters() == 1", l.Waiters, 1)
	require.Empty(t, phase)
	l.Unlock() // from the main goroutine
	require.Equal(t, 2, <-phase)
	<-done
	require.True(t, l.Locked())
	l.Unlock()
}

func TestLockContextWithDoneContextFailsEvenIfFree(t *testing.T) {
	var l lock.Lock
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, l.LockContext(ctx), context.Canceled)
	require.False(t, l.Locked())

	dctx, dcancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer dcancel()
	err := l.LockContext(dctx)
	require.True(t, errors.Is(err, context.DeadlineExceeded))
	require.False(t, l.Locked())
	require.Zero(t, l.Waiters())
}

func TestLockContextTimeoutLeavesStateUnchanged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l lock.Lock
		l.Lock()
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		err := l.LockContext(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Equal(t, 2*time.Second, time.Since(start))
		require.True(t, l.Locked(), "the holder still holds the Lock")
		require.Zero(t, l.Waiters())
		l.Unlock()
		require.False(t, l.Locked())
		require.True(t, l.TryLock())
		l.Unlock()
	})
}

func TestLockContextAcquiresBeforeDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l lock.Lock
		l.Lock()
		res := make(chan error)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
			defer cancel()
			res <- l.LockContext(ctx)
		}()
		time.Sleep(time.Minute) // fake time: the waiter is parked by now
		synctest.Wait()
		require.Equal(t, 1, l.Waiters())
		l.Unlock()
		require.NoError(t, <-res)
		require.True(t, l.Locked())
		l.Unlock()
	})
}

func TestCancelledWaiterLetsOthersProceed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l lock.Lock
		l.Lock()
		ctx, cancel := context.WithCancel(context.Background())
		first := make(chan error)
		go func() { first <- l.LockContext(ctx) }()
		synctest.Wait()
		second := make(chan error)
		go func() { second <- l.LockContext(context.Background()) }()
		synctest.Wait()
		require.Equal(t, 2, l.Waiters())
		cancel()
		require.ErrorIs(t, <-first, context.Canceled)
		require.Equal(t, 1, l.Waiters())
		l.Unlock()
		require.NoError(t, <-second)
		l.Unlock()
		require.False(t, l.Locked())
	})
}
