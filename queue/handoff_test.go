package queue_test

// Blocked callers: first-in first-out service, direct hand-over, and
// cancellation, including cancellation racing a hand-over.

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/queue"
)

func TestBlockedGettersAreServedFIFO(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(0)
			var gets []<-chan result
			for i := range 5 {
				gets = append(gets, goGet(q))
				testutil.WaitUntil(t, "the Get is queued", func() bool { return getters(q) == i+1 })
			}
			for i := range 5 {
				require.NoError(t, q.Put(100+i))
			}
			for i, g := range gets {
				require.Equal(t, result{100 + i, nil}, testutil.Recv(t, g, "a receive from g"), "getter %d", i)
			}
		})
	}
}

func TestBlockedPuttersAreServedFIFO(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(1)
			require.NoError(t, q.Put(0))
			var puts []<-chan error
			for i := range 5 {
				puts = append(puts, goPut(q, 1+i))
				testutil.WaitUntil(t, "the Put is queued", func() bool { return putters(q) == i+1 })
			}
			// Each Get frees the slot for the longest-waiting putter only.
			for i := range 5 {
				v, err := q.Get()
				require.NoError(t, err)
				require.Equal(t, i, v)
				require.NoError(t, testutil.Recv(t, puts[i], "a receive from puts[i]"))
				for _, p := range puts[i+1:] {
					testutil.NotReady(t, p, "p")
				}
				require.Equal(t, 4-i, putters(q))
			}
			v, err := q.Get()
			require.NoError(t, err)
			require.Equal(t, 5, v)
			require.Equal(t, 6, q.Unfinished())
		})
	}
}

// TestPutHandsItemToWaitingGetter: the item never sits in the queue, so a
// TryGet that comes between the Put and the getter's wake-up cannot take it.
func TestPutHandsItemToWaitingGetter(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(1)
			g := goGet(q)
			testutil.WaitUntil(t, "Get is blocked", func() bool { return getters(q) == 1 })
			require.NoError(t, q.Put(7))
			require.Zero(t, q.Len())
			_, err := q.TryGet()
			require.ErrorIs(t, err, queue.ErrEmpty)
			require.NoError(t, q.TryPut(8), "a handed-over item takes no slot")
			require.Equal(t, result{7, nil}, testutil.Recv(t, g, "a receive from g"))
			require.Equal(t, 2, q.Unfinished())
		})
	}
}

// TestGetTakesWaitingPuttersItem: a Get from a full queue moves the waiting
// putter's item in at once, so the queue stays full and a TryPut that comes
// before the putter wakes cannot take its slot.
func TestGetTakesWaitingPuttersItem(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(2)
			require.NoError(t, q.Put(1))
			require.NoError(t, q.Put(2))
			p := goPut(q, 3)
			testutil.WaitUntil(t, "Put is blocked", func() bool { return putters(q) == 1 })
			first, err := q.TryGet()
			require.NoError(t, err)
			require.True(t, q.Full())
			require.ErrorIs(t, q.TryPut(4), queue.ErrFull)
			require.NoError(t, testutil.Recv(t, p, "a receive from p"))
			second, err := q.Get()
			require.NoError(t, err)
			third, err := q.Get()
			require.NoError(t, err)
			want := map[string][]int{"fifo": {1, 2, 3}, "lifo": {2, 3, 1}, "priority": {1, 2, 3}}[k.name]
			require.Equal(t, want, []int{first, second, third})
		})
	}
}

// TestDoneContext is convention 7: taking with a done context fails even when
// it could succeed, and changes nothing; joining with nothing unfinished
// succeeds whatever the context.
func TestDoneContext(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			q := k.make(2)
			require.NoError(t, q.JoinContext(ctx))
			require.ErrorIs(t, q.PutContext(ctx, 1), context.Canceled)
			require.Zero(t, q.Len())
			require.Zero(t, q.Unfinished())
			require.NoError(t, q.Put(1))
			_, err := q.GetContext(ctx)
			require.ErrorIs(t, err, context.Canceled)
			require.Equal(t, 1, q.Len())
			require.ErrorIs(t, q.JoinContext(ctx), context.Canceled)

			// A done context wins over shutdown too.
			q.Shutdown(false)
			require.ErrorIs(t, q.PutContext(ctx, 2), context.Canceled)
			_, err = q.GetContext(ctx)
			require.ErrorIs(t, err, context.Canceled)
			v, err := q.Get()
			require.NoError(t, err)
			require.Equal(t, 1, v)
			q.TaskDone()
			require.NoError(t, q.JoinContext(ctx))
		})
	}
}

// TestContextTimeouts uses fake time: every blocked form gives up at its
// deadline with context.DeadlineExceeded and leaves the queue as it was.
func TestContextTimeouts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := queue.New[int](1)
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		_, err := q.GetContext(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Equal(t, time.Second, time.Since(start))

		require.NoError(t, q.Put(1))
		ctx2, cancel2 := context.WithTimeout(t.Context(), time.Second)
		defer cancel2()
		require.ErrorIs(t, q.PutContext(ctx2, 2), context.DeadlineExceeded)
		require.Equal(t, 2*time.Second, time.Since(start))

		ctx3, cancel3 := context.WithTimeout(t.Context(), time.Second)
		defer cancel3()
		require.ErrorIs(t, q.JoinContext(ctx3), context.DeadlineExceeded)
		require.Equal(t, 3*time.Second, time.Since(start))

		g, p, j := q.Waiting()
		require.Equal(t, [3]int{0, 0, 0}, [3]int{g, p, j}, "timed-out waiters leave the lists")
		require.Equal(t, 1, q.Len())
		require.Equal(t, 1, q.Unfinished())
	})
}

