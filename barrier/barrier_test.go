package barrier_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/barrier"
	"github.com/syncprim/syncprim/internal/testutil"
)

// result is what one Wait or WaitContext returned.
type result struct {
	index int
	err   error
}

// arrive starts a goroutine that calls WaitContext(ctx) (Wait if ctx is nil)
// and sends what it returned on the channel, and returns once that party is
// counted as waiting, n being the count it brings the barrier to.
func arrive(t *testing.T, b *barrier.Barrier, ctx context.Context, n int) <-chan result {
	t.Helper()
	out := make(chan result, 1)
	go func() {
		var r result
		if ctx == nil {
			r.index, r.err = b.Wait()
		} else {
			r.index, r.err = b.WaitContext(ctx)
		}
		out <- r
	}()
	testutil.WaitEqual(t, "the party waits", b.Waiting, n)
	return out
}

// recv receives a party's result.
func recv(t *testing.T, c <-chan result) result {
	t.Helper()
	return testutil.Recv(t, c, "the party's result")
}

// requireBrokenEmpty checks the state of a broken barrier.
func requireBrokenEmpty(t *testing.T, b *barrier.Barrier) {
	t.Helper()
	require.True(t, b.Broken())
	require.Equal(t, 0, b.Waiting())
	require.Equal(t, 0, b.Queued())
	i, err := b.Wait()
	require.ErrorIs(t, err, barrier.ErrBroken)
	require.Equal(t, -1, i)
}

// requireWorks checks that b (not broken, empty) completes a cycle.
func requireWorks(t *testing.T, b *barrier.Barrier) {
	t.Helper()
	require.False(t, b.Broken())
	require.Equal(t, 0, b.Waiting())
	var outs []<-chan result
	for k := range b.Parties() - 1 {
		outs = append(outs, arrive(t, b, nil, k+1))
	}
	i, err := b.Wait()
	require.NoError(t, err)
	require.Equal(t, b.Parties()-1, i)
	for k, c := range outs {
		require.Equal(t, result{index: k}, recv(t, c))
	}
	require.Equal(t, 0, b.Waiting())
}

func TestIndexesFollowArrivalOrder(t *testing.T) {
	b := barrier.New(4, nil)
	for range 3 { // cyclic: the same barrier, cycle after cycle
		requireWorks(t, b)
	}
}

// A party released from one cycle that calls Wait again at once is the first
// arrival of the next cycle, never a late arrival of the one it left.
func TestGenerationsDoNotMix(t *testing.T) {
	const parties, cycles = 3, 200
	var cycle atomic.Int64
	b := barrier.New(parties, func() error { cycle.Add(1); return nil })
	var wg sync.WaitGroup
	for range parties {
		wg.Go(func() {
			for c := range int64(cycles) {
				i, err := b.Wait()
				if !assert.NoError(t, err) {
					return
				}
				assert.True(t, i >= 0 && i < parties, "index %d", i)
				// The action ran for this cycle, and the next cycle
				// cannot complete before this party arrives again.
				assert.Equal(t, c+1, cycle.Load())
			}
		})
	}
	wg.Wait()
	require.Equal(t, int64(cycles), cycle.Load())
}

func TestActionRunsInTheLastArrivalBeforeRelease(t *testing.T) {
	var b *barrier.Barrier
	var ran int
	b = barrier.New(3, func() error {
		ran++
		// Every party has arrived; none has been released.
		require.Equal(t, 3, b.Waiting())
		require.False(t, b.Broken())
		return nil
	})
	a0 := arrive(t, b, nil, 1)
	a1 := arrive(t, b, nil, 2)
	i, err := b.Wait()
	require.NoError(t, err)
	require.Equal(t, 2, i)
	require.Equal(t, 1, ran)
	require.Equal(t, result{index: 0}, recv(t, a0))
	require.Equal(t, result{index: 1}, recv(t, a1))
}

func TestActionErrorBreaksTheBarrier(t *testing.T) {
	boom := errors.New("boom")
	fail := true
	b := barrier.New(3, func() error {
		if fail {
			return boom
		}
		return nil
	})
	a0 := arrive(t, b, nil, 1)
	a1 := arrive(t, b, context.Background(), 2)
	i, err := b.Wait()
	require.Equal(t, -1, i)
	require.ErrorIs(t, err, boom) // the action's own error, in its party
	require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a0))
	require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a1))
	requireBrokenEmpty(t, b)
	b.Reset()
	fail = false
	requireWorks(t, b)
}

func TestActionPanicBreaksTheBarrierAndGoesUp(t *testing.T) {
	b := barrier.New(2, func() error { panic("action panics") })
	a0 := arrive(t, b, nil, 1)
	require.PanicsWithValue(t, "action panics", func() { _, _ = b.Wait() })
	require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a0))
	requireBrokenEmpty(t, b)
	b.Reset() // the barrier's lock was released on the way up
	require.False(t, b.Broken())
}

