package barrier_test

// CPython's BarrierTests (Lib/test/lock_tests.py), re-expressed: Python's
// timeouts are contexts, and the tests that wait for time run in a
// testing/synctest bubble.

import (
	"context"
	"errors"
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

// nParties is CPython's BarrierTests.N.
const nParties = 5

// runParties is CPython's run_threads (a Bunch of n threads): it runs f in n
// goroutines and returns when all have returned.
func runParties(n int, f func()) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(f)
	}
	wg.Wait()
}

// multipass is CPython's: every party passes the barrier twice per pass,
// and what each did before a Wait is seen by all after it.
func multipass(t *testing.T, b *barrier.Barrier, results *[2]atomic.Int64, passes int) {
	m := int64(b.Parties())
	for i := range int64(passes) {
		results[0].Add(1)
		assert.Equal(t, i*m, results[1].Load())
		_, err := b.Wait()
		assert.NoError(t, err)
		results[1].Add(1)
		assert.Equal(t, (i+1)*m, results[0].Load())
		_, err = b.Wait()
		assert.NoError(t, err)
	}
	assert.Equal(t, 0, b.Waiting())
	assert.False(t, b.Broken())
}

// Python: test_constructor.
func TestPythonConstructor(t *testing.T) {
	require.PanicsWithValue(t, barrier.MsgParties, func() { barrier.New(0, nil) })
	require.PanicsWithValue(t, barrier.MsgParties, func() { barrier.New(-1, nil) })
	b := barrier.New(nParties, nil)
	require.Equal(t, nParties, b.Parties())
	require.Equal(t, 0, b.Waiting())
	require.False(t, b.Broken())
}

// Python: test_barrier and test_barrier_10.
func TestPythonBarrier(t *testing.T) {
	for _, passes := range []int{1, 10} {
		b := barrier.New(nParties, nil)
		var results [2]atomic.Int64
		runParties(nParties, func() { multipass(t, b, &results, passes) })
		require.Equal(t, int64(passes*nParties), results[0].Load())
	}
}

// Python: test_wait_return: the indexes of a cycle are 0..N-1.
func TestPythonWaitReturn(t *testing.T) {
	b := barrier.New(nParties, nil)
	var sum atomic.Int64
	runParties(nParties, func() {
		i, err := b.Wait()
		assert.NoError(t, err)
		sum.Add(int64(i))
	})
	require.Equal(t, int64(nParties*(nParties-1)/2), sum.Load())
}

// Python: test_action: the action has run once when any party returns.
func TestPythonAction(t *testing.T) {
	var runs atomic.Int64
	b := barrier.New(nParties, func() error { runs.Add(1); return nil })
	runParties(nParties, func() {
		_, err := b.Wait()
		assert.NoError(t, err)
		assert.Equal(t, int64(1), runs.Load())
	})
}

// Python: test_abort: a party aborts instead of waiting a second time.
func TestPythonAbort(t *testing.T) {
	b := barrier.New(nParties, nil)
	var passed, brokenErrs atomic.Int64
	runParties(nParties, func() {
		i, err := b.Wait()
		assert.NoError(t, err)
		if i == nParties/2 {
			b.Abort() // Python raises RuntimeError here and aborts
			return
		}
		if _, err := b.Wait(); err != nil {
			assert.ErrorIs(t, err, barrier.ErrBroken)
			brokenErrs.Add(1)
			return
		}
		passed.Add(1)
	})
	require.Equal(t, int64(0), passed.Load())
	require.Equal(t, int64(nParties-1), brokenErrs.Load())
	require.True(t, b.Broken())
}

