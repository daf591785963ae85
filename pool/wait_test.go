package pool_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/pool"
)

// The futures of CPython's test_wait.py and test_as_completed.py, made on
// p: one that succeeded, one that failed, one cancelled before it started.
type fixtures struct {
	successful, failed, cancelled *pool.Future[int]
}

var errTask = errors.New("task failed")

func newFixtures(t *testing.T, p *pool.Pool, workers int) fixtures {
	t.Helper()
	var fx fixtures
	fx.successful = pool.Submit(p, func(context.Context) (int, error) { return 42, nil })
	fx.failed = pool.Submit(p, func(context.Context) (int, error) { return 0, errTask })
	_, _ = fx.successful.Result()
	_, _ = fx.failed.Result()
	b := newBlocker()
	b.occupy(t, p, workers)
	fx.cancelled = pool.Submit(p, func(context.Context) (int, error) { return 0, nil })
	require.True(t, fx.cancelled.Cancel())
	b.open()
	return fx
}

// gate is a future whose task runs until open is called.
func gate(p *pool.Pool) (*pool.Future[int], func()) {
	release := make(chan struct{})
	f := pool.Submit(p, func(context.Context) (int, error) { <-release; return 1, nil })
	return f, func() { close(release) }
}

func futs(fs ...*pool.Future[int]) []*pool.Future[int] { return fs }

func TestWaitFirstCompleted(t *testing.T) {
	p := pool.New(2)
	quick := pool.Submit(p, func(context.Context) (int, error) { return 42, nil })
	slow, open := gate(p)
	done, pending, err := pool.Wait(context.Background(), pool.FirstCompleted, quick, slow)
	require.NoError(t, err)
	require.Equal(t, futs(quick), done)
	require.Equal(t, futs(slow), pending)
	open()
	require.NoError(t, finish(t, p))
}

func TestWaitFirstCompletedSomeAlreadyCompleted(t *testing.T) {
	p := pool.New(2)
	fx := newFixtures(t, p, 2)
	slow, open := gate(p)
	done, pending, err := pool.Wait(testutil.Cancelled(), pool.FirstCompleted, fx.cancelled, fx.successful, slow)
	require.NoError(t, err, "satisfied at once: nil whatever ctx")
	require.Equal(t, futs(fx.cancelled, fx.successful), done)
	require.Equal(t, futs(slow), pending)
	open()
	require.NoError(t, finish(t, p))
}

func TestWaitFirstError(t *testing.T) {
	p := pool.New(3)
	f1 := pool.Submit(p, func(context.Context) (int, error) { return 42, nil })
	started := make(chan struct{})
	fail := make(chan struct{})
	f2 := pool.Submit(p, func(context.Context) (int, error) { close(started); <-fail; return 0, errTask })
	f3, open := gate(p)
	<-started
	_, _ = f1.Result()
	go close(fail)
	done, pending, err := pool.Wait(context.Background(), pool.FirstError, f1, f2, f3)
	require.NoError(t, err)
	require.Equal(t, futs(f1, f2), done)
	require.Equal(t, futs(f3), pending)
	require.ErrorIs(t, f2.Err(), errTask)
	require.NoError(t, f3.Err(), "pending: nil before the end")
	open()
	require.NoError(t, finish(t, p))
}

func TestWaitFirstErrorSomeAlreadyComplete(t *testing.T) {
	p := pool.New(2)
	fx := newFixtures(t, p, 2)
	slow, open := gate(p)
	done, pending, err := pool.Wait(context.Background(), pool.FirstError, fx.successful, fx.cancelled, fx.failed, slow)
	require.NoError(t, err)
	require.Equal(t, futs(fx.successful, fx.cancelled, fx.failed), done)
	require.Equal(t, futs(slow), pending)

	done, pending, err = pool.Wait(context.Background(), pool.FirstError, fx.failed, slow)
	require.NoError(t, err, "one already failed")
	require.Equal(t, futs(fx.failed), done)
	require.Equal(t, futs(slow), pending)
	open()
	require.NoError(t, finish(t, p))
}

func TestWaitFirstErrorCancellationIsNotAFailure(t *testing.T) {
	p := pool.New(1)
	fx := newFixtures(t, p, 1)
	slow, open := gate(p)
	res := make(chan []*pool.Future[int])
	go func() {
		done, _, err := pool.Wait(context.Background(), pool.FirstError, fx.cancelled, slow)
		require.NoError(t, err)
		res <- done
	}()
	testutil.WaitEqual(t, "Wait watches slow", func() int { return pool.Watches(slow) }, 1)
	testutil.NotReady(t, res, "Wait with only a cancelled future ended")
	open()
	require.Equal(t, futs(fx.cancelled, slow), testutil.Recv(t, res, "Wait to return"))
	require.NoError(t, finish(t, p))
}

