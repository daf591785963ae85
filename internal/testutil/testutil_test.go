package testutil_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/testutil"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeTB records a fatal failure and ends its goroutine, as testing.T does.
type fakeTB struct {
	testing.TB // nil: calling anything not overridden panics
	failed     string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls body with a fakeTB on a new goroutine and returns the failure
// message, or "" if body returned normally.
func run(body func(tb testing.TB)) string {
	tb := &fakeTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		body(tb)
	}()
	<-done
	return tb.failed
}

func TestWaitUntilReturnsOnceCondHolds(t *testing.T) {
	var flag atomic.Bool
	var calls atomic.Int32
	go func() {
		for calls.Load() < 3 {
			runtime.Gosched()
		}
		flag.Store(true)
	}()
	msg := run(func(tb testing.TB) {
		testutil.WaitUntil(tb, "the flag is set", func() bool {
			calls.Add(1)
			return flag.Load()
		})
	})
	require.Empty(t, msg)
	require.True(t, flag.Load())
	require.GreaterOrEqual(t, calls.Load(), int32(3))
}

func TestWaitUntilTrueAtOnceCallsCondOnce(t *testing.T) {
	calls := 0
	msg := run(func(tb testing.TB) {
		testutil.WaitUntil(tb, "true", func() bool { calls++; return true })
	})
	require.Empty(t, msg)
	require.Equal(t, 1, calls)
}

// The guard is real time; in a synctest bubble a cond that sleeps lets the
// fake clock pass it.
func TestWaitUntilFailsAfterGuard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		msg := run(func(tb testing.TB) {
			testutil.WaitUntil(tb, "pigs fly", func() bool {
				time.Sleep(time.Second)
				return false
			})
		})
		require.Equal(t, "timed out waiting until pigs fly", msg)
		elapsed := time.Since(start)
		require.Greater(t, elapsed, testutil.Guard)
		require.LessOrEqual(t, elapsed, testutil.Guard+2*time.Second)
	})
}

func TestWaitEqual(t *testing.T) {
	var n atomic.Int32
	go func() {
		for range 5 {
			n.Add(1)
			runtime.Gosched()
		}
	}()
	require.Empty(t, run(func(tb testing.TB) {
		testutil.WaitEqual(tb, "n reaches 5", func() int32 { return n.Load() }, 5)
	}))
	require.Equal(t, int32(5), n.Load())
}

func TestWaitEqualFailsWithTheLastValue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		got := 0
		msg := run(func(tb testing.TB) {
			testutil.WaitEqual(tb, "two waiters", func() int {
				time.Sleep(time.Second)
				got++
				return got
			}, -1)
		})
		require.Equal(t, fmt.Sprintf("timed out waiting until two waiters: got %d, want -1", got), msg)
		require.Greater(t, got, 10)
	})
}

func TestRecv(t *testing.T) {
	c := make(chan int)
	go func() { c <- 42 }()
	var v int
	require.Empty(t, run(func(tb testing.TB) { v = testutil.Recv(tb, c, "the answer") }))
	require.Equal(t, 42, v)

	close(c)
	v = -1
	require.Empty(t, run(func(tb testing.TB) { v = testutil.Recv(tb, c, "the close") }))
	require.Zero(t, v)
}

func TestRecvFailsAfterGuard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		c := make(chan string)
		msg := run(func(tb testing.TB) { testutil.Recv(tb, c, "a letter") })
		require.Equal(t, "timed out waiting for a letter", msg)
		require.Equal(t, testutil.Guard, time.Since(start))
	})
}

func TestNotReady(t *testing.T) {
	c := make(chan int, 1)
	require.Empty(t, run(func(tb testing.TB) { testutil.NotReady(tb, c, "empty") }))
	c <- 7
	require.Equal(t, "a call: got 7, want nothing yet",
		run(func(tb testing.TB) { testutil.NotReady(tb, c, "a call") }))
	done := make(chan struct{})
	close(done)
	require.Equal(t, "done: got {}, want nothing yet",
		run(func(tb testing.TB) { testutil.NotReady(tb, done, "done") }))
}

func TestCancelled(t *testing.T) {
	ctx := testutil.Cancelled()
	require.ErrorIs(t, ctx.Err(), context.Canceled)
	select {
	case <-ctx.Done():
	default:
		t.Fatal("Done is not closed")
	}
}

// Hammer runs f on n goroutines at once: each call waits until n calls are
// in progress together, which only n concurrent goroutines can achieve.
func TestHammerRunsNGoroutinesConcurrently(t *testing.T) {
	const n = 4
	var inside, most, calls atomic.Int32
	stop := testutil.Hammer(n, func() {
		in := inside.Add(1)
		for {
			m := most.Load()
			if in <= m || most.CompareAndSwap(m, in) {
				break
			}
		}
		for most.Load() < n {
			runtime.Gosched()
		}
		calls.Add(1)
		inside.Add(-1)
	})
	testutil.WaitUntil(t, "every goroutine called f twice", func() bool { return calls.Load() >= 2*n })
	stop()
	require.Equal(t, int32(n), most.Load())
	require.Zero(t, inside.Load(), "stop returned while f was running")
	after := calls.Load()
	runtime.Gosched()
	require.Equal(t, after, calls.Load(), "f called after stop returned")
	stop() // a second stop is a no-op
}

// stop called before the goroutines get going may leave f uncalled, and
// still ends them all (goleak checks at the end).
func TestHammerStopAtOnce(t *testing.T) {
	var calls atomic.Int32
	stop := testutil.Hammer(3, func() { calls.Add(1) })
	stop()
	after := calls.Load()
	runtime.Gosched()
	require.Equal(t, after, calls.Load())
}

func TestHammerWhileEndsEachGoroutineOnFalse(t *testing.T) {
	const n, each = 3, 100
	var calls, ended atomic.Int32
	stop := testutil.HammerWhile(n, func() bool {
		if calls.Add(1) > n*each {
			ended.Add(1)
			return false
		}
		return true
	})
	testutil.WaitEqual(t, "every goroutine ended on its own", func() int32 { return ended.Load() }, n)
	require.Equal(t, int32(n*each+n), calls.Load(), "a goroutine called f after it returned false")
	stop()
	require.Equal(t, int32(n*each+n), calls.Load())
}
