package pool_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

func nop(context.Context) error { return nil }

func TestBoundedBacklogTryGoIsErrFull(t *testing.T) {
	p := pool.New(1, pool.WithBacklog(2))
	b := newBlocker()
	b.occupy(t, p, 1)
	require.NoError(t, p.TryGo(nop))
	require.NoError(t, p.TryGo(nop))
	require.ErrorIs(t, p.TryGo(nop), pool.ErrFull)
	f, err := pool.TrySubmit(p, func(context.Context) (int, error) { return 0, nil })
	require.ErrorIs(t, err, pool.ErrFull)
	require.Nil(t, f)
	require.Equal(t, pool.Stats{Workers: 1, Running: 1, Queued: 2}, p.Stats(), "refused calls change nothing")
	b.open()
	require.NoError(t, finish(t, p))
}

func TestBoundedBacklogGoBlocksUntilRoom(t *testing.T) {
	p := pool.New(1, pool.WithBacklog(1))
	b := newBlocker()
	b.occupy(t, p, 1)
	require.NoError(t, p.Go(nop))
	var order []int
	results := make(chan int, 2)
	for i := range 2 {
		go func() {
			require.NoError(t, p.Go(func(context.Context) error { results <- i; return nil }))
		}()
		testutil.WaitUntil(t, "blockedSubmitters(p) == i+1", func() bool { return blockedSubmitters(p) == i+1 })
	}
	require.ErrorIs(t, p.TryGo(nop), pool.ErrFull, "no barging past blocked submitters")
	require.Equal(t, 1, p.Stats().Queued)
	b.open()
	order = append(order, testutil.Recv(t, results, "a receive from results"), testutil.Recv(t, results, "a receive from results"))
	require.Equal(t, []int{0, 1}, order, "blocked submitters are served FIFO")
	require.NoError(t, finish(t, p))
	require.Equal(t, 4, p.Stats().Completed)
}

func TestNoBacklogHandsStraightToAWorker(t *testing.T) {
	p := pool.New(1, pool.WithBacklog(0))
	b := newBlocker()
	b.occupy(t, p, 1)
	require.ErrorIs(t, p.TryGo(nop), pool.ErrFull)
	var ran atomic.Bool
	done := make(chan error)
	go func() { done <- p.Go(func(context.Context) error { ran.Store(true); return nil }) }()
	testutil.WaitUntil(t, "blockedSubmitters(p) == 1", func() bool { return blockedSubmitters(p) == 1 })
	require.Zero(t, p.Stats().Queued)
	b.open()
	require.NoError(t, testutil.Recv(t, done, "a receive from done")) // a worker took it
	// Once a worker is idle, TryGo hands it the task.
	testutil.WaitUntil(t, "p.Stats().Running == 0", func() bool { return p.Stats().Running == 0 })
	require.True(t, ran.Load())
	require.NoError(t, p.TryGo(nop))
	require.NoError(t, finish(t, p))
}

func TestGoContextGivesUpAndChangesNothing(t *testing.T) {
	p := pool.New(1, pool.WithBacklog(1))
	b := newBlocker()
	b.occupy(t, p, 1)
	require.NoError(t, p.Go(nop))
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() { errc <- p.GoContext(ctx, func(context.Context) error { panic("must not run") }) }()
	testutil.WaitUntil(t, "blockedSubmitters(p) == 1", func() bool { return blockedSubmitters(p) == 1 })
	cancel()
	require.ErrorIs(t, testutil.Recv(t, errc, "a receive from errc"), context.Canceled)
	require.ErrorIs(t, p.GoContext(ctx, nop), context.Canceled, "done ctx fails even with room")
	f, err := pool.SubmitContext(ctx, p, func(context.Context) (int, error) { return 0, nil })
	require.ErrorIs(t, err, context.Canceled)
	require.Nil(t, f)
	require.Equal(t, 0, blockedSubmitters(p))
	require.Equal(t, 1, p.Stats().Queued)
	b.open()
	require.NoError(t, finish(t, p))
	require.Equal(t, pool.Stats{Completed: 2}, p.Stats())
}

func TestCloseRefusesBlockedSubmitters(t *testing.T) {
	p := pool.New(1, pool.WithBacklog(0))
	b := newBlocker()
	b.occupy(t, p, 1)
	errc := make(chan error)
	go func() { errc <- p.Go(nop) }()
	go func() {
		f := pool.Submit(p, func(context.Context) (int, error) { return 0, nil })
		_, err := f.Result()
		errc <- err
	}()
	testutil.WaitUntil(t, "blockedSubmitters(p) == 2", func() bool { return blockedSubmitters(p) == 2 })
	p.Close()
	require.ErrorIs(t, testutil.Recv(t, errc, "a receive from errc"), pool.ErrClosed)
	require.ErrorIs(t, testutil.Recv(t, errc, "a receive from errc"), pool.ErrClosed)
	b.open()
	require.NoError(t, finish(t, p))
	require.Equal(t, pool.Stats{Completed: 1}, p.Stats())
}

func TestCancelMakesRoomForBlockedSubmitter(t *testing.T) {
	p := pool.New(1, pool.WithBacklog(1))
	b := newBlocker()
	b.occupy(t, p, 1)
	f := pool.Submit(p, func(context.Context) (int, error) { return 0, nil })
	errc := make(chan error)
	go func() { errc <- p.Go(nop) }()
	testutil.WaitUntil(t, "blockedSubmitters(p) == 1", func() bool { return blockedSubmitters(p) == 1 })
	require.True(t, f.Cancel())
	require.NoError(t, testutil.Recv(t, errc, "a receive from errc"))
	require.Equal(t, 1, p.Stats().Queued)
	b.open()
	require.NoError(t, finish(t, p))
	require.Equal(t, pool.Stats{Completed: 2, Cancelled: 1}, p.Stats())
}