func TestWaitAllCompleted(t *testing.T) {
	p := pool.New(2)
	fx := newFixtures(t, p, 2)
	f1 := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
	f2 := pool.Submit(p, func(context.Context) (int, error) { panic("boom") })
	done, pending, err := pool.Wait(context.Background(), pool.AllCompleted, fx.successful, fx.cancelled, fx.failed, f1, f2)
	require.NoError(t, err)
	require.Equal(t, futs(fx.successful, fx.cancelled, fx.failed, f1, f2), done)
	require.Empty(t, pending)
	var pe *pool.PanicError
	require.ErrorAs(t, f2.Err(), &pe)
	require.NoError(t, finish(t, p))
}

func TestWaitContextEndsFirst(t *testing.T) {
	p := pool.New(2)
	fx := newFixtures(t, p, 2)
	slow, open := gate(p)
	ctx, cancel := context.WithCancel(context.Background())
	type result struct {
		done, pending []*pool.Future[int]
		err           error
	}
	res := make(chan result)
	go func() {
		d, pe, err := pool.Wait(ctx, pool.AllCompleted, fx.cancelled, fx.failed, fx.successful, slow)
		res <- result{d, pe, err}
	}()
	testutil.WaitEqual(t, "Wait watches slow", func() int { return pool.Watches(slow) }, 1)
	cancel()
	r := testutil.Recv(t, res, "Wait to return")
	require.ErrorIs(t, r.err, context.Canceled)
	require.Equal(t, futs(fx.cancelled, fx.failed, fx.successful), r.done)
	require.Equal(t, futs(slow), r.pending)
	require.Zero(t, pool.Watches(slow), "Wait leaves nothing behind")
	open()
	v, err := slow.Result()
	require.NoError(t, err, "Wait never cancels")
	require.Equal(t, 1, v)
	require.NoError(t, finish(t, p))
}

func TestWaitDuplicatesAppearOnce(t *testing.T) {
	p := pool.New(1)
	f := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
	done, pending, err := pool.Wait(context.Background(), pool.AllCompleted, f, f, f)
	require.NoError(t, err)
	require.Equal(t, futs(f), done)
	require.Empty(t, pending)
	require.NoError(t, finish(t, p))
}

func TestWaitNoFutures(t *testing.T) {
	for _, mode := range []pool.WaitMode{pool.AllCompleted, pool.FirstCompleted, pool.FirstError} {
		done, pending, err := pool.Wait[*pool.Future[int]](testutil.Cancelled(), mode)
		require.NoError(t, err)
		require.Empty(t, done)
		require.Empty(t, pending)
	}
	require.PanicsWithValue(t, "pool: unknown WaitMode", func() { _, _, _ = pool.Wait[*pool.Future[int]](context.Background(), 7) })
}

// event is an Awaitable that is not a Future.
type event struct {
	ch  chan struct{}
	err error
}

func (e *event) Done() <-chan struct{} { return e.ch }
func (e *event) Err() error {
	select {
	case <-e.ch:
		return e.err
	default:
		return nil
	}
}

func TestWaitMixesFuturesAndOtherAwaitables(t *testing.T) {
	p := pool.New(1)
	f, open := gate(p)
	e := &event{ch: make(chan struct{}), err: errTask}
	res := make(chan []pool.Awaitable)
	go func() {
		done, _, err := pool.Wait(context.Background(), pool.FirstError, pool.Awaitable(f), pool.Awaitable(e))
		require.NoError(t, err)
		res <- done
	}()
	testutil.WaitEqual(t, "Wait watches f", func() int { return pool.Watches(f) }, 1)
	close(e.ch)
	require.Equal(t, []pool.Awaitable{e}, testutil.Recv(t, res, "Wait to return"))
	open()
	require.NoError(t, finish(t, p))
}

func collect(t *testing.T, seq func(func(*pool.Future[int], error) bool)) ([]*pool.Future[int], error) {
	t.Helper()
	var got []*pool.Future[int]
	var last error
	for f, err := range seq {
		if err != nil {
			require.NoError(t, last, "one error at most")
			last = err
			continue
		}
		require.NoError(t, last, "nothing after the error")
		got = append(got, f)
	}
	return got, last
}

func TestAsCompletedNoTimeout(t *testing.T) {
	p := pool.New(2)
	fx := newFixtures(t, p, 2)
	f1 := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
	f2 := pool.Submit(p, func(context.Context) (int, error) { return 2, nil })
	got, err := collect(t, pool.AsCompleted(context.Background(), fx.cancelled, fx.failed, fx.successful, f1, f2))
	require.NoError(t, err)
	require.Equal(t, futs(fx.cancelled, fx.failed, fx.successful), got[:3], "ended ones first, in order")
	require.ElementsMatch(t, futs(f1, f2), got[3:])
	require.NoError(t, finish(t, p))
}

