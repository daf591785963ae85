package mutex_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/mutex"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestTagIsRecordedWithTheLock(t *testing.T) {
	var m mutex.Mutex
	require.False(t, m.Locked())
	require.Zero(t, m.Owner())
	m.Lock(7)
	require.True(t, m.Locked())
	require.Equal(t, uint64(7), m.Owner())
	require.False(t, m.TryLock(8))
	require.Equal(t, uint64(7), m.Owner())
	require.True(t, m.Unlock(7))
	require.False(t, m.Locked())
	require.Zero(t, m.Owner())

	require.True(t, m.TryLock(mutex.MaxTag))
	require.Equal(t, uint64(mutex.MaxTag), m.Owner())
	require.True(t, m.Unlock(mutex.MaxTag))
	require.NoError(t, m.LockContext(context.Background(), 9))
	require.Equal(t, uint64(9), m.Owner())
	require.True(t, m.Unlock(9))
}

func TestUnlockOfUnlockedChangesNothing(t *testing.T) {
	var m mutex.Mutex
	require.False(t, m.Unlock(0))
	require.False(t, m.UnlockSlow())
	require.False(t, m.Locked())
	m.Lock(3)
	require.False(t, m.UnlockFast(4), "the fast path needs the right tag")
	require.Equal(t, uint64(3), m.Owner())
	require.True(t, m.UnlockSlow(), "the slow path releases whatever the tag")
	require.False(t, m.Locked())
	require.Zero(t, m.Owner())
}

func TestStarvationHandsOffWithTagInFIFOOrder(t *testing.T) {
	defer mutex.SetStarvationThreshold(-1)() // every waiter starves at once
	synctest.Test(t, func(t *testing.T) {
		var m mutex.Mutex
		m.Lock(1)
		var wg sync.WaitGroup
		for tag := uint64(2); tag <= 4; tag++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m.Lock(tag)
			}()
			synctest.Wait() // queued in this order
		}
		require.Equal(t, 3, m.Waiters())
		require.True(t, m.Starving())

		for tag := uint64(2); tag <= 4; tag++ {
			prev := tag - 1
			require.True(t, m.Unlock(prev))
			// Handed off: still locked, now tagged with the front waiter,
			// and no newcomer can take it.
			require.True(t, m.Locked())
			require.Equal(t, tag, m.Owner())
			require.False(t, m.TryLock(99))
			synctest.Wait()
		}
		wg.Wait()
		require.Zero(t, m.Waiters())
		require.False(t, m.Starving(), "starvation mode ends with the last waiter")
		require.True(t, m.Unlock(4))
		require.False(t, m.Locked())
	})
}

func TestStarvationEndsWhenTheFrontWaiterWasNotKeptLong(t *testing.T) {
	restore := mutex.SetStarvationThreshold(-1)
	defer restore()
	synctest.Test(t, func(t *testing.T) {
		var m mutex.Mutex
		m.Lock(1)
		var wg sync.WaitGroup
		for tag := uint64(2); tag <= 3; tag++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m.Lock(tag)
				m.Unlock(tag)
			}()
			synctest.Wait()
		}
		require.True(t, m.Starving())
		mutex.SetStarvationThreshold(time.Hour)
		require.True(t, m.Unlock(1))
		// Waiter 2 had the lock handed over, but it waited less than the
		// threshold, so the lock is back in normal mode for waiter 3.
		require.False(t, m.Starving())
		wg.Wait()
		require.False(t, m.Locked())
		require.Zero(t, m.Waiters())
	})
}

func TestCancelledLastWaiterEndsStarvation(t *testing.T) {
	defer mutex.SetStarvationThreshold(-1)()
	synctest.Test(t, func(t *testing.T) {
		var m mutex.Mutex
		m.Lock(1)
		ctx, cancel := context.WithCancel(context.Background())
		res := make(chan error)
		go func() { res <- m.LockContext(ctx, 2) }()
		synctest.Wait()
		require.True(t, m.Starving())
		cancel()
		require.ErrorIs(t, <-res, context.Canceled)
		require.Zero(t, m.Waiters())
		require.False(t, m.Starving())
		require.Equal(t, uint64(1), m.Owner())
		require.True(t, m.UnlockFast(1), "no waiters left: the fast path works")
	})
}

func TestTimedOutWaiterLeavesOthersQueued(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var m mutex.Mutex
		m.Lock(1)
		res := make(chan error)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			res <- m.LockContext(ctx, 2)
		}()
		synctest.Wait()
		got := make(chan uint64)
		go func() {
			m.Lock(3)
			got <- m.Owner()
		}()
		synctest.Wait()
		require.Equal(t, 2, m.Waiters())
		require.ErrorIs(t, <-res, context.DeadlineExceeded)
		require.Equal(t, 1, m.Waiters())
		require.True(t, m.Unlock(1))
		require.Equal(t, uint64(3), <-got)
		require.True(t, m.Unlock(3))
	})
}

