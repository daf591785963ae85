package semaphore_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/semaphore"
)

// Stress: goroutines take weighted permits with the blocking, context and
// try forms, some with contexts that end soon; never more than the size are
// held at once, and at the end every permit is back.
func TestStressNeverMoreThanSize(t *testing.T) {
	const size, workers, loops = 5, 8, 400
	s := semaphore.NewBounded(size)
	var held, maxHeld atomic.Int64
	var ok, failed atomic.Int64
	hold := func(w int) {
		now := held.Add(int64(w))
		if now > size {
			t.Errorf("%d permits held, more than %d", now, size)
		}
		for m := maxHeld.Load(); now > m && !maxHeld.CompareAndSwap(m, now); m = maxHeld.Load() {
		}
		held.Add(-int64(w))
		s.ReleaseN(w)
		ok.Add(1)
	}
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range loops {
				w := 1 + (g+i)%3
				switch i % 4 {
				case 0:
					if w == 1 {
						s.Acquire()
					} else if err := s.AcquireN(context.Background(), w); err != nil {
						t.Errorf("AcquireN: %v", err)
						return
					}
					hold(w)
				case 1:
					if s.TryAcquireN(w) {
						hold(w)
					} else {
						failed.Add(1)
					}
				default:
					ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i%7)*time.Microsecond)
					err := s.AcquireN(ctx, w)
					cancel()
					if err == nil {
						hold(w)
					} else {
						require.ErrorIs(t, err, context.DeadlineExceeded)
						failed.Add(1)
					}
				}
			}
		}()
	}
	wg.Wait()
	require.Equal(t, int64(workers*loops), ok.Load()+failed.Load())
	require.Positive(t, ok.Load())
	require.LessOrEqual(t, maxHeld.Load(), int64(size))
	require.Equal(t, size, s.Value(), "every permit is back")
	require.False(t, s.Queued())
	require.Zero(t, s.Waiters())
}

// A semaphore of one permit is a mutex: the race detector checks that a
// Release synchronizes before the Acquire that takes its permit, along every
// path (fast, handed over, weighted).
func TestReleaseHappensBeforeAcquire(t *testing.T) {
	s := semaphore.New(1)
	counter := 0 // guarded by s, nothing else
	var wg sync.WaitGroup
	const workers, loops = 4, 500
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range loops {
				switch (g + i) % 3 {
				case 0:
					s.Acquire()
				case 1:
					for !s.TryAcquire() {
						if err := s.AcquireContext(context.Background()); err == nil {
							break
						}
					}
				case 2:
					require.NoError(t, s.AcquireN(context.Background(), 1))
				}
				counter++
				s.Release()
			}
		}()
	}
	wg.Wait()
	require.Equal(t, workers*loops, counter)
	require.Equal(t, 1, s.Value())
}

// Cancellation racing a release, thousands of times: the waiter either
// returns nil holding its permits or ctx.Err() without them; either way,
// after it gives back what it holds, all the released permits are there and
// nobody is queued.
func TestCancelRacingReleaseLosesNothing(t *testing.T) {
	s := semaphore.New(0)
	var won, lost int
	for i := range 3000 {
		n := 1 + i%3
		ctx, cancel := context.WithCancel(context.Background())
		out := queue(t, s, ctx, n)
		if i%2 == 0 {
			go cancel()
			s.ReleaseN(n)
		} else {
			go s.ReleaseN(n)
			cancel()
		}
		if err := testutil.Recv(t, out, "the racing waiter"); err == nil {
			won++
			s.ReleaseN(n)
		} else {
			require.ErrorIs(t, err, context.Canceled)
			lost++
		}
		testutil.WaitEqual(t, "the release is done", s.Value, n)
		require.False(t, s.Queued())
		require.True(t, s.TryAcquireN(n), "the permits are all there")
		cancel()
	}
	t.Logf("grant won %d times, cancellation %d times", won, lost)
}

// Several waiters of different weights, a random subset cancelled while
// enough permits for all are released: every waiter that was not cancelled
// is served (a cancelled head must not block them), and the permits add up.
func TestCancelRacingGrantsManyWaiters(t *testing.T) {
	s := semaphore.New(0)
	weights := []int{2, 1, 3, 1}
	total := 0
	for _, w := range weights {
		total += w
	}
	for i := range 1000 {
		cancels := make([]context.CancelFunc, len(weights))
		outs := make([]<-chan error, len(weights))
		for j, w := range weights {
			ctx, cancel := context.WithCancel(context.Background())
			cancels[j] = cancel
			outs[j] = queue(t, s, ctx, w)
		}
		mask := i % (1 << len(weights))
		go func() {
			for j := range weights {
				if mask&(1<<j) != 0 {
					cancels[j]()
				}
			}
		}()
		if i%2 == 0 {
			s.ReleaseN(total)
		} else {
			for range total {
				s.Release()
			}
		}
		held := 0
		for j, w := range weights {
			err := testutil.Recv(t, outs[j], "a waiter")
			if err == nil {
				held += w
				continue
			}
			require.ErrorIs(t, err, context.Canceled)
			require.NotZero(t, mask&(1<<j), "waiter %d failed without being cancelled", j)
		}
		require.Equal(t, total, held+s.Value(), "permits lost or made up")
		require.False(t, s.Queued())
		s.ReleaseN(held)
		require.True(t, s.TryAcquireN(total))
		for _, c := range cancels {
			c()
		}
	}
}
