package pool_test

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

func TestGoRunsEveryTaskAndWaitJoinsErrors(t *testing.T) {
	p := pool.New(3)
	var ran atomic.Int64
	errA, errB := errors.New("a"), errors.New("b")
	for i := range 100 {
		require.NoError(t, p.Go(func(context.Context) error {
			ran.Add(1)
			switch i {
			case 10:
				return errA
			case 20:
				return errB
			}
			return nil
		}))
	}
	err := finish(t, p)
	require.EqualValues(t, 100, ran.Load())
	require.ErrorIs(t, err, errA)
	require.ErrorIs(t, err, errB)
	s := p.Stats()
	require.Equal(t, pool.Stats{Completed: 98, Failed: 2}, s)
	require.Equal(t, err, p.Wait(), "Wait again gives the same errors")
}

func TestWaitWithoutErrorsIsNil(t *testing.T) {
	p := pool.New(2)
	require.NoError(t, p.Go(func(context.Context) error { return nil }))
	require.NoError(t, finish(t, p))
}

func TestNeverMoreThanWorkersAtOnce(t *testing.T) {
	const workers = 3
	p := pool.New(workers)
	var now, peak atomic.Int64
	for range 300 {
		require.NoError(t, p.Go(func(context.Context) error {
			n := now.Add(1)
			for {
				old := peak.Load()
				if n <= old || peak.CompareAndSwap(old, n) {
					break
				}
			}
			runtime.Gosched()
			now.Add(-1)
			return nil
		}))
		require.LessOrEqual(t, p.Stats().Workers, workers)
	}
	require.NoError(t, finish(t, p))
	require.LessOrEqual(t, peak.Load(), int64(workers))
}

func TestWorkersStartLazily(t *testing.T) {
	p := pool.New(4)
	require.Zero(t, p.Stats().Workers, "no worker before work")
	b := newBlocker()
	b.occupy(t, p, 2)
	require.Equal(t, 2, p.Stats().Workers, "one worker per task until the limit")
	b.occupy(t, p, 2)
	require.NoError(t, p.Go(b.task))
	s := p.Stats()
	require.Equal(t, 4, s.Workers)
	require.Equal(t, 4, s.Running)
	require.Equal(t, 1, s.Queued)
	b.open()
	require.NoError(t, finish(t, p))
}

func TestDefaultWorkersIsGOMAXPROCS(t *testing.T) {
	p := pool.New(0)
	b := newBlocker()
	n := runtime.GOMAXPROCS(0)
	b.occupy(t, p, n)
	require.NoError(t, p.Go(b.task))
	require.Equal(t, n, p.Stats().Workers)
	require.Equal(t, 1, p.Stats().Queued)
	b.open()
	require.NoError(t, finish(t, p))
}

func TestGoAfterCloseIsErrClosed(t *testing.T) {
	p := pool.New(1)
	p.Close()
	p.Close() // twice is fine
	require.ErrorIs(t, p.Go(func(context.Context) error { return nil }), pool.ErrClosed)
	require.ErrorIs(t, p.TryGo(func(context.Context) error { return nil }), pool.ErrClosed)
	require.ErrorIs(t, p.GoContext(context.Background(), func(context.Context) error { return nil }), pool.ErrClosed)
	require.NoError(t, p.Wait())
	require.Equal(t, pool.Stats{}, p.Stats(), "refused calls submit nothing")
}

func TestCloseLetsQueuedWorkRun(t *testing.T) {
	p := pool.New(1)
	b := newBlocker()
	b.occupy(t, p, 1)
	var ran atomic.Int64
	for range 10 {
		require.NoError(t, p.Go(func(context.Context) error { ran.Add(1); return nil }))
	}
	p.Close()
	b.open()
	require.NoError(t, p.Wait())
	require.EqualValues(t, 10, ran.Load())
	require.NoError(t, finish(t, p))
}