// Python: test_reset: a Reset while N-1 parties wait fails them, and the
// barrier works again at once.
func TestPythonReset(t *testing.T) {
	b := barrier.New(nParties, nil)
	var passed, brokenErrs, again atomic.Int64
	runParties(nParties, func() {
		i, err := b.Wait()
		assert.NoError(t, err)
		if i == nParties/2 {
			testutil.WaitEqual(t, "the others wait", b.Waiting, nParties-1)
			b.Reset()
		} else if _, err := b.Wait(); err != nil {
			assert.ErrorIs(t, err, barrier.ErrBroken)
			brokenErrs.Add(1)
		} else {
			passed.Add(1)
		}
		_, err = b.Wait() // pass the barrier again
		assert.NoError(t, err)
		again.Add(1)
	})
	require.Equal(t, int64(0), passed.Load())
	require.Equal(t, int64(nParties-1), brokenErrs.Load())
	require.Equal(t, int64(nParties), again.Load())
}

// Python: test_abort_and_reset: a second barrier makes sure every party has
// left the broken one before the Reset, and none enters it before.
func TestPythonAbortAndReset(t *testing.T) {
	b := barrier.New(nParties, nil)
	b2 := barrier.New(nParties, nil)
	var passed, brokenErrs, again atomic.Int64
	runParties(nParties, func() {
		i, err := b.Wait()
		assert.NoError(t, err)
		if i == nParties/2 {
			b.Abort()
		} else if _, err := b.Wait(); err != nil {
			assert.ErrorIs(t, err, barrier.ErrBroken)
			brokenErrs.Add(1)
		} else {
			passed.Add(1)
		}
		if j, err := b2.Wait(); assert.NoError(t, err) && j == nParties/2 {
			b.Reset()
		}
		_, err = b2.Wait()
		assert.NoError(t, err)
		_, err = b.Wait()
		assert.NoError(t, err)
		again.Add(1)
	})
	require.Equal(t, int64(0), passed.Load())
	require.Equal(t, int64(nParties-1), brokenErrs.Load())
	require.Equal(t, int64(nParties), again.Load())
}

// Python: test_timeout: one party is late, the others' contexts end first:
// they break the barrier and the late one finds it broken.
func TestPythonTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const timeout = 2 * time.Second
		b := barrier.New(nParties, nil)
		var deadline, brokenErrs atomic.Int64
		runParties(nParties, func() {
			i, err := b.Wait()
			assert.NoError(t, err)
			if i == nParties/2 {
				time.Sleep(timeout / 2) // one party is late
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout/4)
			defer cancel()
			_, err = b.WaitContext(ctx)
			switch {
			case errors.Is(err, context.DeadlineExceeded):
				deadline.Add(1)
			case errors.Is(err, barrier.ErrBroken):
				brokenErrs.Add(1)
			default:
				t.Errorf("WaitContext: %v, want an error", err)
			}
		})
		// The early parties' contexts end at the same instant of the
		// bubble's clock, but one at a time: the first breaks the barrier,
		// and each other fails with its own error if its context had
		// ended by then, else with ErrBroken. The late party finds the
		// barrier broken.
		require.GreaterOrEqual(t, deadline.Load(), int64(1))
		require.Equal(t, int64(nParties), deadline.Load()+brokenErrs.Load())
		require.True(t, b.Broken())
		require.Equal(t, 0, b.Waiting())
	})
}

// Python: test_default_timeout. Go has no default timeout on the barrier;
// every Wait takes its own context with the same timeout instead.
func TestPythonDefaultTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := barrier.New(nParties, nil)
		wait := func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			_, err := b.WaitContext(ctx)
			return err
		}
		var failed atomic.Int64
		runParties(nParties, func() {
			i, err := b.Wait()
			assert.NoError(t, err)
			if i == nParties/2 {
				time.Sleep(time.Second) // later than the timeout
				assert.ErrorIs(t, wait(), barrier.ErrBroken)
				failed.Add(1)
				return
			}
			if err := wait(); err != nil {
				failed.Add(1)
			}
		})
		require.Equal(t, int64(nParties), failed.Load())
		require.True(t, b.Broken())
	})
}

// Python: test_single_thread.
func TestPythonSingleThread(t *testing.T) {
	b := barrier.New(1, nil)
	for range 2 {
		i, err := b.Wait()
		require.NoError(t, err)
		require.Equal(t, 0, i)
	}
}
