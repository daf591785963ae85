package semaphore_test

import (
	"context"
	"math"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/semaphore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The exact panic messages.
const (
	msgNegativeValue = "semaphore: negative initial value"
	msgNegativeCount = "semaphore: negative count"
	msgReleasedMore  = "semaphore: released too many times"
	msgOverflow      = "semaphore: release overflows the permit count"
	msgAboveBound    = "semaphore: acquire of more permits than the bound of a bounded semaphore"
)

// queue starts a goroutine that calls AcquireN(ctx, n) and returns once it is
// queued; the goroutine sends the result on the returned channel.
func queue(t *testing.T, s *semaphore.Semaphore, ctx context.Context, n int) <-chan error {
	t.Helper()
	before := s.Waiters()
	out := make(chan error, 1)
	go func() { out <- s.AcquireN(ctx, n) }()
	testutil.WaitEqual(t, "the waiter is queued", s.Waiters, before+1)
	return out
}

// Python: test_constructor.
func TestConstructors(t *testing.T) {
	require.PanicsWithValue(t, msgNegativeValue, func() { semaphore.New(-1) })
	require.PanicsWithValue(t, msgNegativeValue, func() { semaphore.NewBounded(-1) })
	require.Equal(t, 3, semaphore.New(3).Value())
	require.Equal(t, 3, semaphore.NewBounded(3).Value())
	require.Zero(t, semaphore.New(0).Value())
	require.Equal(t, math.MaxInt, semaphore.New(math.MaxInt).Value())
}

// Python: test_default_value: the zero value has no permits.
func TestZeroValueHasNoPermits(t *testing.T) {
	var s semaphore.Semaphore
	require.Zero(t, s.Value())
	require.False(t, s.TryAcquire())
	got := make(chan struct{})
	go func() {
		s.Acquire()
		close(got)
	}()
	testutil.WaitEqual(t, "Acquire is queued", s.Waiters, 1)
	testutil.NotReady(t, got, "Acquire of an empty semaphore")
	s.Release()
	testutil.Recv(t, got, "Acquire after Release")
	require.Zero(t, s.Value())
	require.False(t, s.Queued())
}

// Python: test_acquire / test_release_unacquired: the value counts down and
// up, and an unbounded semaphore may be released more than acquired.
func TestCounting(t *testing.T) {
	s := semaphore.New(3)
	require.True(t, s.TryAcquire())
	s.Acquire()
	require.NoError(t, s.AcquireContext(context.Background()))
	require.Zero(t, s.Value())
	require.False(t, s.TryAcquire())
	require.False(t, s.TryAcquireN(2))
	s.Release()
	require.Equal(t, 1, s.Value())
	s.ReleaseN(4)
	require.Equal(t, 5, s.Value(), "an unbounded semaphore takes extra releases")
	require.True(t, s.TryAcquireN(5))
	require.Zero(t, s.Value())
	require.NoError(t, s.AcquireN(context.Background(), 0))
	s.ReleaseN(2)
	require.NoError(t, s.AcquireN(context.Background(), 2))
	require.Zero(t, s.Value())
}

// Python: test_try_acquire_contended: with nobody queued, try-acquires
// succeed while permits last.
func TestTryAcquireUntilEmpty(t *testing.T) {
	s := semaphore.New(4)
	s.Acquire()
	results := make(chan bool, 5)
	for range 5 {
		go func() { results <- s.TryAcquire() }()
	}
	won := 0
	for range 5 {
		if testutil.Recv(t, results, "a TryAcquire") {
			won++
		}
	}
	require.Equal(t, 3, won)
	require.Zero(t, s.Value())
}

// Python: test_acquire_contended: waiters get permits one release at a time.
func TestAcquireContended(t *testing.T) {
	s := semaphore.New(7)
	const n = 10
	got := make(chan struct{}, n)
	for range n {
		go func() {
			s.Acquire()
			got <- struct{}{}
		}()
	}
	for range 7 {
		testutil.Recv(t, got, "one of the first seven Acquires")
	}
	testutil.WaitEqual(t, "three are queued", s.Waiters, 3)
	testutil.NotReady(t, got, "an eighth Acquire")
	for i := range 3 {
		s.Release()
		testutil.Recv(t, got, "an Acquire after a Release")
		require.Equal(t, 2-i, s.Waiters())
	}
	require.Zero(t, s.Value())
	require.False(t, s.Queued())
}

// Python: test_acquire_timeout, with fake time.
func TestAcquireContextTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := semaphore.New(2)
		s.Acquire()
		s.Acquire()
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		require.ErrorIs(t, s.AcquireContext(ctx), context.DeadlineExceeded)
		require.Equal(t, 500*time.Millisecond, time.Since(start))
		require.Zero(t, s.Value())
		require.False(t, s.Queued(), "the timed-out waiter left the line")

		// A Release before the deadline ends the wait with the permit.
		start = time.Now()
		ctx2, cancel2 := context.WithTimeout(context.Background(), time.Second)
		defer cancel2()
		go func() {
			time.Sleep(200 * time.Millisecond)
			s.Release()
		}()
		require.NoError(t, s.AcquireN(ctx2, 1))
		require.Equal(t, 200*time.Millisecond, time.Since(start))
		require.Zero(t, s.Value())

		s.ReleaseN(2)
		require.NoError(t, s.AcquireContext(ctx2), "free permits: no wait")
		require.Equal(t, 200*time.Millisecond, time.Since(start))
	})
}

