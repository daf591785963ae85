package pool_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

// Nothing of a finished task (its closure, its future, its result) stays
// reachable from a pool whose workers are idle, once the caller drops it
// (CPython's test_no_stale_references).
func TestFinishedTaskNotReachableFromIdleWorkers(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint(workers, " workers"), func(t *testing.T) {
			p := pool.New(workers)
			var freed atomic.Int32
			runOneTaskPerWorker(t, p, workers, &freed)
			want := int32(4 * workers) // closure, future, result, Go closure
			testutil.WaitUntil(t, "every finished task is collected", func() bool {
				runtime.GC()
				return freed.Load() == want
			})
			require.Equal(t, workers, p.Stats().Workers, "the workers are still there, idle")
			require.NoError(t, finish(t, p))
		})
	}
}

type payload [64]byte

// runOneTaskPerWorker runs a future and a Go task on each worker of p, all
// at once so that every worker runs one, and registers cleanups that count
// in freed what becomes unreachable. It keeps no reference.
func runOneTaskPerWorker(t *testing.T, p *pool.Pool, workers int, freed *atomic.Int32) {
	count := func(int) { freed.Add(1) }
	var started sync.WaitGroup
	started.Add(workers)
	futs := make([]*pool.Future[*payload], workers)
	for i := range futs {
		captured := new(payload)
		runtime.AddCleanup(captured, count, 0)
		futs[i] = pool.Submit(p, func(context.Context) (*payload, error) {
			started.Done()
			started.Wait() // one task per worker
			res := new(payload)
			res[0] = captured[0]
			runtime.AddCleanup(res, count, 0)
			return res, nil
		})
		runtime.AddCleanup(futs[i], count, 0)
	}
	for _, f := range futs {
		_, err := f.Result()
		require.NoError(t, err)
	}
	var ran sync.WaitGroup
	ran.Add(workers)
	for range workers {
		captured := new(payload)
		runtime.AddCleanup(captured, count, 0)
		require.NoError(t, p.Go(func(context.Context) error {
			captured[0]++
			ran.Done()
			return nil
		}))
	}
	ran.Wait()
	testutil.WaitEqual(t, "the workers are idle", func() int { return p.Stats().Running }, 0)
}

// With a bounded backlog, cancelled submissions leave it (or count toward
// its bound): memory stays bounded by the bound, not by the cancelled work.
func TestCancelledSubmissionsKeepTheBacklogBounded(t *testing.T) {
	const bound, n = 10, 300_000
	p := pool.New(1, pool.WithBacklog(bound))
	b := newBlocker()
	b.occupy(t, p, 1)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	full := 0
	for i := range n {
		var big [256]byte
		big[0] = byte(i)
		f, err := pool.TrySubmit(p, func(context.Context) (int, error) { return int(big[0]), nil })
		if err != nil {
			require.ErrorIs(t, err, pool.ErrFull)
			full++
			continue
		}
		require.True(t, f.Cancel())
	}
	grown := int64(heap()) - int64(before)
	t.Logf("heap growth over %d cancelled submissions on a backlog of %d: %d KiB; %d refused ErrFull; %d entries",
		n, bound, grown/1024, full, pool.BacklogEntries(p))
	require.Less(t, grown, int64(4<<20), "memory follows the bound, not the cancelled work")
	require.LessOrEqual(t, pool.BacklogEntries(p), 2*bound+64)
	s := p.Stats()
	require.Equal(t, 0, s.Queued)
	require.Equal(t, n-full, s.Cancelled)
	b.open()
	require.NoError(t, finish(t, p))
}

// Ending a future costs in proportion to its own waiters, not to every
// goroutine waiting on the pool's futures: with one waiter per future,
// completing them all in reverse order takes linear time. The check is a
// generous ratio of the best time per waiter at n and 8n waiters: a scan
// of every waiter at each end makes it about 10, while linear work stays
// under 3 (cache misses and the scheduler grow a little with 8n parked
// goroutines). The benchmarks module measures it precisely.
func TestResultWaitersLinear(t *testing.T) {
	small := 5_000
	if raceEnabled {
		small = 800 // the race detector limits live goroutines
	}
	per := func(n int) time.Duration {
		best := time.Duration(1 << 62)
		for range 3 {
			best = min(best, reverseCompletion(t, n)/time.Duration(n))
		}
		return best
	}
	a, b := per(small), per(8*small)
	t.Logf("per waiter: %v at %d waiters, %v at %d", a, small, b, 8*small)
	require.Less(t, float64(b)/float64(a), 5.0, "ending futures is linear in their waiters")
}

// reverseCompletion parks one goroutine in Result on each of n queued
// futures, then ends the futures (Cancel) last first, and returns how long
// ending them took.
func reverseCompletion(t *testing.T, n int) time.Duration {
	p := pool.New(1)
	bl := newBlocker()
	bl.occupy(t, p, 1)
	futs := make([]*pool.Future[int], n)
	for i := range futs {
		futs[i] = pool.Submit(p, func(context.Context) (int, error) { return i, nil })
	}
	var wg sync.WaitGroup
	for _, f := range futs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = f.Result()
		}()
	}
	waitParked(t, futs)
	start := time.Now()
	for _, f := range slices.Backward(futs) {
		f.Cancel()
	}
	elapsed := time.Since(start)
	wg.Wait()
	bl.open()
	p.Close()
	require.NoError(t, p.Wait())
	return elapsed
}
