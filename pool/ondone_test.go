package pool_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

func TestOnDoneOrderAfterDone(t *testing.T) {
	p := pool.New(1)
	f, open := gate(p)
	var mu sync.Mutex
	var got []string
	record := func(name string) func(*pool.Future[int]) {
		return func(f *pool.Future[int]) {
			testutil.Recv(t, f.Done(), "Done closed before the callback")
			v, err := f.Result()
			require.NoError(t, err)
			require.Equal(t, 1, v)
			mu.Lock()
			got = append(got, name)
			mu.Unlock()
		}
	}
	f.OnDone(record("a"))
	f.OnDone(record("b"))
	f.OnDone(record("c"))
	open()
	require.NoError(t, finish(t, p))
	require.Equal(t, []string{"a", "b", "c"}, got, "in the order added, before Wait returns")

	ran := false
	f.OnDone(func(*pool.Future[int]) { ran = true })
	require.True(t, ran, "an ended future calls at once, in the caller")
}

func TestOnDoneMayUseThePool(t *testing.T) {
	p := pool.New(1)
	f, open := gate(p)
	inner := make(chan *pool.Future[int], 1)
	f.OnDone(func(*pool.Future[int]) {
		_ = p.Stats()
		require.NoError(t, p.Go(nop))
		inner <- pool.Submit(p, func(context.Context) (int, error) { return 7, nil })
	})
	open()
	g := testutil.Recv(t, inner, "the callback to submit")
	v, err := g.Result()
	require.NoError(t, err)
	require.Equal(t, 7, v)
	require.NoError(t, finish(t, p))
	require.Equal(t, 3, p.Stats().Completed)
}

func TestOnDonePanicJoinsWaitsError(t *testing.T) {
	p := pool.New(1)
	f, open := gate(p)
	after := false
	f.OnDone(func(*pool.Future[int]) { panic("callback boom") })
	f.OnDone(func(*pool.Future[int]) { after = true })
	open()
	_, err := f.Result()
	require.NoError(t, err)
	err = finish(t, p)
	var pe *pool.PanicError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "callback boom", pe.Value)
	require.True(t, after, "a panic does not stop the other callbacks")
	require.Equal(t, 1, p.Stats().Completed, "the task itself completed")

	require.PanicsWithValue(t, "at once", func() {
		f.OnDone(func(*pool.Future[int]) { panic("at once") })
	}, "a callback run at once panics up the caller's stack")
	require.PanicsWithValue(t, "pool: nil callback", func() { f.OnDone(nil) })
}

func TestOnDoneCancelRunsCallbacks(t *testing.T) {
	p := pool.New(1)
	b := newBlocker()
	b.occupy(t, p, 1)
	f := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
	var seen error
	f.OnDone(func(f *pool.Future[int]) { seen = f.Err() })
	require.True(t, f.Cancel())
	require.ErrorIs(t, seen, pool.ErrCancelled, "ran before Cancel returned")
	b.open()
	require.PanicsWithError(t, errTask.Error(), func() { f.OnDone(func(*pool.Future[int]) { panic(errTask) }) })
	require.NoError(t, finish(t, p))
}

func TestOnDoneShutdownDroppedFutures(t *testing.T) {
	p := pool.New(1)
	b := newBlocker()
	b.occupy(t, p, 1)
	var mu sync.Mutex
	ran := 0
	var futs []*pool.Future[int]
	for range 5 {
		f := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
		f.OnDone(func(f *pool.Future[int]) {
			require.ErrorIs(t, f.Err(), pool.ErrCancelled)
			mu.Lock()
			ran++
			mu.Unlock()
		})
		futs = append(futs, f)
	}
	futs[4].OnDone(func(*pool.Future[int]) { panic("dropped boom") })
	require.ErrorIs(t, p.Shutdown(testutil.Cancelled()), context.Canceled)
	mu.Lock()
	require.Equal(t, 5, ran, "every dropped future's callbacks ran before Shutdown returned")
	mu.Unlock()
	err := p.Wait()
	var pe *pool.PanicError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "dropped boom", pe.Value)
	require.True(t, errors.Is(err, context.Canceled), "the blocker's own error")
	s := p.Stats()
	require.Equal(t, 5, s.Cancelled)
	goleak.VerifyNone(t)
}