func TestActionGoexitBreaksTheBarrier(t *testing.T) {
	b := barrier.New(2, func() error { runtime.Goexit(); return nil })
	a0 := arrive(t, b, nil, 1)
	done := make(chan struct{})
	go func() { defer close(done); _, _ = b.Wait() }()
	testutil.Recv(t, done, "the last party's goroutine exits")
	require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a0))
	requireBrokenEmpty(t, b)
}

// The action may read the barrier; it may not Wait on, Abort or Reset it,
// which would deadlock: those panic, and the panic breaks the barrier.
func TestActionMayNotChangeItsBarrier(t *testing.T) {
	for name, call := range map[string]func(b *barrier.Barrier){
		"Wait":        func(b *barrier.Barrier) { _, _ = b.Wait() },
		"WaitContext": func(b *barrier.Barrier) { _, _ = b.WaitContext(context.Background()) },
		"Abort":       (*barrier.Barrier).Abort,
		"Reset":       (*barrier.Barrier).Reset,
	} {
		t.Run(name, func(t *testing.T) {
			var b *barrier.Barrier
			b = barrier.New(2, func() error {
				require.Equal(t, 2, b.Parties())
				require.False(t, b.Broken())
				call(b)
				return nil
			})
			a0 := arrive(t, b, nil, 1)
			require.PanicsWithValue(t, barrier.MsgInAction, func() { _, _ = b.Wait() })
			require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a0))
			requireBrokenEmpty(t, b)
		})
	}
}

func TestAbortFailsWaitersUntilReset(t *testing.T) {
	b := barrier.New(3, nil)
	a0 := arrive(t, b, nil, 1)
	a1 := arrive(t, b, context.Background(), 2)
	b.Abort()
	require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a0))
	require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a1))
	requireBrokenEmpty(t, b)
	b.Abort() // aborting a broken barrier changes nothing
	requireBrokenEmpty(t, b)
	b.Reset()
	requireWorks(t, b)
}

func TestResetFailsWaitersAndEmpties(t *testing.T) {
	b := barrier.New(3, nil)
	a0 := arrive(t, b, nil, 1)
	b.Reset()
	require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a0))
	require.False(t, b.Broken())
	requireWorks(t, b) // the next arrival is index 0 again
	b.Reset()          // resetting an empty barrier changes nothing
	requireWorks(t, b)
}

// Abort and Reset from another goroutine while the action runs wait until
// the cycle is over: its parties are released.
func TestAbortDuringTheActionWaitsForTheRelease(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := barrier.New(2, func() error { time.Sleep(time.Second); return nil })
		a0 := arrive(t, b, nil, 1)
		a1 := make(chan result, 1)
		go func() { i, err := b.Wait(); a1 <- result{i, err} }()
		time.Sleep(time.Second / 2) // the action is running
		b.Abort()
		require.Equal(t, result{index: 0}, recv(t, a0))
		require.Equal(t, result{index: 1}, recv(t, a1))
		requireBrokenEmpty(t, b)
	})
}

func TestWaitContextEndingBreaksTheBarrier(t *testing.T) {
	for _, cause := range []error{context.Canceled, context.DeadlineExceeded} {
		t.Run(cause.Error(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				b := barrier.New(4, nil)
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				defer cancel()
				a0 := arrive(t, b, nil, 1)
				a1 := arrive(t, b, ctx, 2)
				a2 := arrive(t, b, context.Background(), 3)
				synctest.Wait()
				if cause == context.Canceled {
					cancel()
				} else {
					time.Sleep(time.Second)
				}
				require.Equal(t, result{-1, cause}, recv(t, a1))
				require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a0))
				require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a2))
				requireBrokenEmpty(t, b)
				b.Reset()
				requireWorks(t, b)
			})
		})
	}
}

func TestWaitContextDoneOnEntry(t *testing.T) {
	t.Run("breaks the barrier when it would not complete the cycle", func(t *testing.T) {
		b := barrier.New(3, nil)
		a0 := arrive(t, b, nil, 1)
		i, err := b.WaitContext(testutil.Cancelled())
		require.Equal(t, -1, i)
		require.ErrorIs(t, err, context.Canceled)
		require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a0))
		requireBrokenEmpty(t, b)
	})
	t.Run("breaks an empty barrier", func(t *testing.T) {
		b := barrier.New(2, nil)
		_, err := b.WaitContext(testutil.Cancelled())
		require.ErrorIs(t, err, context.Canceled)
		requireBrokenEmpty(t, b)
	})
	t.Run("succeeds when it completes the cycle", func(t *testing.T) {
		ran := 0
		b := barrier.New(3, func() error { ran++; return nil })
		a0 := arrive(t, b, nil, 1)
		a1 := arrive(t, b, nil, 2)
		i, err := b.WaitContext(testutil.Cancelled())
		require.NoError(t, err)
		require.Equal(t, 2, i)
		require.Equal(t, 1, ran)
		require.Equal(t, result{index: 0}, recv(t, a0))
		require.Equal(t, result{index: 1}, recv(t, a1))
		i, err = barrier.New(1, nil).WaitContext(testutil.Cancelled())
		require.NoError(t, err)
		require.Equal(t, 0, i)
	})
	t.Run("on a broken barrier", func(t *testing.T) {
		b := barrier.New(2, nil)
		b.Abort()
		_, err := b.WaitContext(testutil.Cancelled())
		require.ErrorIs(t, err, barrier.ErrBroken)
	})
}