// Convention 7: a done context fails even when permits are free.
func TestDoneContextFailsEvenWithPermits(t *testing.T) {
	s := semaphore.New(5)
	require.ErrorIs(t, s.AcquireContext(testutil.Cancelled()), context.Canceled)
	require.ErrorIs(t, s.AcquireN(testutil.Cancelled(), 2), context.Canceled)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	require.ErrorIs(t, s.AcquireN(ctx, 1), context.DeadlineExceeded)
	require.Equal(t, 5, s.Value(), "a failed acquire takes nothing")
}

// Python: BoundedSemaphoreTests.test_release_unacquired.
func TestBoundedOverReleasePanics(t *testing.T) {
	s := semaphore.NewBounded(3)
	require.PanicsWithValue(t, msgReleasedMore, func() { s.Release() })
	require.Equal(t, 3, s.Value(), "a refused release changes nothing")
	s.Acquire()
	require.PanicsWithValue(t, msgReleasedMore, func() { s.ReleaseN(2) })
	require.Equal(t, 2, s.Value())
	s.Release()
	require.Equal(t, 3, s.Value())
	s.ReleaseN(0) // a count of 0 does nothing, even at the bound

	var zero semaphore.Semaphore
	zero.Release() // the zero value is unbounded
	require.Equal(t, 1, zero.Value())
}

// A refused release while waiters are queued changes nothing either, and the
// line still gets the permits of a valid release.
func TestBoundedOverReleaseWithWaiters(t *testing.T) {
	s := semaphore.NewBounded(2)
	require.True(t, s.TryAcquireN(2))
	out := queue(t, s, context.Background(), 2)
	require.PanicsWithValue(t, msgReleasedMore, func() { s.ReleaseN(3) })
	require.Zero(t, s.Value())
	require.Equal(t, 1, s.Waiters())
	testutil.NotReady(t, out, "the waiter after a refused release")
	s.Release()
	testutil.NotReady(t, out, "the waiter after half its permits")
	require.Equal(t, 1, s.Value())
	s.Release()
	require.NoError(t, testutil.Recv(t, out, "the waiter"))
	require.Zero(t, s.Value())
	require.False(t, s.Queued())
}

// Convention 9: a request above the bound could never succeed, so it panics.
func TestAcquireAboveBoundPanics(t *testing.T) {
	s := semaphore.NewBounded(2)
	require.PanicsWithValue(t, msgAboveBound, func() { _ = s.AcquireN(context.Background(), 3) })
	require.PanicsWithValue(t, msgAboveBound, func() { _ = s.AcquireN(testutil.Cancelled(), 3) })
	require.False(t, s.TryAcquireN(3), "a try-form cannot block, so it just fails")
	require.Equal(t, 2, s.Value())
	require.False(t, s.Queued())

	empty := semaphore.NewBounded(0)
	require.PanicsWithValue(t, msgAboveBound, func() { empty.Acquire() })
	require.PanicsWithValue(t, msgAboveBound, func() { _ = empty.AcquireContext(context.Background()) })
	require.False(t, empty.TryAcquire())
	require.PanicsWithValue(t, msgReleasedMore, func() { empty.Release() })
}

func TestNegativeCountPanics(t *testing.T) {
	s := semaphore.New(1)
	require.PanicsWithValue(t, msgNegativeCount, func() { _ = s.AcquireN(context.Background(), -1) })
	require.PanicsWithValue(t, msgNegativeCount, func() { s.TryAcquireN(-1) })
	require.PanicsWithValue(t, msgNegativeCount, func() { s.ReleaseN(-1) })
	require.Equal(t, 1, s.Value())
}