func TestMisusePanics(t *testing.T) {
	p := pool.New(1)
	require.PanicsWithValue(t, "pool: Wait before Close", func() { _ = p.Wait() })
	require.PanicsWithValue(t, "pool: nil task", func() { _ = p.Go(nil) })
	require.PanicsWithValue(t, "pool: negative backlog", func() { pool.WithBacklog(-1) })
	require.PanicsWithValue(t, "pool: window must be at least 1", func() { pool.WithWindow(0) })
	var zero pool.Pool
	for name, f := range map[string]func(){
		"Go":       func() { _ = zero.Go(func(context.Context) error { return nil }) },
		"Close":    zero.Close,
		"Wait":     func() { _ = zero.Wait() },
		"Shutdown": func() { _ = zero.Shutdown(context.Background()) },
		"Stats":    func() { zero.Stats() },
		"Submit":   func() { pool.Submit(&zero, func(context.Context) (int, error) { return 0, nil }) },
		"Map": func() {
			_, _ = pool.Map(context.Background(), &zero, []int{1}, func(context.Context, int) (int, error) { return 0, nil })
		},
		"Stream": func() {
			pool.Stream(context.Background(), &zero, nil, func(context.Context, int) (int, error) { return 0, nil })
		},
	} {
		require.PanicsWithValue(t, "pool: Pool used without New", f, name)
	}
	require.NoError(t, finish(t, p))
}

func TestPanicBecomesPanicErrorAndPoolSurvives(t *testing.T) {
	p := pool.New(1)
	require.NoError(t, p.Go(func(context.Context) error { panic("boom") }))
	var ran atomic.Bool
	require.NoError(t, p.Go(func(context.Context) error { ran.Store(true); return nil }))
	err := finish(t, p)
	require.True(t, ran.Load(), "the pool kept working")
	var pe *pool.PanicError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "boom", pe.Value)
	require.NotEmpty(t, pe.Stack)
	require.Contains(t, string(pe.Stack), "pool_test.TestPanicBecomesPanicErrorAndPoolSurvives")
	require.Contains(t, pe.Error(), "pool: task panicked: boom")
	require.Nil(t, pe.Unwrap())
	require.Equal(t, pool.Stats{Completed: 1, Panicked: 1}, p.Stats())
}

func TestPanicErrorUnwrapsErrorValues(t *testing.T) {
	p := pool.New(1)
	sentinel := errors.New("sentinel")
	require.NoError(t, p.Go(func(context.Context) error { panic(sentinel) }))
	require.NoError(t, p.Go(func(context.Context) error {
		var s []int
		_ = s[3] // a runtime error
		return nil
	}))
	err := finish(t, p)
	require.ErrorIs(t, err, sentinel)
	var re runtime.Error
	require.ErrorAs(t, err, &re)
	require.Equal(t, 2, p.Stats().Panicked)
}

func TestGoexitInTaskIsCountedAndWorkerReplaced(t *testing.T) {
	p := pool.New(1)
	require.NoError(t, p.Go(func(context.Context) error { runtime.Goexit(); return nil }))
	var ran atomic.Bool
	require.NoError(t, p.Go(func(context.Context) error { ran.Store(true); return nil }))
	err := finish(t, p)
	require.True(t, ran.Load())
	var pe *pool.PanicError
	require.ErrorAs(t, err, &pe)
	require.ErrorIs(t, err, pool.ErrGoexit)
	require.Equal(t, pool.Stats{Completed: 1, Panicked: 1}, p.Stats())
}

func TestWithContextIsTheTasksContext(t *testing.T) {
	type key struct{}
	base, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	p := pool.New(1, pool.WithContext(base))
	got := make(chan any, 1)
	require.NoError(t, p.Go(func(ctx context.Context) error { got <- ctx.Value(key{}); return nil }))
	require.Equal(t, "v", testutil.Recv(t, got, "a receive from got"))
	cancel()
	require.NoError(t, p.Go(func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }))
	require.ErrorIs(t, finish(t, p), context.Canceled)
	var nilCtx context.Context
	require.PanicsWithValue(t, "pool: nil Context", func() { pool.WithContext(nilCtx) })
}

func TestInitializerRunsOncePerWorker(t *testing.T) {
	var inits atomic.Int64
	p := pool.New(3, pool.WithInitializer(func(context.Context) error { inits.Add(1); return nil }))
	for range 100 {
		require.NoError(t, p.Go(func(context.Context) error { return nil }))
	}
	require.NoError(t, finish(t, p))
	require.Positive(t, inits.Load())
	require.LessOrEqual(t, inits.Load(), int64(3))
	require.Equal(t, 100, p.Stats().Completed)
}