// A context that ended before the last party arrived breaks the barrier
// even if its goroutine has not run since: whether the waiter leaves on its
// own or the last arrival drops it from the list, the outcome is the same.
func TestContextEndedBeforeTheLastArrivalWins(t *testing.T) {
	for range 300 {
		b := barrier.New(2, nil)
		ctx, cancel := context.WithCancel(context.Background())
		a0 := arrive(t, b, ctx, 1)
		cancel()
		i, err := b.Wait()
		require.Equal(t, -1, i)
		require.ErrorIs(t, err, barrier.ErrBroken)
		require.Equal(t, result{-1, context.Canceled}, recv(t, a0))
		requireBrokenEmpty(t, b)
	}
}

// Once the last party has arrived, the cycle completes: a waiter whose
// context ends while the action runs is released like the others.
func TestContextEndingDuringTheActionDoesNotBreak(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := barrier.New(2, func() error { time.Sleep(2 * time.Second); return nil })
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		a0 := arrive(t, b, ctx, 1)
		i, err := b.Wait()
		require.NoError(t, err)
		require.Equal(t, 1, i)
		require.Equal(t, result{index: 0}, recv(t, a0))
		require.False(t, b.Broken())
	})
}

// A party that arrives while the action runs waits for the release and is
// the first of the next cycle.
func TestArrivalDuringTheActionJoinsTheNextCycle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := barrier.New(2, func() error { time.Sleep(time.Second); return nil })
		a0 := arrive(t, b, nil, 1)
		a1 := make(chan result, 1)
		go func() { i, err := b.Wait(); a1 <- result{i, err} }()
		time.Sleep(time.Second / 2)
		a2 := make(chan result, 1)
		go func() { i, err := b.Wait(); a2 <- result{i, err} }()
		require.Equal(t, result{index: 0}, recv(t, a0))
		require.Equal(t, result{index: 1}, recv(t, a1))
		synctest.Wait()
		require.Equal(t, 1, b.Waiting())
		i, err := b.Wait()
		require.NoError(t, err)
		require.Equal(t, 1, i)
		require.Equal(t, result{index: 0}, recv(t, a2))
	})
}

// sharedBarrier is a package-level barrier, used inside two synctest bubbles
// and outside them in between.
var sharedBarrier = barrier.New(3, nil)

func TestPackageLevelBarrierAcrossBubbles(t *testing.T) {
	cycle := func(t *testing.T) {
		var wg sync.WaitGroup
		var sum atomic.Int64
		for range 3 {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
				defer cancel()
				i, err := sharedBarrier.WaitContext(ctx)
				assert.NoError(t, err)
				sum.Add(int64(i))
			})
		}
		wg.Wait()
		require.Equal(t, int64(3), sum.Load())
	}
	breakIt := func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := sharedBarrier.WaitContext(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		sharedBarrier.Reset()
	}
	synctest.Test(t, func(t *testing.T) { cycle(t); breakIt(t) })
	cycle(t)
	synctest.Test(t, func(t *testing.T) { cycle(t); breakIt(t) })
	cycle(t)
}

func TestMisusePanics(t *testing.T) {
	var noCtx context.Context // nil, on purpose
	var zero barrier.Barrier
	for name, f := range map[string]func(){
		"Wait":        func() { _, _ = zero.Wait() },
		"WaitContext": func() { _, _ = zero.WaitContext(context.Background()) },
		"Abort":       zero.Abort,
		"Reset":       zero.Reset,
		"Broken":      func() { zero.Broken() },
		"Waiting":     func() { zero.Waiting() },
		"Parties":     func() { zero.Parties() },
	} {
		require.PanicsWithValue(t, barrier.MsgZero, f, name)
	}
	require.PanicsWithValue(t, barrier.MsgNilContext, func() {
		_, _ = zero.WaitContext(noCtx)
	})
	require.PanicsWithValue(t, barrier.MsgParties, func() { barrier.New(0, nil) })

	// A nil context panics before anything changes, whatever the state.
	b := barrier.New(2, nil)
	a0 := arrive(t, b, nil, 1)
	require.PanicsWithValue(t, barrier.MsgNilContext, func() {
		_, _ = b.WaitContext(noCtx)
	})
	require.Equal(t, 1, b.Waiting())
	require.False(t, b.Broken())
	b.Abort()
	require.Equal(t, result{-1, barrier.ErrBroken}, recv(t, a0))
	require.PanicsWithValue(t, barrier.MsgNilContext, func() {
		_, _ = b.WaitContext(noCtx)
	})
	require.True(t, b.Broken())
	require.PanicsWithValue(t, barrier.MsgNilContext, func() {
		_, _ = barrier.New(1, nil).WaitContext(noCtx)
	})
}

func TestOnePartyNeverBlocksOrAllocates(t *testing.T) {
	b := barrier.New(1, nil)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := b.Wait(); err != nil {
			t.Fatal(err)
		}
	})
	require.Zero(t, allocs)
}