func TestOverflowPanics(t *testing.T) {
	s := semaphore.New(math.MaxInt)
	require.PanicsWithValue(t, msgOverflow, func() { s.Release() })
	require.Equal(t, math.MaxInt, s.Value())
	s2 := semaphore.New(1)
	require.PanicsWithValue(t, msgOverflow, func() { s2.ReleaseN(math.MaxInt) })
	require.Equal(t, 1, s2.Value())
}

// Convention 9: a count of 0 does nothing and succeeds, even with a done
// context or a queue.
func TestZeroCountSucceeds(t *testing.T) {
	s := semaphore.New(0)
	ctx, cancel := context.WithCancel(context.Background())
	out := queue(t, s, ctx, 1)
	require.True(t, s.TryAcquireN(0))
	require.NoError(t, s.AcquireN(context.Background(), 0))
	require.NoError(t, s.AcquireN(testutil.Cancelled(), 0))
	s.ReleaseN(0)
	require.Equal(t, 1, s.Waiters())
	cancel()
	require.ErrorIs(t, testutil.Recv(t, out, "the cancelled waiter"), context.Canceled)
}

// Convention 8: no barging past the line.
func TestTryAcquireFailsWhileQueued(t *testing.T) {
	s := semaphore.New(1)
	ctx, cancel := context.WithCancel(context.Background())
	out := queue(t, s, ctx, 2)
	require.Equal(t, 1, s.Value())
	require.False(t, s.TryAcquire(), "a permit is free but a waiter is first")
	require.False(t, s.TryAcquireN(1))
	cancel()
	require.ErrorIs(t, testutil.Recv(t, out, "the cancelled waiter"), context.Canceled)
	require.False(t, s.Queued(), "the last waiter leaving clears the line")
	require.True(t, s.TryAcquire())
}

// FIFO: waiters of different weights are served strictly in arrival order,
// each as soon as the permits for it and everyone before it are there.
func TestWeightedFIFOOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := semaphore.New(0)
		weights := []int{3, 1, 2, 1, 4, 1}
		served := make(chan int, len(weights))
		for i, w := range weights {
			go func() {
				if err := s.AcquireN(context.Background(), w); err != nil {
					t.Errorf("AcquireN: %v", err)
				}
				served <- i
			}()
			synctest.Wait() // i is queued before i+1 starts
		}
		require.Equal(t, len(weights), s.Waiters())

		// Release one permit at a time; after each, exactly the prefix of
		// the line that the permits cover has been served.
		next, have := 0, 0
		for range 12 {
			s.Release()
			have++
			synctest.Wait()
			for next < len(weights) && weights[next] <= have {
				have -= weights[next]
				require.Equal(t, next, <-served, "served out of order")
				next++
			}
			testutil.NotReady(t, served, "a waiter served beyond the covered prefix")
			require.Equal(t, have, s.Value())
			require.Equal(t, len(weights)-next, s.Waiters())
		}
		require.Equal(t, len(weights), next)
		require.False(t, s.Queued())
	})
}

// A large request at the head is not overtaken by later small ones, even
// though the permits for them are free.
func TestLargeHeadNotOvertaken(t *testing.T) {
	s := semaphore.New(0)
	big := queue(t, s, context.Background(), 3)
	small1 := queue(t, s, context.Background(), 1)
	small2 := queue(t, s, context.Background(), 1)
	s.Release()
	s.Release()
	require.Equal(t, 2, s.Value())
	require.False(t, s.TryAcquire())
	testutil.NotReady(t, small1, "a small waiter behind the big head")
	testutil.NotReady(t, big, "the big head with 2 of 3")
	s.Release()
	require.NoError(t, testutil.Recv(t, big, "the big head"))
	require.Zero(t, s.Value())
	s.ReleaseN(2)
	require.NoError(t, testutil.Recv(t, small1, "the first small waiter"))
	require.NoError(t, testutil.Recv(t, small2, "the second small waiter"))
	require.False(t, s.Queued())
}

// The readers/writer case of x/sync: readers that keep coming cannot starve
// a writer that asks for every permit.
func TestLargeRequestNotStarvedByStream(t *testing.T) {
	const n = 4
	s := semaphore.New(n)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	for range n {
		go func() {
			defer func() { done <- struct{}{} }()
			for s.AcquireContext(ctx) == nil {
				runtime.Gosched()
				s.Release()
			}
		}()
	}
	for range 20 {
		require.NoError(t, withGuard(func(ctx context.Context) error { return s.AcquireN(ctx, n) }))
		s.ReleaseN(n)
	}
	cancel()
	for range n {
		testutil.Recv(t, done, "a reader")
	}
	require.Equal(t, n, s.Value())
}

