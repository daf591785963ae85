package pool_test

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

func double(_ context.Context, x int) (int, error) { return 2 * x, nil }

func ints(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestMapKeepsInputOrder(t *testing.T) {
	p := pool.New(4)
	out, err := pool.Map(context.Background(), p, ints(1000), func(_ context.Context, x int) (int, error) {
		for range x % 7 { // uneven durations
			runtime.Gosched()
		}
		return 2 * x, nil
	})
	require.NoError(t, err)
	require.Len(t, out, 1000)
	for i, v := range out {
		require.Equal(t, 2*i, v)
	}
	require.NoError(t, finish(t, p))
	require.Equal(t, 1000, p.Stats().Completed)
}

func TestMapEmptyInput(t *testing.T) {
	p := pool.New(1)
	out, err := pool.Map(context.Background(), p, nil, double)
	require.NoError(t, err)
	require.NotNil(t, out)
	require.Empty(t, out)
	require.NoError(t, finish(t, p))
}

func TestMapFirstErrorCancelsTheRest(t *testing.T) {
	p := pool.New(2)
	boom := errors.New("boom")
	var started atomic.Int64
	out, err := pool.Map(context.Background(), p, ints(100), func(ctx context.Context, x int) (int, error) {
		started.Add(1)
		if x == 0 {
			return 0, boom
		}
		<-ctx.Done() // the rest waits for the cancellation
		return 0, ctx.Err()
	})
	require.ErrorIs(t, err, boom)
	require.Nil(t, out)
	s := p.Stats()
	require.Zero(t, s.Running+s.Queued, "Map returned after all its tasks ended")
	require.Equal(t, 100, sum(s))
	require.EqualValues(t, 100-s.Cancelled, started.Load(), "dropped items never ran")
	require.Positive(t, s.Cancelled)
	require.NoError(t, finish(t, p))
}

func TestMapPanicIsPanicError(t *testing.T) {
	p := pool.New(2)
	_, err := pool.Map(context.Background(), p, ints(10), func(_ context.Context, x int) (int, error) {
		if x == 3 {
			panic("three")
		}
		return x, nil
	})
	var pe *pool.PanicError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "three", pe.Value)
	out, err := pool.Map(context.Background(), p, ints(10), double)
	require.NoError(t, err, "the pool keeps working")
	require.Equal(t, 18, out[9])
	require.NoError(t, finish(t, p))
}

func TestMapContext(t *testing.T) {
	type key struct{}
	p := pool.New(2)
	done, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := pool.Map(done, p, ints(3), double)
	require.ErrorIs(t, err, context.Canceled, "a done ctx fails at once")
	require.Equal(t, pool.Stats{}, p.Stats())

	ctx := context.WithValue(context.Background(), key{}, "v")
	out, err := pool.Map(ctx, p, ints(3), func(ctx context.Context, _ int) (string, error) {
		v, _ := ctx.Value(key{}).(string)
		return v, nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{"v", "v", "v"}, out, "tasks' contexts derive from the call's")

	ctx, cancel = context.WithCancel(context.Background())
	var started atomic.Int64
	errc := make(chan error)
	go func() {
		_, err := pool.Map(ctx, p, ints(50), func(ctx context.Context, _ int) (int, error) {
			started.Add(1)
			<-ctx.Done()
			return 0, errors.New("stopped")
		})
		errc <- err
	}()
	testutil.WaitUntil(t, "started.Load() == 2", func() bool { return started.Load() == 2 })
	cancel()
	require.ErrorIs(t, testutil.Recv(t, errc, "a receive from errc"), context.Canceled)
	s := p.Stats()
	require.Zero(t, s.Running+s.Queued)
	require.Equal(t, 48, s.Cancelled)
	require.NoError(t, finish(t, p))
}

func TestMapOnClosedPool(t *testing.T) {
	p := pool.New(1)
	p.Close()
	_, err := pool.Map(context.Background(), p, ints(3), double)
	require.ErrorIs(t, err, pool.ErrClosed)
	require.NoError(t, finish(t, p))
}

func TestMapSeesPoolShutdown(t *testing.T) {
	p := pool.New(2)
	started := make(chan struct{}, 10)
	errc := make(chan error)
	go func() {
		_, err := pool.Map(context.Background(), p, ints(10), func(ctx context.Context, _ int) (int, error) {
			started <- struct{}{}
			<-ctx.Done()
			return 0, ctx.Err()
		})
		errc <- err
	}()
	testutil.Recv(t, started, "a receive from started")
	testutil.Recv(t, started, "a receive from started")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, p.Shutdown(ctx), context.Canceled)
	require.ErrorIs(t, testutil.Recv(t, errc, "a receive from errc"), pool.ErrCancelled, "its queued items were dropped")
	require.Equal(t, pool.Stats{Failed: 2, Cancelled: 8}, p.Stats())
	require.NoError(t, finish(t, p))
}

func TestMapFromTaskWithBoundedBacklog(t *testing.T) {
	p := pool.New(2, pool.WithBacklog(1))
	f := pool.Submit(p, func(ctx context.Context) ([]int, error) {
		return pool.Map(ctx, p, ints(20), double)
	})
	out, err := f.Result()
	require.NoError(t, err)
	require.Equal(t, 38, out[19])
	require.NoError(t, finish(t, p))
}

func TestMapWaitsForRoomInBoundedBacklog(t *testing.T) {
	p := pool.New(2, pool.WithBacklog(3))
	out, err := pool.Map(context.Background(), p, ints(500), double)
	require.NoError(t, err)
	require.Equal(t, 998, out[499])
	require.NoError(t, finish(t, p))
	require.Equal(t, 500, p.Stats().Completed)
}

func TestMapTakesOneBacklogEntry(t *testing.T) {
	p := pool.New(1)
	b := newBlocker()
	b.occupy(t, p, 1)
	require.NoError(t, p.Go(nop))
	errc := make(chan error)
	go func() {
		out, err := pool.Map(context.Background(), p, ints(1000), double)
		if err == nil && out[999] != 1998 {
			err = errors.New("wrong result")
		}
		errc <- err
	}()
	testutil.WaitUntil(t, "p.Stats().Queued == 1001", func() bool { return p.Stats().Queued == 1001 })
	require.Equal(t, 2, pool.BacklogEntries(p), "one for the Go task, one for the whole Map")
	require.NoError(t, p.Go(nop))
	require.Equal(t, 3, pool.BacklogEntries(p))
	b.open()
	require.NoError(t, testutil.Recv(t, errc, "a receive from errc"))
	require.NoError(t, finish(t, p))
	require.Equal(t, pool.Stats{Completed: 1003}, p.Stats())
}

func TestMapFailingWhileWaitingForRoom(t *testing.T) {
	for _, backlog := range []int{0, 1, 3} {
		p := pool.New(1, pool.WithBacklog(backlog))
		boom := errors.New("boom")
		var started atomic.Int64
		_, err := pool.Map(context.Background(), p, ints(100), func(_ context.Context, x int) (int, error) {
			started.Add(1)
			if x == 2 {
				return 0, boom
			}
			return x, nil
		})
		require.ErrorIs(t, err, boom)
		s := p.Stats()
		require.Zero(t, s.Queued+s.Running, "backlog %d: %+v", backlog, s)
		require.EqualValues(t, started.Load(), s.Completed+s.Failed)
		require.Equal(t, 1, s.Failed)
		require.NoError(t, finish(t, p))
	}
}
