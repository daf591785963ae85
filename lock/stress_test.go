package lock_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/lock"
)

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
			testutil.WaitEqual(t, "l.Waiters() == 1", l.Waiters, 1)
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
		testutil.WaitEqual(t, "l.Waiters() == 0", l.Waiters, 0)
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
	stop := testutil.Hammer(3, func() {
		l.Lock()
		for range 100 { // a short critical section
			runtime.Gosched()
		}
		l.Unlock()
	})
	defer stop()
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
		testutil.WaitEqual(t, "l.Waiters() == 1", l.Waiters, 1)
		time.Sleep(2 * time.Millisecond) // exceed the starvation threshold on purpose
		// Each poll unlocks and relocks at once; it ends when the relock
		// fails because the waiter has the Lock.
		testutil.WaitUntil(t, "the waiter gets the Lock", func() bool {
			sawStarving = sawStarving || l.Starving()
			l.Unlock() // wakes the waiter, or hands it the Lock when starving
			return !l.TryLock()
		})
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