func withGuard(f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), testutil.Guard)
	defer cancel()
	return f(ctx)
}

// A cancelled head lets the waiters behind it that fit proceed at once.
func TestCancelledHeadLetsOthersProceed(t *testing.T) {
	s := semaphore.New(2)
	ctx, cancel := context.WithCancel(context.Background())
	head := queue(t, s, ctx, 3)
	a := queue(t, s, context.Background(), 1)
	b := queue(t, s, context.Background(), 1)
	c := queue(t, s, context.Background(), 1)
	testutil.NotReady(t, a, "a waiter behind the head")
	cancel()
	require.ErrorIs(t, testutil.Recv(t, head, "the cancelled head"), context.Canceled)
	require.NoError(t, testutil.Recv(t, a, "the first waiter behind the head"))
	require.NoError(t, testutil.Recv(t, b, "the second waiter behind the head"))
	testutil.NotReady(t, c, "a waiter for which nothing is left")
	require.Zero(t, s.Value())
	require.Equal(t, 1, s.Waiters())
	s.Release()
	require.NoError(t, testutil.Recv(t, c, "the last waiter"))
	require.False(t, s.Queued())
}

// A cancelled waiter in the middle leaves the others in their order.
func TestCancelledMiddleKeepsOrder(t *testing.T) {
	s := semaphore.New(0)
	ctx, cancel := context.WithCancel(context.Background())
	first := queue(t, s, context.Background(), 2)
	middle := queue(t, s, ctx, 1)
	last := queue(t, s, context.Background(), 1)
	cancel()
	require.ErrorIs(t, testutil.Recv(t, middle, "the cancelled middle"), context.Canceled)
	require.Equal(t, 2, s.Waiters())
	s.Release()
	testutil.NotReady(t, last, "the last waiter while the first still needs a permit")
	s.ReleaseN(2)
	require.NoError(t, testutil.Recv(t, first, "the first waiter"))
	require.NoError(t, testutil.Recv(t, last, "the last waiter"))
	require.Zero(t, s.Value())
}

// A timed-out waiter leaves no trace, with fake time.
func TestTimeoutOfQueuedWaiters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := semaphore.New(1)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		errs := make(chan error, 2)
		go func() { errs <- s.AcquireN(ctx, 2) }()
		synctest.Wait()
		go func() { errs <- s.AcquireN(ctx, 3) }()
		synctest.Wait()
		require.Equal(t, 2, s.Waiters())
		time.Sleep(time.Second)
		synctest.Wait()
		require.ErrorIs(t, <-errs, context.DeadlineExceeded)
		require.ErrorIs(t, <-errs, context.DeadlineExceeded)
		require.Zero(t, s.Waiters())
		require.False(t, s.Queued())
		require.Equal(t, 1, s.Value())
		require.True(t, s.TryAcquire())
	})
}

// Python: test_multirelease: ReleaseN(n) wakes n one-permit waiters.
func TestReleaseNWakesSeveral(t *testing.T) {
	s := semaphore.New(0)
	got := make(chan struct{}, 5)
	for range 5 {
		go func() {
			s.Acquire()
			got <- struct{}{}
		}()
	}
	testutil.WaitEqual(t, "five are queued", s.Waiters, 5)
	s.ReleaseN(3)
	for range 3 {
		testutil.Recv(t, got, "a waiter woken by ReleaseN(3)")
	}
	require.Equal(t, 2, s.Waiters())
	require.Zero(t, s.Value())
	testutil.NotReady(t, got, "a fourth waiter")
	s.ReleaseN(4)
	testutil.Recv(t, got, "the fourth waiter")
	testutil.Recv(t, got, "the fifth waiter")
	require.Equal(t, 2, s.Value())
	require.False(t, s.Queued())
}

// Convention 5: the uncontended paths allocate nothing.
func TestUncontendedPathsDoNotAllocate(t *testing.T) {
	s := semaphore.NewBounded(4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	allocs := testing.AllocsPerRun(100, func() {
		s.Acquire()
		s.Release()
		if s.AcquireContext(ctx) != nil || s.AcquireN(ctx, 3) != nil {
			panic("acquire failed")
		}
		s.ReleaseN(4)
		if !s.TryAcquire() || !s.TryAcquireN(2) {
			panic("try-acquire failed")
		}
		s.ReleaseN(3)
		_ = s.Value()
	})
	require.Zero(t, allocs)
}
