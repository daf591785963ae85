package lock_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/lock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var _ sync.Locker = (*lock.Lock)(nil)

// waitForWaiters polls until n goroutines are parked in l, failing after a
// generous guard.
func waitForWaiters(t *testing.T, l *lock.Lock, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for l.Waiters() != n {
		if time.Now().After(deadline) {
			t.Fatalf("waiters = %d, want %d", l.Waiters(), n)
		}
		runtime.Gosched()
	}
}

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
	waitForWaiters(t, &l, 1)
	select {
	case <-acquired:
		t.Fatal("Lock returned while the Lock was held")
	default:
	}
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
	waitForWaiters(t, &l, n)
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
	waitForWaiters(t, &l, 1)
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

// TestMutualExclusion hammers one Lock from many goroutines through every
// acquiring form and checks a non-atomic counter and an occupancy flag.
func TestMutualExclusion(t *testing.T) {
	const goroutines, iterations = 8, 2000
	var (
		l        lock.Lock
		counter  int // guarded by l; -race reports unguarded access
		inside   atomic.Int32
		acquired atomic.Int64
		wg       sync.WaitGroup
	)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range iterations {
				switch (g + i) % 4 {
				case 0:
					l.Lock()
				case 1:
					if !l.TryLock() {
						continue
					}
				case 2:
					if l.LockContext(context.Background()) != nil {
						t.Error("LockContext(Background) failed")
						return
					}
				case 3:
					ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i%5)*time.Microsecond)
					err := l.LockContext(ctx)
					cancel()
					if err != nil {
						continue
					}
				}
				if n := inside.Add(1); n != 1 {
					t.Errorf("%d goroutines inside the Lock", n)
				}
				counter++
				if i%64 == 0 {
					runtime.Gosched()
				}
				inside.Add(-1)
				acquired.Add(1)
				l.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Equal(t, acquired.Load(), int64(counter))
	require.False(t, l.Locked())
	require.Zero(t, l.Waiters())
}

// TestCancellationRacingUnlock races a waiter's cancellation against the
// Unlock that would hand it the Lock, thousands of times: the waiter either
// gets the Lock (and releases it) or fails with ctx.Err(), and the Lock is
// never lost or doubly held.
func TestCancellationRacingUnlock(t *testing.T) {
	const iterations = 3000
	var l lock.Lock
	var won, lost int
	for i := range iterations {
		l.Lock()
		ctx, cancel := context.WithCancel(context.Background())
		res := make(chan error, 1)
		go func() { res <- l.LockContext(ctx) }()
		if i%2 == 0 {
			waitForWaiters(t, &l, 1)
		}
		go cancel()
		l.Unlock()
		if err := <-res; err == nil {
			won++
			require.True(t, l.Locked())
			l.Unlock()
		} else {
			require.ErrorIs(t, err, context.Canceled)
			lost++
		}
		cancel()
		// Whatever happened, the Lock is free and has no waiters.
		waitForWaiters(t, &l, 0)
		require.True(t, l.TryLock(), "iteration %d: Lock lost", i)
		l.Unlock()
	}
	require.Equal(t, iterations, won+lost)
	t.Logf("won %d, cancelled %d", won, lost)
}

// TestCancellationRacingHandOffManyWaiters keeps several waiters with short
// deadlines queued behind hammering holders, so cancellations race both
// wake-ups and starvation-mode hand-offs; every success is balanced and the
// Lock ends free.
func TestCancellationRacingHandOffManyWaiters(t *testing.T) {
	const goroutines, iterations = 6, 1500
	var (
		l       lock.Lock
		inside  atomic.Int32
		ok, bad atomic.Int64
		wg      sync.WaitGroup
	)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range iterations {
				ctx, cancel := context.WithCancel(context.Background())
				if (g+i)%3 == 0 {
					go cancel()
				}
				err := l.LockContext(ctx)
				cancel()
				if err != nil {
					bad.Add(1)
					continue
				}
				if inside.Add(1) != 1 {
					t.Error("mutual exclusion violated")
				}
				if i%16 == 0 {
					time.Sleep(10 * time.Microsecond) // hold long enough to queue others
				}
				inside.Add(-1)
				ok.Add(1)
				l.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Equal(t, int64(goroutines*iterations), ok.Load()+bad.Load())
	require.False(t, l.Locked())
	require.Zero(t, l.Waiters())
	require.False(t, l.Starving())
	require.True(t, l.TryLock())
	l.Unlock()
}

// TestNoStarvation checks that a waiter gets the Lock while other goroutines
// relock it as fast as they can; the timeout is only a failure guard.
func TestNoStarvation(t *testing.T) {
	var l lock.Lock
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				l.Lock()
				for range 100 { // a short critical section
					runtime.Gosched()
				}
				l.Unlock()
			}
		}()
	}
	defer func() {
		close(stop)
		wg.Wait()
	}()
	for range 20 {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err := l.LockContext(ctx)
		cancel()
		require.NoError(t, err, "waiter starved")
		l.Unlock()
	}
}

