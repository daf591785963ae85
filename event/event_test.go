package event_test

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

	"github.com/syncprim/syncprim/event"
	"github.com/syncprim/syncprim/internal/testutil"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// startWaiters starts n goroutines blocked in Wait (or WaitContext with a
// context that never ends, on odd indexes) and returns once Set would wake
// every one of them. Each sends its result on the returned channel.
func startWaiters(t *testing.T, e *event.Event, n int) <-chan error {
	t.Helper()
	before := e.Waiters()
	out := make(chan error, n)
	for i := range n {
		go func() {
			if i%2 == 0 {
				e.Wait()
				out <- nil
				return
			}
			out <- e.WaitContext(context.Background())
		}()
	}
	testutil.WaitEqual(t, "every waiter is waiting", e.Waiters, before+n)
	return out
}

// Python: test_is_set.
func TestIsSetFollowsSetAndClear(t *testing.T) {
	var e event.Event
	require.False(t, e.IsSet(), "zero value is not set")
	e.Set()
	require.True(t, e.IsSet())
	e.Set()
	require.True(t, e.IsSet(), "setting twice keeps it set")
	e.Clear()
	require.False(t, e.IsSet())
	e.Clear()
	require.False(t, e.IsSet(), "clearing twice keeps it clear")
}

// Python: test_notify / _check_notify: every waiter wakes, and waiters that
// come after Clear block until the next Set.
func TestSetWakesAllWaiters(t *testing.T) {
	var e event.Event
	const n = 5
	out := startWaiters(t, &e, n)
	testutil.NotReady(t, out, "a waiter before Set")
	e.Set()
	for range n {
		require.NoError(t, testutil.Recv(t, out, "a waiter woken by Set"))
	}

	e.Clear()
	out = startWaiters(t, &e, n)
	testutil.NotReady(t, out, "a waiter after Clear and before the next Set")
	e.Set()
	for range n {
		require.NoError(t, testutil.Recv(t, out, "a waiter woken by the second Set"))
	}
}

func TestWaitOnSetEventReturnsAtOnce(t *testing.T) {
	var e event.Event
	e.Set()
	e.Wait()
	require.NoError(t, e.WaitContext(context.Background()))
	require.NoError(t, e.WaitContext(testutil.Cancelled()),
		"waiting for what has already happened succeeds whatever the context")
	require.True(t, isClosed(e.Done()))
}

func TestWaitContextOnDoneContextFailsWhenNotSet(t *testing.T) {
	var e event.Event
	err := e.WaitContext(testutil.Cancelled())
	require.ErrorIs(t, err, context.Canceled)
	require.False(t, e.IsSet())
}

func TestWaitContextCancelledWhileWaiting(t *testing.T) {
	var e event.Event
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	before := e.Waiters()
	out := make(chan error, 1)
	go func() { out <- e.WaitContext(ctx) }()
	testutil.WaitEqual(t, "the waiter is waiting", e.Waiters, before+1)
	cancel()
	require.ErrorIs(t, testutil.Recv(t, out, "the cancelled waiter"), context.Canceled)
	require.False(t, e.IsSet(), "a cancelled wait changes nothing")
}

// Python: test_timeout, with fake time.
func TestWaitContextTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var e event.Event
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		err := e.WaitContext(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Equal(t, time.Second, time.Since(start))

		// Set before the deadline: the wait ends then, with nil.
		start = time.Now()
		ctx2, cancel2 := context.WithTimeout(context.Background(), time.Second)
		defer cancel2()
		go func() {
			time.Sleep(300 * time.Millisecond)
			e.Set()
		}()
		require.NoError(t, e.WaitContext(ctx2))
		require.Equal(t, 300*time.Millisecond, time.Since(start))
	})
}

// Python: test_set_and_clear, made exact: with every waiter parked (synctest
// knows), Set followed at once by Clear wakes them all.
func TestSetThenClearWakesParkedWaiters(t *testing.T) {
	for n := 1; n <= 8; n++ {
		synctest.Test(t, func(t *testing.T) {
			var e event.Event
			var returned atomic.Int32
			for i := range n {
				go func() {
					if i%2 == 0 {
						e.Wait()
					} else if err := e.WaitContext(context.Background()); err != nil {
						t.Errorf("WaitContext: %v", err)
					}
					returned.Add(1)
				}()
			}
			synctest.Wait()
			require.Zero(t, returned.Load())
			e.Set()
			e.Clear()
			synctest.Wait()
			require.Equal(t, int32(n), returned.Load())
			require.False(t, e.IsSet())
		})
	}
}

// The same with real concurrency, many times: the waiters may still be on
// their way into the channel receive when Set and Clear run.
func TestSetThenClearWakesEveryWaiterRace(t *testing.T) {
	var e event.Event
	const rounds, n = 1000, 4
	for range rounds {
		out := startWaiters(t, &e, n)
		e.Set()
		e.Clear()
		for range n {
			require.NoError(t, testutil.Recv(t, out, "a waiter woken by Set before Clear"))
		}
	}
}