func TestInitializerRunsBeforeTasksInTheWorker(t *testing.T) {
	initDone := make(chan struct{})
	p := pool.New(1, pool.WithInitializer(func(context.Context) error { close(initDone); return nil }))
	f := pool.Submit(p, func(context.Context) (bool, error) {
		select {
		case <-initDone:
			return true, nil
		default:
			return false, nil
		}
	})
	v, err := f.Result()
	require.NoError(t, err)
	require.True(t, v)
	require.NoError(t, finish(t, p))
}

func TestFailingInitializerBreaksThePool(t *testing.T) {
	for name, init := range map[string]func(context.Context) error{
		"error":  func(context.Context) error { return errors.New("no database") },
		"panic":  func(context.Context) error { panic("no database") },
		"goexit": func(context.Context) error { runtime.Goexit(); return nil },
	} {
		t.Run(name, func(t *testing.T) {
			p := pool.New(1, pool.WithInitializer(init))
			fut := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
			_, err := fut.Result()
			require.ErrorIs(t, err, pool.ErrCancelled, "queued work is dropped")
			require.ErrorIs(t, p.Go(func(context.Context) error { return nil }), pool.ErrClosed)
			err = p.Wait() // the pool closed itself
			require.Error(t, err)
			if name != "goexit" {
				require.Contains(t, err.Error(), "no database")
			}
			require.Equal(t, pool.Stats{Cancelled: 1}, p.Stats())
			require.Error(t, finish(t, p))
		})
	}
}

func TestShutdownWaitsWhenInTime(t *testing.T) {
	p := pool.New(2)
	var ran atomic.Int64
	for range 50 {
		require.NoError(t, p.Go(func(context.Context) error { ran.Add(1); return nil }))
	}
	require.NoError(t, p.Go(func(context.Context) error { return errors.New("x") }))
	err := p.Shutdown(context.Background())
	require.EqualError(t, err, "x")
	require.EqualValues(t, 50, ran.Load())
	// Finished pool: Shutdown succeeds whatever its context.
	done, cancel := context.WithCancel(context.Background())
	cancel()
	require.EqualError(t, p.Shutdown(done), "x")
	require.EqualError(t, finish(t, p), "x")
}

func TestShutdownWithExpiredContextCancelsAndDrops(t *testing.T) {
	p := pool.New(2)
	b := newBlocker()
	b.occupy(t, p, 2) // both block on their context
	var queuedRan atomic.Bool
	require.NoError(t, p.Go(func(context.Context) error { queuedRan.Store(true); return nil }))
	fut := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, p.Shutdown(ctx), context.Canceled)
	require.False(t, queuedRan.Load())
	_, err := fut.Result()
	require.ErrorIs(t, err, pool.ErrCancelled)
	require.Equal(t, pool.Stats{Failed: 2, Cancelled: 2}, p.Stats())
	err = finish(t, p)
	require.ErrorIs(t, err, context.Canceled, "the running tasks saw their context cancelled")
}

func TestShutdownDeadlineWithFakeTime(t *testing.T) {
	synctestRun(t, func(t *testing.T) {
		p := pool.New(1)
		require.NoError(t, p.Go(func(ctx context.Context) error {
			select {
			case <-time.After(time.Hour):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}))
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		require.ErrorIs(t, p.Shutdown(ctx), context.DeadlineExceeded)
		require.Equal(t, time.Second, time.Since(start))
		require.ErrorIs(t, p.Wait(), context.Canceled)
	})
}

func TestStatsAfterMixedWorkload(t *testing.T) {
	p := pool.New(1)
	b := newBlocker()
	b.occupy(t, p, 1)
	require.NoError(t, p.Go(func(context.Context) error { return nil }))
	require.NoError(t, p.Go(func(context.Context) error { return errors.New("e") }))
	require.NoError(t, p.Go(func(context.Context) error { panic("p") }))
	f1 := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
	f2 := pool.Submit(p, func(context.Context) (int, error) { return 2, nil })
	require.Equal(t, pool.Stats{Workers: 1, Running: 1, Queued: 5}, p.Stats())
	require.True(t, f2.Cancel())
	require.Equal(t, pool.Stats{Workers: 1, Running: 1, Queued: 4, Cancelled: 1}, p.Stats())
	b.open()
	_, err := f1.Result()
	require.NoError(t, err)
	s := p.Stats()
	require.Equal(t, 6, sum(s))
	require.Error(t, finish(t, p))
	require.Equal(t, pool.Stats{Completed: 3, Failed: 1, Panicked: 1, Cancelled: 1}, p.Stats())
}