// TestCancelledWaiterDoesNotBlockOthers: a cancelled getter in the middle of
// the line is skipped; the next item goes to the one behind it.
func TestCancelledWaiterDoesNotBlockOthers(t *testing.T) {
	q := queue.New[int](0)
	first := goGet(q)
	testutil.WaitUntil(t, "first Get is queued", func() bool { return getters(q) == 1 })
	ctx, cancel := context.WithCancel(t.Context())
	mid := make(chan error, 1)
	go func() {
		_, err := q.GetContext(ctx)
		mid <- err
	}()
	testutil.WaitUntil(t, "middle Get is queued", func() bool { return getters(q) == 2 })
	last := goGet(q)
	testutil.WaitUntil(t, "last Get is queued", func() bool { return getters(q) == 3 })
	cancel()
	require.ErrorIs(t, testutil.Recv(t, mid, "a receive from mid"), context.Canceled)
	require.NoError(t, q.Put(1))
	require.NoError(t, q.Put(2))
	require.Equal(t, result{1, nil}, testutil.Recv(t, first, "a receive from first"))
	require.Equal(t, result{2, nil}, testutil.Recv(t, last, "a receive from last"))
}

// The cancellation races below run thousands of iterations in which a parked
// call's context is cancelled at the same moment as the hand-over that would
// satisfy it. Whatever wins, nothing may be lost or duplicated.
const raceIterations = 3000

// race runs a in a new goroutine and b in this one, released together.
func race(a, b func()) {
	start := make(chan struct{})
	done := make(chan struct{})
	go func() {
		<-start
		a()
		close(done)
	}()
	close(start)
	b()
	<-done
}

func TestGetCancelRacingPut(t *testing.T) {
	var won, lost int
	for i := range raceIterations {
		q := queue.New[int](0)
		ctx, cancel := context.WithCancel(t.Context())
		res := make(chan result, 1)
		go func() {
			v, err := q.GetContext(ctx)
			res <- result{v, err}
		}()
		testutil.WaitUntil(t, "GetContext is parked", func() bool { return getters(q) == 1 })
		race(cancel, func() { require.NoError(t, q.Put(i)) })
		r := testutil.Recv(t, res, "a receive from res")
		if r.err == nil {
			won++
			require.Equal(t, i, r.v)
			require.Zero(t, q.Len(), "handed over and still queued")
		} else {
			lost++
			require.ErrorIs(t, r.err, context.Canceled)
			v, err := q.TryGet()
			require.NoError(t, err, "cancelled getter lost the item")
			require.Equal(t, i, v)
		}
		require.Equal(t, 1, q.Unfinished())
		g, p, j := q.Waiting()
		require.Equal(t, [3]int{0, 0, 0}, [3]int{g, p, j})
	}
	t.Logf("hand-over won %d, cancellation won %d", won, lost)
}

func TestPutCancelRacingGet(t *testing.T) {
	var won, lost int
	for i := range raceIterations {
		q := queue.New[int](1)
		require.NoError(t, q.Put(-1))
		ctx, cancel := context.WithCancel(t.Context())
		perr := make(chan error, 1)
		go func() { perr <- q.PutContext(ctx, i) }()
		testutil.WaitUntil(t, "PutContext is parked", func() bool { return putters(q) == 1 })
		race(cancel, func() {
			v, err := q.Get()
			require.NoError(t, err)
			require.Equal(t, -1, v)
		})
		if err := testutil.Recv(t, perr, "a receive from perr"); err == nil {
			won++
			require.Equal(t, 2, q.Unfinished())
			v, err := q.TryGet()
			require.NoError(t, err, "accepted item missing")
			require.Equal(t, i, v)
		} else {
			lost++
			require.ErrorIs(t, err, context.Canceled)
			require.Equal(t, 1, q.Unfinished(), "refused item counted")
			require.Zero(t, q.Len(), "refused item enqueued")
		}
		g, p, j := q.Waiting()
		require.Equal(t, [3]int{0, 0, 0}, [3]int{g, p, j})
	}
	t.Logf("hand-over won %d, cancellation won %d", won, lost)
}

func TestJoinCancelRacingTaskDone(t *testing.T) {
	var won, lost int
	for range raceIterations {
		q := queue.New[int](0)
		require.NoError(t, q.Put(1))
		ctx, cancel := context.WithCancel(t.Context())
		jerr := make(chan error, 1)
		go func() { jerr <- q.JoinContext(ctx) }()
		testutil.WaitUntil(t, "JoinContext is parked", func() bool { return joiners(q) == 1 })
		race(cancel, q.TaskDone)
		if err := testutil.Recv(t, jerr, "a receive from jerr"); err == nil {
			won++
		} else {
			lost++
			require.ErrorIs(t, err, context.Canceled)
		}
		require.Zero(t, q.Unfinished())
		require.Zero(t, joiners(q))
	}
	t.Logf("TaskDone won %d, cancellation won %d", won, lost)
}

// TestGetCancelRacingShutdown: a parked GetContext cancelled as the queue is
// shut down ends with one of the two errors, and the queue stays consistent.
func TestGetCancelRacingShutdown(t *testing.T) {
	for range raceIterations / 3 {
		q := queue.New[int](0)
		ctx, cancel := context.WithCancel(t.Context())
		res := make(chan result, 1)
		go func() {
			v, err := q.GetContext(ctx)
			res <- result{v, err}
		}()
		testutil.WaitUntil(t, "GetContext is parked", func() bool { return getters(q) == 1 })
		race(cancel, func() { q.Shutdown(false) })
		r := testutil.Recv(t, res, "a receive from res")
		require.Error(t, r.err)
		if r.err != context.Canceled {
			require.ErrorIs(t, r.err, queue.ErrShutdown)
		}
		require.Zero(t, getters(q))
	}
}