func TestMutualExclusionWithTags(t *testing.T) {
	var (
		m  mutex.Mutex
		n  int // guarded by m
		wg sync.WaitGroup
	)
	for g := uint64(1); g <= 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				if i%2 == 0 {
					m.Lock(g)
				} else if m.LockContext(context.Background(), g) != nil {
					t.Error("LockContext(Background) failed")
					return
				}
				if o := m.Owner(); o != g {
					t.Errorf("owner %d inside %d's critical section", o, g)
				}
				n++
				if !m.Unlock(g) {
					t.Error("Unlock of a held Mutex failed")
				}
			}
		}()
	}
	wg.Wait()
	require.Equal(t, 8000, n)
	require.False(t, m.Locked())
	require.Zero(t, m.Waiters())
}

// TestWokenWaiterWhoseContextEndsPassesTheWakeUpOn wakes a waiter, takes the
// lock back before it runs and cancels it: the waiter must give up its
// wake-up (the woken bit), or the next Unlock would not wake the waiter
// behind it and synctest would report the deadlock. When the woken waiter
// wins the race instead, it simply holds the lock.
func TestWokenWaiterWhoseContextEndsPassesTheWakeUpOn(t *testing.T) {
	dropped := 0
	for range 200 {
		synctest.Test(t, func(t *testing.T) {
			var m mutex.Mutex
			m.Lock(1)
			ctx, cancel := context.WithCancel(context.Background())
			resA := make(chan error)
			go func() { resA <- m.LockContext(ctx, 2) }()
			synctest.Wait()
			doneB := make(chan struct{})
			go func() {
				m.Lock(3)
				m.Unlock(3)
				close(doneB)
			}()
			synctest.Wait()
			require.Equal(t, 2, m.Waiters())

			require.True(t, m.Unlock(1)) // wakes A
			if m.TryLock(1) {            // usually before A runs
				cancel()
				require.ErrorIs(t, <-resA, context.Canceled)
				dropped++
				require.Equal(t, 1, m.Waiters(), "B still queued")
				require.True(t, m.Unlock(1)) // must wake B
			} else { // A won the race and holds the lock
				require.NoError(t, <-resA)
				require.Equal(t, uint64(2), m.Owner())
				cancel()
				require.True(t, m.Unlock(2)) // must wake B
			}
			<-doneB
			require.False(t, m.Locked())
			require.Zero(t, m.Waiters())
			require.True(t, m.UnlockFast(0) == false)
			require.True(t, m.TryLock(0))
			require.True(t, m.UnlockFast(0), "no flag left behind")
		})
	}
	t.Logf("woken waiter cancelled while the lock was taken: %d of 200", dropped)
}

// TestNormalModeWakesWaitersInTurn: without barging, each Unlock wakes the
// front waiter, which takes the lock and gives up its woken flag, so the next
// Unlock wakes the next one (a flag left set would leave it parked forever,
// and synctest would report the deadlock).
func TestNormalModeWakesWaitersInTurn(t *testing.T) {
	defer mutex.SetStarvationThreshold(time.Hour)() // stay in normal mode
	synctest.Test(t, func(t *testing.T) {
		var m mutex.Mutex
		m.Lock(1)
		got := make(chan uint64)
		for tag := uint64(2); tag <= 4; tag++ {
			go func() {
				m.Lock(tag)
				got <- m.Owner()
			}()
			synctest.Wait()
		}
		require.Equal(t, 3, m.Waiters())
		for tag := uint64(2); tag <= 4; tag++ {
			require.True(t, m.Unlock(tag-1))
			require.Equal(t, tag, <-got, "FIFO wake-ups")
			require.False(t, m.Starving())
		}
		require.Zero(t, m.Waiters())
		require.True(t, m.UnlockFast(4), "no flag left behind")
	})
}

// TestWokenWaiterThatLosesIsWokenAgain: a woken waiter that finds the lock
// taken again parks once more (at the front) and gives up its woken flag, so
// the next Unlock wakes it again.
func TestWokenWaiterThatLosesIsWokenAgain(t *testing.T) {
	defer mutex.SetStarvationThreshold(time.Hour)() // stay in normal mode
	lost := 0
	for range 50 {
		synctest.Test(t, func(t *testing.T) {
			var m mutex.Mutex
			m.Lock(1)
			done := make(chan struct{})
			go func() {
				m.Lock(2)
				close(done)
			}()
			synctest.Wait()
			require.True(t, m.Unlock(1)) // wakes the waiter
			if m.TryLock(1) {            // usually before it runs
				lost++
				synctest.Wait() // it loses and parks again
				require.Equal(t, 1, m.Waiters())
				require.True(t, m.Unlock(1)) // must wake it again
			}
			<-done
			require.Equal(t, uint64(2), m.Owner())
			require.True(t, m.UnlockFast(2), "no flag left behind")
		})
	}
	require.Positive(t, lost, "the woken waiter never lost the race")
}
