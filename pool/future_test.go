package pool_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

func TestSubmitResult(t *testing.T) {
	p := pool.New(2)
	boom := errors.New("boom")
	ok := pool.Submit(p, func(context.Context) (string, error) { return "v", nil })
	bad := pool.Submit(p, func(context.Context) (string, error) { return "partial", boom })
	v, err := ok.Result()
	require.NoError(t, err)
	require.Equal(t, "v", v)
	v, err = bad.Result()
	require.ErrorIs(t, err, boom)
	require.Equal(t, "partial", v)
	require.NoError(t, finish(t, p), "futures' errors are not Wait's")
	require.Equal(t, 1, p.Stats().Failed)
}

func TestFuturePanic(t *testing.T) {
	p := pool.New(1)
	f := pool.Submit(p, func(context.Context) (int, error) { panic(42) })
	_, err := f.Result()
	var pe *pool.PanicError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, 42, pe.Value)
	require.NotEmpty(t, pe.Stack)
	g := pool.Submit(p, func(context.Context) (int, error) { return 7, nil })
	v, err := g.Result()
	require.NoError(t, err)
	require.Equal(t, 7, v)
	require.NoError(t, finish(t, p))
	require.Equal(t, pool.Stats{Completed: 1, Panicked: 1}, p.Stats())
}

func TestCancelBeforeStart(t *testing.T) {
	p := pool.New(1)
	b := newBlocker()
	b.occupy(t, p, 1)
	ran := false
	f := pool.Submit(p, func(context.Context) (int, error) { ran = true; return 1, nil })
	require.True(t, f.Cancel())
	require.False(t, f.Cancel(), "second cancel")
	_, err := f.Result()
	require.ErrorIs(t, err, pool.ErrCancelled)
	testutil.Recv(t, f.Done(), "a receive from f.Done()")
	b.open()
	require.NoError(t, finish(t, p))
	require.False(t, ran)
	require.Equal(t, pool.Stats{Completed: 1, Cancelled: 1}, p.Stats())
}

func TestCancelAfterStartDoesNothing(t *testing.T) {
	p := pool.New(1)
	started, release := make(chan struct{}), make(chan struct{})
	f := pool.Submit(p, func(ctx context.Context) (int, error) {
		close(started)
		<-release
		return 5, ctx.Err()
	})
	<-started
	require.False(t, f.Cancel())
	close(release)
	v, err := f.Result()
	require.NoError(t, err, "the running task's context is not cancelled")
	require.Equal(t, 5, v)
	require.False(t, f.Cancel(), "after the end")
	require.NoError(t, finish(t, p))
}

func TestResultContext(t *testing.T) {
	p := pool.New(1)
	release := make(chan struct{})
	f := pool.Submit(p, func(context.Context) (int, error) { <-release; return 3, nil })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.ResultContext(ctx)
	require.ErrorIs(t, err, context.Canceled, "pending future, done ctx")

	waiting := make(chan error)
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { _, err := f.ResultContext(ctx2); waiting <- err }()
	cancel2()
	require.ErrorIs(t, testutil.Recv(t, waiting, "a receive from waiting"), context.Canceled)

	close(release)
	v, err := f.Result()
	require.NoError(t, err)
	require.Equal(t, 3, v)
	v, err = f.ResultContext(ctx)
	require.NoError(t, err, "a finished future succeeds whatever ctx")
	require.Equal(t, 3, v)
	require.NoError(t, finish(t, p))
}

func TestManyWaitersOnManyFutures(t *testing.T) {
	p := pool.New(2)
	b := newBlocker()
	b.occupy(t, p, 2)
	futs := make([]*pool.Future[int], 20)
	for i := range futs {
		futs[i] = pool.Submit(p, func(context.Context) (int, error) { return i, nil })
	}
	got := make(chan [2]int, 3*len(futs))
	for range 3 {
		for i, f := range futs {
			go func() { v, _ := f.Result(); got <- [2]int{i, v} }()
		}
	}
	b.open()
	for range 3 * len(futs) {
		r := testutil.Recv(t, got, "a receive from got")
		require.Equal(t, r[0], r[1])
	}
	require.NoError(t, finish(t, p))
}

func TestDoneChannel(t *testing.T) {
	p := pool.New(1)
	release := make(chan struct{})
	f := pool.Submit(p, func(context.Context) (int, error) { <-release; return 1, nil })
	d := f.Done()
	require.Equal(t, d, f.Done(), "one channel")
	testutil.NotReady(t, d, "Done before the task ends")
	require.True(t, pool.HasDoneChannel(f))
	close(release)
	testutil.Recv(t, d, "a receive from d")
	testutil.Recv(t, f.Done(), "a receive from f.Done()")
	require.False(t, pool.HasDoneChannel(f), "the channel is forgotten at the end")
	g := pool.Submit(p, func(context.Context) (int, error) { return 2, nil })
	testutil.Recv(t, g.Done(), "a receive from g.Done()")
	require.False(t, pool.HasDoneChannel(g))
	require.NoError(t, finish(t, p))
}

func TestSubmitAfterClose(t *testing.T) {
	p := pool.New(1)
	p.Close()
	f := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
	_, err := f.Result()
	require.ErrorIs(t, err, pool.ErrClosed)
	require.False(t, f.Cancel())
	testutil.Recv(t, f.Done(), "a receive from f.Done()")
	f2, err := pool.TrySubmit(p, func(context.Context) (int, error) { return 1, nil })
	require.ErrorIs(t, err, pool.ErrClosed)
	_, err = f2.Result()
	require.ErrorIs(t, err, pool.ErrClosed)
	f3, err := pool.SubmitContext(context.Background(), p, func(context.Context) (int, error) { return 1, nil })
	require.ErrorIs(t, err, pool.ErrClosed)
	_, err = f3.Result()
	require.ErrorIs(t, err, pool.ErrClosed)
	require.NoError(t, finish(t, p))
	require.Equal(t, pool.Stats{}, p.Stats())
}

func TestSubmitFromTaskDoesNotDeadlock(t *testing.T) {
	for name, opts := range map[string][]pool.Option{
		"unbounded":  nil,
		"backlog 1":  {pool.WithBacklog(1)},
		"no backlog": {pool.WithBacklog(0)},
	} {
		t.Run(name, func(t *testing.T) {
			p := pool.New(1, opts...)
			outer := pool.Submit(p, func(context.Context) (int, error) {
				// The only worker is busy here: the inner tasks must queue
				// (over the bound) rather than wait for room.
				var futs []*pool.Future[int]
				for i := range 5 {
					futs = append(futs, pool.Submit(p, func(context.Context) (int, error) { return i, nil }))
				}
				if err := p.Go(func(context.Context) error { return nil }); err != nil {
					return 0, err
				}
				return len(futs), nil
			})
			v, err := outer.Result()
			require.NoError(t, err)
			require.Equal(t, 5, v)
			require.NoError(t, finish(t, p))
			require.Equal(t, 7, p.Stats().Completed)
		})
	}
}

func TestZeroFuturePanics(t *testing.T) {
	var f pool.Future[int]
	const msg = "pool: Future used without Submit"
	require.PanicsWithValue(t, msg, func() { _, _ = f.Result() })
	require.PanicsWithValue(t, msg, func() { _, _ = f.ResultContext(context.Background()) })
	require.PanicsWithValue(t, msg, func() { f.Done() })
	require.PanicsWithValue(t, msg, func() { f.Cancel() })
}