// TestStarvationModeHandsOff parks a waiter for longer than the starvation
// threshold while this goroutine relocks the Lock right after every Unlock,
// usually winning the race against the woken waiter. The waiter must then
// switch the Lock into starvation mode (observed while we hold it) and be
// handed the Lock, after which the Lock is back in normal mode.
func TestStarvationModeHandsOff(t *testing.T) {
	sawStarving := false
	for attempt := 0; attempt < 20 && !sawStarving; attempt++ {
		var l lock.Lock
		l.Lock()
		got := make(chan struct{})
		go func() {
			l.Lock()
			close(got)
		}()
		waitForWaiters(t, &l, 1)
		time.Sleep(2 * time.Millisecond) // exceed the starvation threshold on purpose
		deadline := time.Now().Add(10 * time.Second)
		for {
			sawStarving = sawStarving || l.Starving()
			l.Unlock() // wakes the waiter, or hands it the Lock when starving
			if !l.TryLock() {
				break // the waiter has it
			}
			if time.Now().After(deadline) {
				t.Fatal("waiter never got the Lock")
			}
			runtime.Gosched()
		}
		<-got
		require.True(t, l.Locked())
		require.False(t, l.Starving(), "starvation mode ends with the last waiter")
		l.Unlock()
	}
	require.True(t, sawStarving, "the Lock never entered starvation mode")
}

// TestWokenWaiterWhoseContextEndsPassesTheWakeUpOn: an Unlock wakes the
// front waiter, this goroutine takes the Lock back before it runs, and the
// waiter's context ends. The waiter fails with ctx.Err(), and the next
// Unlock must still wake the waiter queued behind it (synctest reports the
// deadlock if the wake-up was swallowed). If the woken waiter wins the race
// instead, it holds the Lock, which is as good.
func TestWokenWaiterWhoseContextEndsPassesTheWakeUpOn(t *testing.T) {
	for range 100 {
		synctest.Test(t, func(t *testing.T) {
			var l lock.Lock
			l.Lock()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			first := make(chan error)
			go func() { first <- l.LockContext(ctx) }()
			synctest.Wait()
			second := make(chan struct{})
			go func() {
				l.Lock()
				close(second)
			}()
			synctest.Wait()
			require.Equal(t, 2, l.Waiters())

			l.Unlock() // wakes the first waiter
			if l.TryLock() {
				cancel()
				require.ErrorIs(t, <-first, context.Canceled)
			} else {
				require.NoError(t, <-first)
			}
			l.Unlock() // whoever holds it: the second waiter must get it now
			<-second
			require.True(t, l.Locked())
			require.Zero(t, l.Waiters())
			l.Unlock()
			require.False(t, l.Locked())
		})
	}
}

// TestHandOverUnderContention locks in one goroutine and unlocks in another
// (a Lock has no owner) while other goroutines contend, checking mutual
// exclusion across the hand-over.
func TestHandOverUnderContention(t *testing.T) {
	const rounds, contenders = 1000, 4
	var (
		l      lock.Lock
		inside atomic.Int32
		count  int // guarded by l
		wg     sync.WaitGroup
	)
	enter := func() {
		if inside.Add(1) != 1 {
			t.Error("mutual exclusion violated")
		}
		count++
	}
	leave := func() { inside.Add(-1) }
	keys := make(chan struct{})
	wg.Add(1)
	go func() { // the releaser: finishes what the locker started
		defer wg.Done()
		for range keys {
			count++
			leave()
			l.Unlock()
		}
	}()
	for range contenders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				l.Lock()
				enter()
				leave()
				l.Unlock()
			}
		}()
	}
	for range rounds {
		l.Lock()
		enter()
		keys <- struct{}{} // the releaser unlocks for us
	}
	close(keys)
	wg.Wait()
	require.Equal(t, contenders*rounds+2*rounds, count)
	require.False(t, l.Locked())
}
