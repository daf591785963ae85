package pool_test

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

func workers(p *pool.Pool) func() int { return func() int { return p.Stats().Workers } }

func TestResizeGrowStartsWorkersForQueuedWork(t *testing.T) {
	p := pool.New(1)
	b := newBlocker()
	b.occupy(t, p, 1)
	for range 3 {
		require.NoError(t, p.Go(b.task))
	}
	require.Equal(t, 3, p.Stats().Queued)
	p.Resize(4)
	for range 3 {
		testutil.Recv(t, b.started, "a queued task to start on a new worker")
	}
	require.Equal(t, pool.Stats{Workers: 4, Running: 4}, p.Stats())
	p.Resize(8)
	require.Equal(t, 4, p.Stats().Workers, "no queued work: no new worker yet")
	b.open()
	require.NoError(t, finish(t, p))
	require.Equal(t, 4, p.Stats().Completed)
}

func TestResizeShrinkLetsRunningTasksFinish(t *testing.T) {
	p := pool.New(4)
	b := newBlocker()
	b.occupy(t, p, 4)
	var ran atomic.Int32
	for range 20 {
		require.NoError(t, p.Go(func(context.Context) error { ran.Add(1); return nil }))
	}
	p.Resize(1)
	require.Equal(t, 4, p.Stats().Running, "no running task is interrupted")
	b.open()
	testutil.WaitEqual(t, "the surplus workers exit", workers(p), 1)
	testutil.WaitEqual(t, "the queued work runs on the one left", func() int32 { return ran.Load() }, 20)
	s := p.Stats()
	require.Equal(t, 24, s.Completed)
	require.Equal(t, 24, sum(s))
	require.NoError(t, finish(t, p))
}

func TestResizeShrinkIdleWorkers(t *testing.T) {
	p := pool.New(4)
	b := newBlocker()
	b.occupy(t, p, 4)
	b.open()
	testutil.WaitEqual(t, "the workers are idle", func() int { return p.Stats().Running }, 0)
	require.Equal(t, 4, p.Stats().Workers)
	p.Resize(2)
	testutil.WaitEqual(t, "idle surplus workers exit", workers(p), 2)
	p.Resize(-1)
	require.NoError(t, p.Go(nop))
	require.NoError(t, finish(t, p))
}

func TestResizeDefaultAndAfterClose(t *testing.T) {
	p := pool.New(1)
	p.Resize(0)
	b := newBlocker()
	n := runtime.GOMAXPROCS(0)
	b.occupy(t, p, n)
	require.Equal(t, n, p.Stats().Workers, "0 means GOMAXPROCS")
	b.open()
	p.Close()
	p.Resize(n + 5)
	require.NoError(t, p.Wait())
	require.Zero(t, p.Stats().Workers, "Resize after Close changes nothing")
	require.ErrorIs(t, p.Go(nop), pool.ErrClosed)
	require.NoError(t, finish(t, p))
}

// Submitters and cancellers hammer a bounded pool while it is resized: every task
// ends in exactly one of the final counters, and none is lost or run twice.
func TestResizeUnderLoad(t *testing.T) {
	p := pool.New(2, pool.WithBacklog(8))
	var submitted, ran, cancelled atomic.Int64
	stopSubmit := testutil.Hammer(2, func() {
		f, err := pool.TrySubmit(p, func(context.Context) (int, error) { ran.Add(1); return 0, nil })
		if err != nil {
			return
		}
		submitted.Add(1)
		if submitted.Load()%3 == 0 && f.Cancel() {
			cancelled.Add(1)
		}
		if err := p.GoContext(context.Background(), func(context.Context) error { ran.Add(1); return nil }); err == nil {
			submitted.Add(1)
		}
	})
	// The test goroutine resizes, each time once more work went through.
	for round := range 200 {
		p.Resize(round%5 + 1)
		target := ran.Load() + 50
		testutil.WaitUntil(t, "work goes through while resizing", func() bool {
			s := p.Stats()
			if s.Running > s.Workers {
				t.Errorf("running %d > workers %d", s.Running, s.Workers)
			}
			return ran.Load() >= target
		})
	}
	stopSubmit()
	p.Resize(3)
	require.NoError(t, finish(t, p))
	s := p.Stats()
	require.Equal(t, int(submitted.Load()), sum(s))
	require.Equal(t, int(ran.Load()), s.Completed)
	require.Equal(t, int(cancelled.Load()), s.Cancelled)
	require.Zero(t, s.Failed+s.Panicked+s.Queued+s.Running)
}