// A Set that happened before the context ended wins: WaitContext returns nil
// even though both are ready when the waiter runs.
func TestWaitContextPrefersSetOverLaterCancel(t *testing.T) {
	for range 100 {
		synctest.Test(t, func(t *testing.T) {
			var e event.Event
			ctx, cancel := context.WithCancel(context.Background())
			out := make(chan error, 1)
			go func() { out <- e.WaitContext(ctx) }()
			synctest.Wait()
			e.Set()
			cancel()
			require.NoError(t, <-out)
		})
	}
}

func TestDoneInSelect(t *testing.T) {
	var e event.Event
	d1 := e.Done()
	require.False(t, isClosed(d1))
	require.Equal(t, d1, e.Done(), "one channel per generation")

	got := make(chan string, 1)
	go func() {
		select {
		case <-e.Done():
			got <- "event"
		case <-time.After(testutil.Guard):
			got <- "timeout"
		}
	}()
	e.Set()
	require.Equal(t, "event", testutil.Recv(t, got, "the select"))
	require.True(t, isClosed(d1))
	require.True(t, isClosed(e.Done()))

	e.Clear()
	d2 := e.Done()
	require.False(t, isClosed(d2), "Clear starts a new channel")
	require.True(t, isClosed(d1), "the old channel stays closed")
	e.Set()
	require.True(t, isClosed(d2))
}

func TestDoneOfSetEventNeverMadeAChannel(t *testing.T) {
	var e event.Event
	e.Set()
	require.True(t, isClosed(e.Done()))
	e.Clear()
	require.False(t, isClosed(e.Done()))
}

// Stress: togglers Set and Clear while waiters wait with and without
// deadlines; a waiter that returns nil must have seen a Set that happened
// after it began or was in force when it began. At the end the event is set
// and every waiter returns.
func TestStress(t *testing.T) {
	var e event.Event
	// sets counts Set calls; mu makes (sets, IsSet) a consistent snapshot.
	var mu sync.Mutex
	sets := 0
	snapshot := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		return sets, e.IsSet()
	}
	const togglers, waiters, loops = 2, 6, 300
	stop := testutil.Hammer(togglers, func() {
		mu.Lock()
		sets++
		e.Set()
		mu.Unlock()
		runtime.Gosched()
		e.Clear()
	})
	var ww sync.WaitGroup
	var nils, timeouts atomic.Int64
	for i := range waiters {
		ww.Add(1)
		go func() {
			defer ww.Done()
			for j := range loops {
				before, wasSet := snapshot()
				var err error
				if (i+j)%3 == 0 {
					e.Wait()
				} else {
					ctx, cancel := context.WithTimeout(context.Background(), time.Duration(j%5)*time.Microsecond)
					err = e.WaitContext(ctx)
					cancel()
				}
				if err == nil {
					nils.Add(1)
					if now, _ := snapshot(); !wasSet && now == before {
						t.Errorf("a wait returned nil with no Set during it")
						return
					}
				} else {
					timeouts.Add(1)
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("WaitContext: %v", err)
						return
					}
				}
			}
		}()
	}
	ww.Wait()
	stop()
	require.Equal(t, int64(waiters*loops), nils.Load()+timeouts.Load())
	require.Positive(t, nils.Load())
}

// Stress of the lock-free Set and Clear against goroutines making the
// generation's channel: once a final Set has returned, every channel any Done
// ever returned is closed (a channel handed out in a generation is closed by
// that generation's Set), and every Wait returns.
func TestStressEveryDoneChannelClosedBySet(t *testing.T) {
	var e event.Event
	stop := testutil.Hammer(2, func() {
		e.Set()
		e.Clear()
	})
	const takers, each = 3, 500
	got := make([][]<-chan struct{}, takers)
	var tw sync.WaitGroup
	for i := range takers {
		tw.Add(1)
		go func() {
			defer tw.Done()
			for j := range each {
				got[i] = append(got[i], e.Done())
				if j%50 == 0 {
					ctx, cancel := context.WithTimeout(context.Background(), testutil.Guard)
					err := e.WaitContext(ctx)
					cancel()
					if err != nil {
						t.Errorf("a waiter was never woken: %v", err)
						return
					}
				}
			}
		}()
	}
	tw.Wait()
	stop()
	e.Set()
	for i := range got {
		for j, c := range got[i] {
			require.True(t, isClosed(c), "channel %d of taker %d is still open after Set", j, i)
		}
	}
}

// Convention 5: IsSet, and the waits on a set event, allocate nothing, nor do
// Set and Clear with nobody waiting.
func TestFastPathsDoNotAllocate(t *testing.T) {
	var e event.Event
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	allocs := testing.AllocsPerRun(100, func() {
		e.Set()
		e.Wait()
		if e.WaitContext(ctx) != nil || !e.IsSet() {
			panic("set event not seen")
		}
		<-e.Done()
		e.Clear()
	})
	require.Zero(t, allocs)
}
