package queue_test

// The checks of CPython's Lib/test/test_queue.py (BaseQueueTestMixin, run for
// Queue, LifoQueue and PriorityQueue), re-expressed in Go. Python's timeouts
// are contexts with deadlines; testing/synctest makes them fake time, and
// synctest.Wait proves a call is blocked before it is released.
// test_shrinking_queue (assigning maxsize), test_negative_timeout_* and
// FailingQueueTest (overriding _put/_get) test Python-only surface and have
// no Go counterpart.

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/queue"
)

const queueSize = 5

func basicQueueTest(t *testing.T, kind string, q *queue.Queue[int]) {
	require.Zero(t, q.Len(), "call with an empty queue")
	require.True(t, q.Empty())
	require.False(t, q.Full())

	for _, v := range []int{111, 333, 222} {
		require.NoError(t, q.Put(v))
	}
	want := map[string][]int{
		"fifo":     {111, 333, 222},
		"lifo":     {222, 333, 111},
		"priority": {111, 222, 333},
	}[kind]
	var got []int
	for range 3 {
		v, err := q.Get()
		require.NoError(t, err)
		got = append(got, v)
	}
	require.Equal(t, want, got, "didn't seem to queue the correct data")

	for i := range queueSize - 1 {
		require.NoError(t, q.Put(i))
		require.NotZero(t, q.Len())
	}
	require.False(t, q.Full())
	last, full := 2*queueSize, 3*2*queueSize
	require.NoError(t, q.Put(last))
	require.True(t, q.Full())
	require.False(t, q.Empty())
	require.ErrorIs(t, q.TryPut(full), queue.ErrFull)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	require.ErrorIs(t, q.PutContext(ctx, full), context.DeadlineExceeded)
	cancel()
	require.Equal(t, queueSize, q.Len())

	// A blocking Put, released by a Get.
	put := goPut(q, full)
	synctest.Wait()
	testutil.NotReady(t, put, "put")
	_, err := q.Get()
	require.NoError(t, err)
	require.NoError(t, testutil.Recv(t, put, "a receive from put"))
	// The same with a deadline that is far away.
	ctx, cancel = context.WithTimeout(t.Context(), 10*time.Second)
	perr := make(chan error, 1)
	go func() { perr <- q.PutContext(ctx, full) }()
	synctest.Wait()
	testutil.NotReady(t, perr, "perr")
	_, err = q.Get()
	require.NoError(t, err)
	require.NoError(t, testutil.Recv(t, perr, "a receive from perr"))
	cancel()

	// Empty it.
	for range queueSize {
		_, err := q.Get()
		require.NoError(t, err)
	}
	require.Zero(t, q.Len())
	_, err = q.TryGet()
	require.ErrorIs(t, err, queue.ErrEmpty)
	ctx, cancel = context.WithTimeout(t.Context(), 10*time.Millisecond)
	_, err = q.GetContext(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	cancel()

	// A blocking Get, released by a Put.
	get := goGet(q)
	synctest.Wait()
	testutil.NotReady(t, get, "get")
	require.NoError(t, q.Put(77))
	require.Equal(t, result{77, nil}, testutil.Recv(t, get, "a receive from get"))
	ctx, cancel = context.WithTimeout(t.Context(), 10*time.Second)
	gres := make(chan result, 1)
	go func() {
		v, err := q.GetContext(ctx)
		gres <- result{v, err}
	}()
	synctest.Wait()
	testutil.NotReady(t, gres, "gres")
	require.NoError(t, q.Put(78))
	require.Equal(t, result{78, nil}, testutil.Recv(t, gres, "a receive from gres"))
	cancel()
}

func TestBasic(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// Twice, to be sure the same instance can be reused.
				q := k.make(queueSize)
				basicQueueTest(t, k.name, q)
				basicQueueTest(t, k.name, q)
			})
		})
	}
}

// queueJoinTest: two workers sum what they get; Join must not return before
// every item has been processed.
func queueJoinTest(t *testing.T, q *queue.Queue[int]) {
	var mu sync.Mutex
	cum := 0
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for {
				x, err := q.Get()
				if err != nil {
					t.Errorf("Get: %v", err)
					return
				}
				if x < 0 {
					q.TaskDone()
					return
				}
				mu.Lock()
				cum += x
				mu.Unlock()
				q.TaskDone()
			}
		})
	}
	for i := range 100 {
		require.NoError(t, q.Put(i))
	}
	q.Join()
	mu.Lock()
	require.Equal(t, 99*100/2, cum, "Join did not block until all tasks were done")
	mu.Unlock()
	for range 2 {
		require.NoError(t, q.Put(-1)) // tell the workers to stop
	}
	q.Join() // joining twice works
	wg.Wait()
}

func TestJoin(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(0)
			queueJoinTest(t, q)
			queueJoinTest(t, q)
			require.PanicsWithValue(t, "queue: TaskDone called too many times", q.TaskDone)
		})
	}
}

func TestTaskDoneOnFreshQueuePanics(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(0)
			require.PanicsWithValue(t, "queue: TaskDone called too many times", q.TaskDone)
			// The failed call changed nothing.
			require.Zero(t, q.Unfinished())
			require.NoError(t, q.Put(1))
			require.Equal(t, 1, q.Unfinished())
			q.TaskDone() // allowed before the Get, as in Python
			require.PanicsWithValue(t, "queue: TaskDone called too many times", q.TaskDone)
			require.Zero(t, q.Unfinished())
		})
	}
}

func TestNowait(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(queueSize)
			for range queueSize {
				require.NoError(t, q.TryPut(1))
			}
			require.ErrorIs(t, q.TryPut(1), queue.ErrFull)
			for range queueSize {
				v, err := q.TryGet()
				require.NoError(t, err)
				require.Equal(t, 1, v)
			}
			_, err := q.TryGet()
			require.ErrorIs(t, err, queue.ErrEmpty)
		})
	}
}
