package rlock_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/rlock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var _ sync.Locker = (*rlock.RLock)(nil)

const notHeld = "rlock: unlock of RLock not held by this goroutine"

// inOther runs f on a fresh goroutine and waits for it.
func inOther(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}

func TestZeroValueIsUnlocked(t *testing.T) {
	var r rlock.RLock
	require.False(t, r.Locked())
	require.False(t, r.Owned())
	require.Zero(t, r.Count())
}

func TestReentrancy(t *testing.T) {
	var r rlock.RLock
	r.Lock()
	r.Lock()
	require.True(t, r.TryLock())
	require.NoError(t, r.LockContext(context.Background()))
	require.Equal(t, 4, r.Count())
	require.True(t, r.Owned())
	require.True(t, r.Locked())
	for want := 3; want >= 0; want-- {
		r.Unlock()
		require.Equal(t, want, r.Count())
		require.Equal(t, want > 0, r.Locked())
		require.Equal(t, want > 0, r.Owned())
	}
}

func TestOtherGoroutineSeesHeldLock(t *testing.T) {
	var r rlock.RLock
	r.Lock()
	r.Lock()
	inOther(func() {
		require.True(t, r.Locked())
		require.False(t, r.Owned())
		require.Zero(t, r.Count())
		require.False(t, r.TryLock())
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		require.ErrorIs(t, r.LockContext(ctx), context.DeadlineExceeded)
	})
	require.Equal(t, 2, r.Count())
	r.Unlock()
	r.Unlock()
	inOther(func() {
		require.True(t, r.TryLock())
		require.Equal(t, 1, r.Count())
		r.Unlock()
	})
}

func TestUnlockNotHeldPanicsAndChangesNothing(t *testing.T) {
	var r rlock.RLock
	require.PanicsWithValue(t, notHeld, r.Unlock, "unlock of a free RLock")
	require.False(t, r.Locked())

	r.Lock()
	r.Lock()
	inOther(func() {
		require.PanicsWithValue(t, notHeld, r.Unlock, "unlock by a non-owner")
	})
	require.True(t, r.Owned())
	require.Equal(t, 2, r.Count())
	r.Unlock()
	r.Unlock()
	require.PanicsWithValue(t, notHeld, r.Unlock, "one Unlock too many")
	require.False(t, r.Locked())
	r.Lock() // still usable
	require.Equal(t, 1, r.Count())
	r.Unlock()
}

// TestAcquireContended is lock_tests.py's test_acquire_contended for RLock:
// goroutines blocked on a held RLock stay blocked until all its levels are
// released, then each gets it in turn.
func TestAcquireContended(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 5
		var r rlock.RLock
		r.Lock()
		r.Lock()
		var finished atomic.Int32
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.Lock()
				if r.Count() != 1 {
					t.Error("a new owner must start at depth 1")
				}
				finished.Add(1)
				r.Unlock()
			}()
		}
		synctest.Wait()
		r.Unlock()
		synctest.Wait()
		require.Zero(t, finished.Load())
		r.Unlock()
		wg.Wait()
		require.Equal(t, int32(n), finished.Load())
		require.False(t, r.Locked())
	})
}

func TestLockContextDoneContext(t *testing.T) {
	var r rlock.RLock
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, r.LockContext(ctx), context.Canceled, "fails even when free")
	require.False(t, r.Locked())

	r.Lock()
	require.ErrorIs(t, r.LockContext(ctx), context.Canceled, "re-entry takes a level, so it fails too")
	require.Equal(t, 1, r.Count())
	r.Unlock()
	require.False(t, r.Locked())
}

func TestLockBlocksUntilReleasedByAllLevels(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r rlock.RLock
		r.Lock()
		r.Lock()
		got := make(chan int)
		go func() {
			r.Lock()
			got <- r.Count()
			r.Unlock()
			got <- r.Count()
		}()
		synctest.Wait()
		r.Unlock()
		synctest.Wait()
		testutil.NotReady(t, got, "Lock while the owner still holds one level")
		r.Unlock()
		require.Equal(t, 1, <-got)
		require.Equal(t, 0, <-got)
		require.False(t, r.Locked())
	})
}

func TestLockContextTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r rlock.RLock
		r.Lock()
		res := make(chan error)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			start := time.Now()
			err := r.LockContext(ctx)
			if time.Since(start) != 5*time.Second {
				err = context.Canceled // wrong duration: make the test fail
			}
			res <- err
		}()
		require.ErrorIs(t, <-res, context.DeadlineExceeded)
		require.Equal(t, 1, r.Count())
		r.Unlock()
		require.False(t, r.Locked())
	})
}

// TestMutualExclusionAndDepth hammers one RLock from many goroutines that
// recurse to varying depths, checking exclusion and Count at every level.
func TestMutualExclusionAndDepth(t *testing.T) {
	const goroutines, iterations = 8, 1000
	var (
		r       rlock.RLock
		counter int // guarded by r
		inside  atomic.Int32
		entries atomic.Int64
		wg      sync.WaitGroup
	)
	// enter takes r at recursion level depth (0: the first), using the
	// acquiring form picked by form, and recurses until max levels.
	var enter func(depth, form, max int) bool
	enter = func(depth, form, max int) bool {
		switch form % 3 {
		case 0:
			r.Lock()
		case 1:
			if !r.TryLock() {
				if depth != 0 {
					t.Error("TryLock by the owner failed")
				}
				return false
			}
		case 2:
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err := r.LockContext(ctx)
			cancel()
			if err != nil {
				t.Error(err)
				return false
			}
		}
		if depth == 0 {
			if n := inside.Add(1); n != 1 {
				t.Errorf("%d goroutines inside the RLock", n)
			}
			entries.Add(1)
		}
		counter++
		if got := r.Count(); got != depth+1 {
			t.Errorf("Count = %d at depth %d", got, depth)
		}
		if depth+1 < max {
			enter(depth+1, form+1, max)
		}
		if got := r.Count(); got != depth+1 {
			t.Errorf("Count = %d after returning to depth %d", got, depth)
		}
		if depth == 0 {
			inside.Add(-1)
		}
		r.Unlock()
		return true
	}
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range iterations {
				if i%50 == 0 {
					runtime.Gosched()
				}
				enter(0, g+i, 1+(g*7+i)%5)
				if r.Owned() || r.Count() != 0 {
					t.Error("still owned after balanced unlocks")
				}
			}
		}()
	}
	wg.Wait()
	require.False(t, r.Locked())
	require.Positive(t, entries.Load())
	require.GreaterOrEqual(t, counter, int(entries.Load()))
}

// TestCancellationRacingUnlock races a waiter's cancellation against the
// owner's final Unlock: the waiter either owns the RLock or failed and
// changed nothing, and the RLock always ends free.
func TestCancellationRacingUnlock(t *testing.T) {
	const iterations = 2000
	var r rlock.RLock
	won := 0
	for i := range iterations {
		r.Lock()
		r.Lock()
		ctx, cancel := context.WithCancel(context.Background())
		res := make(chan error, 1)
		go func() {
			err := r.LockContext(ctx)
			if err == nil {
				if r.Count() != 1 || !r.Owned() {
					err = context.DeadlineExceeded // reported as a failure below
				}
				r.Unlock()
			}
			res <- err
		}()
		go cancel()
		r.Unlock()
		r.Unlock()
		switch err := <-res; err {
		case nil:
			won++
		case context.Canceled:
		default:
			t.Fatalf("iteration %d: %v", i, err)
		}
		cancel()
		require.False(t, r.Locked(), "iteration %d", i)
		require.True(t, r.TryLock())
		r.Unlock()
	}
	t.Logf("won %d of %d", won, iterations)
}

func TestNoStarvation(t *testing.T) {
	var r rlock.RLock
	stop := testutil.Hammer(3, func() {
		r.Lock()
		r.Lock()
		runtime.Gosched()
		r.Unlock()
		r.Unlock()
	})
	defer stop()
	for range 20 {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err := r.LockContext(ctx)
		cancel()
		require.NoError(t, err, "waiter starved")
		r.Unlock()
	}
}