func TestAsCompletedZeroTimeout(t *testing.T) {
	p := pool.New(2)
	fx := newFixtures(t, p, 2)
	slow, open := gate(p)
	got, err := collect(t, pool.AsCompleted(testutil.Cancelled(), fx.cancelled, fx.failed, fx.successful, slow))
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, futs(fx.cancelled, fx.failed, fx.successful), got)
	require.Zero(t, pool.Watches(slow))
	open()
	require.NoError(t, finish(t, p))
}

func TestAsCompletedCompletionOrder(t *testing.T) {
	p := pool.New(3)
	a, openA := gate(p)
	b, openB := gate(p)
	c, openC := gate(p)
	var got []*pool.Future[int]
	openB()
	for f, err := range pool.AsCompleted(context.Background(), a, b, c) {
		require.NoError(t, err)
		got = append(got, f)
		switch f {
		case b:
			// c ends while the body runs, before a.
			openC()
			_, _ = c.Result()
			openA()
		}
	}
	require.Equal(t, futs(b, c, a), got)
	require.NoError(t, finish(t, p))
}

func TestAsCompletedDuplicates(t *testing.T) {
	p := pool.New(1)
	f, open := gate(p)
	open()
	got, err := collect(t, pool.AsCompleted(context.Background(), f, f, f))
	require.NoError(t, err)
	require.Equal(t, futs(f), got)
	require.NoError(t, finish(t, p))
}

func TestAsCompletedBreakLeavesNothing(t *testing.T) {
	p := pool.New(2)
	a := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
	slow, open := gate(p)
	e := &event{ch: make(chan struct{})}
	for f, err := range pool.AsCompleted(context.Background(), pool.Awaitable(a), pool.Awaitable(slow), pool.Awaitable(e)) {
		require.NoError(t, err)
		require.Equal(t, pool.Awaitable(a), f)
		break
	}
	require.Zero(t, pool.Watches(slow))
	open()
	require.NoError(t, finish(t, p)) // goleak: no goroutine watches e
}

func TestWaitContextNilPanics(t *testing.T) {
	var nilCtx context.Context
	p := pool.New(1)
	f := pool.Submit(p, func(context.Context) (int, error) { return 1, nil })
	_, _ = f.Result()
	const msg = "pool: nil Context"
	require.PanicsWithValue(t, msg, func() { _, _, _ = pool.Wait[*pool.Future[int]](nilCtx, pool.AllCompleted) })
	require.PanicsWithValue(t, msg, func() { _, _, _ = pool.Wait(nilCtx, pool.FirstCompleted, f) })
	require.PanicsWithValue(t, msg, func() { pool.AsCompleted[*pool.Future[int]](nilCtx) })
	require.PanicsWithValue(t, msg, func() { _, _ = f.ResultContext(nilCtx) })
	require.PanicsWithValue(t, msg, func() { _ = p.GoContext(nilCtx, nil) })
	require.PanicsWithValue(t, msg, func() { _, _ = pool.SubmitContext[int](nilCtx, p, nil) })
	require.PanicsWithValue(t, msg, func() { _, _ = pool.Map[int, int](nilCtx, p, nil, nil) })
	require.PanicsWithValue(t, msg, func() { pool.Stream[int, int](nilCtx, p, nil, nil) })
	require.PanicsWithValue(t, msg, func() { pool.StreamUnordered[int, int](nilCtx, p, nil, nil) })
	require.PanicsWithValue(t, msg, func() { pool.WithContext(nilCtx) })
	require.NoError(t, finish(t, p))
	require.PanicsWithValue(t, msg, func() { _ = p.Shutdown(nilCtx) }, "a finished pool too")
	require.Equal(t, 1, p.Stats().Completed, "the panics changed nothing")
}

func TestFutureErr(t *testing.T) {
	p := pool.New(1)
	f, open := gate(p)
	require.NoError(t, f.Err())
	open()
	_, _ = f.Result()
	require.NoError(t, f.Err())
	g := pool.Submit(p, func(context.Context) (int, error) { return 0, errTask })
	_, _ = g.Result()
	require.ErrorIs(t, g.Err(), errTask)
	require.NoError(t, finish(t, p))
	var zero pool.Future[int]
	require.PanicsWithValue(t, "pool: Future used without Submit", func() { _ = zero.Err() })
	require.PanicsWithValue(t, "pool: Future used without Submit", func() { zero.OnDone(func(*pool.Future[int]) {}) })
}
