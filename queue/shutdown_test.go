package queue_test

// The shutdown tests of CPython 3.13's test_queue.py, re-expressed in Go, and
// the shutdown behaviour they imply but do not spell out.

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/queue"
)

// both runs f for graceful and for immediate shutdown, on every kind.
func both(t *testing.T, f func(t *testing.T, make func(int) *queue.Queue[int], immediate bool)) {
	for _, k := range kinds {
		for _, immediate := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/immediate=%v", k.name, immediate), func(t *testing.T) {
				f(t, k.make, immediate)
			})
		}
	}
}

func TestShutdownEmpty(t *testing.T) {
	both(t, func(t *testing.T, mk func(int) *queue.Queue[int], immediate bool) {
		q := mk(0)
		q.Shutdown(immediate)
		require.ErrorIs(t, q.Put(1), queue.ErrShutdown)
		_, err := q.Get()
		require.ErrorIs(t, err, queue.ErrShutdown)
	})
}

func TestShutdownNonEmpty(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(0)
			require.NoError(t, q.Put(1))
			q.Shutdown(false)
			v, err := q.Get()
			require.NoError(t, err)
			require.Equal(t, 1, v)
			_, err = q.Get()
			require.ErrorIs(t, err, queue.ErrShutdown)
		})
	}
}

func TestShutdownImmediate(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(0)
			require.NoError(t, q.Put(1))
			q.Shutdown(true)
			_, err := q.Get()
			require.ErrorIs(t, err, queue.ErrShutdown)
			require.Zero(t, q.Len())
			require.Zero(t, q.Unfinished())
		})
	}
}

func TestShutdownAllowedTransitions(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(0)
			require.False(t, q.IsShutdown())
			require.NoError(t, q.Put(1))
			require.NoError(t, q.Put(2))

			q.Shutdown(false)
			require.True(t, q.IsShutdown())
			q.Shutdown(false) // idempotent
			require.Equal(t, 2, q.Len(), "graceful shutdown keeps the items")

			q.Shutdown(true) // graceful, then immediate: discards
			require.True(t, q.IsShutdown())
			require.Zero(t, q.Len())
			require.Zero(t, q.Unfinished())

			q.Shutdown(false) // does not undo the immediate one
			q.Shutdown(true)
			require.True(t, q.IsShutdown())
			require.Contains(t, q.String(), "shut down immediately")
		})
	}
}

func TestShutdownAllMethodsInOneGoroutine(t *testing.T) {
	both(t, func(t *testing.T, mk func(int) *queue.Queue[int], immediate bool) {
		q := mk(2)
		require.NoError(t, q.Put(1))
		require.NoError(t, q.TryPut(2))
		q.Shutdown(immediate)

		require.ErrorIs(t, q.Put(3), queue.ErrShutdown)
		require.ErrorIs(t, q.TryPut(4), queue.ErrShutdown, "ErrShutdown even though full")
		require.ErrorIs(t, q.PutContext(t.Context(), 5), queue.ErrShutdown)
		if immediate {
			_, err := q.Get()
			require.ErrorIs(t, err, queue.ErrShutdown)
			_, err = q.TryGet()
			require.ErrorIs(t, err, queue.ErrShutdown)
			require.PanicsWithValue(t, "queue: TaskDone called too many times", q.TaskDone)
			q.Join()
		} else {
			got := map[int]bool{}
			for range 2 {
				v, err := q.Get()
				require.NoError(t, err)
				got[v] = true
				q.TaskDone()
			}
			require.Equal(t, map[int]bool{1: true, 2: true}, got)
			q.Join()
			_, err := q.Get()
			require.ErrorIs(t, err, queue.ErrShutdown)
			_, err = q.TryGet()
			require.ErrorIs(t, err, queue.ErrShutdown)
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			_, err = q.GetContext(ctx) // fails at once, without waiting for ctx
			cancel()
			require.ErrorIs(t, err, queue.ErrShutdown)
		}
		require.NoError(t, q.JoinContext(t.Context()))
	})
}

// barrier releases its n parties together.
type barrier struct {
	mu      sync.Mutex
	n       int
	release chan struct{}
}

func newBarrier(n int) *barrier { return &barrier{n: n, release: make(chan struct{})} }

func (b *barrier) wait() {
	b.mu.Lock()
	b.n--
	if b.n == 0 {
		close(b.release)
	}
	b.mu.Unlock()
	<-b.release
}

// TestShutdownAllMethodsInManyGoroutines is test_queue.py's
// _shutdown_all_methods_in_many_threads: writers fill the queue and go on
// writing, readers drain it, a writer half-way through triggers Shutdown, and
// then every writer (which keeps writing until stopped) must end on
// ErrShutdown, every reader must end on
// ErrShutdown, and (immediate) joiners must return with the queue empty. On
// top of Python's checks, the accounting must be exact: every item a Put
// accepted was either read (and TaskDone'd) or discarded by an immediate
// shutdown.
func TestShutdownAllMethodsInManyGoroutines(t *testing.T) {
	both(t, func(t *testing.T, mk func(int) *queue.Queue[int], immediate bool) {
		q := mk(0)
		const (
			writers    = 4
			readers    = 6
			joins      = 2
			msgs       = 1024 * 64
			perWriter  = msgs / writers
			shutdownAt = perWriter / 2
		)
		parties := writers + readers
		if immediate {
			parties += joins
		}
		start := newBarrier(parties)
		trigger := make(chan struct{})
		var once sync.Once
		var wg sync.WaitGroup
		var put, read atomic.Int64
		writerEnd := make(chan error, writers)
		readerEnd := make(chan error, readers)
		shutdownEmpty := make(chan bool, 1)
		shutDown := make(chan struct{})

		for range writers {
			wg.Go(func() {
				for i := range shutdownAt / 2 {
					if err := q.Put(i); err != nil {
						t.Errorf("Put before shutdown: %v", err)
					}
					put.Add(1)
				}
				start.wait()
				// Go on writing, past the trigger, until the shutdown stops us;
				// a writer that runs out of items waits for the shutdown and
				// then tries once more, so every writer meets it.
				for i := shutdownAt / 2; ; i++ {
					if i == perWriter {
						<-shutDown
					}
					if err := q.Put(i); err != nil {
						writerEnd <- err
						return
					}
					put.Add(1)
					if i == shutdownAt {
						once.Do(func() { close(trigger) })
					}
				}
			})
		}
		for range readers {
			wg.Go(func() {
				if _, err := q.Get(); err != nil {
					t.Errorf("first Get: %v", err)
				}
				read.Add(1)
				q.TaskDone()
				start.wait()
				for {
					_, err := q.TryGet()
					switch {
					case err == nil:
						read.Add(1)
						q.TaskDone()
					case errors.Is(err, queue.ErrEmpty):
						runtime.Gosched()
					default:
						readerEnd <- err
						return
					}
				}
			})
		}
		wg.Go(func() {
			<-trigger
			q.Shutdown(immediate)
			shutdownEmpty <- q.Len() == 0
			close(shutDown)
		})
		if immediate {
			for range joins {
				wg.Go(func() {
					start.wait()
					q.Join()
				})
			}
		}
		wg.Wait()

		for range writers {
			require.ErrorIs(t, <-writerEnd, queue.ErrShutdown)
		}
		for range readers {
			require.ErrorIs(t, <-readerEnd, queue.ErrShutdown)
		}
		if immediate {
			require.True(t, <-shutdownEmpty)
			require.True(t, q.Empty())
			require.LessOrEqual(t, read.Load(), put.Load())
		} else {
			require.Equal(t, put.Load(), read.Load(), "graceful: every accepted item is read")
		}
		require.Zero(t, q.Unfinished())
		q.Join()
	})
}

// TestShutdownGet: with two items queued and Gets arriving after the
// shutdown, graceful lets two of three succeed; immediate fails both.
func TestShutdownGet(t *testing.T) {
	both(t, func(t *testing.T, mk func(int) *queue.Queue[int], immediate bool) {
		q := mk(2)
		require.NoError(t, q.Put(1))
		require.NoError(t, q.Put(2))
		n := 3
		if immediate {
			n = 2
		}
		goCh := make(chan struct{})
		res := make(chan error, n)
		for range n {
			go func() {
				<-goCh
				_, err := q.Get()
				res <- err
			}()
		}
		q.Shutdown(immediate)
		close(goCh)
		ok, shut := 0, 0
		for range n {
			err := testutil.Recv(t, res, "a receive from res")
			if err == nil {
				ok++
			} else {
				require.ErrorIs(t, err, queue.ErrShutdown)
				shut++
			}
		}
		if immediate {
			require.Equal(t, [2]int{0, 2}, [2]int{ok, shut})
		} else {
			require.Equal(t, [2]int{2, 1}, [2]int{ok, shut})
		}
	})
}

// TestShutdownPut: Puts blocked on a full queue wake with ErrShutdown and
// their items are not enqueued.
func TestShutdownPut(t *testing.T) {
	both(t, func(t *testing.T, mk func(int) *queue.Queue[int], immediate bool) {
		q := mk(2)
		require.NoError(t, q.Put(1))
		require.NoError(t, q.Put(2))
		p1, p2 := goPut(q, 3), goPut(q, 4)
		testutil.WaitUntil(t, "both Puts are blocked", func() bool { return putters(q) == 2 })
		q.Shutdown(immediate)
		require.ErrorIs(t, testutil.Recv(t, p1, "a receive from p1"), queue.ErrShutdown)
		require.ErrorIs(t, testutil.Recv(t, p2, "a receive from p2"), queue.ErrShutdown)
		if immediate {
			require.Zero(t, q.Len())
			require.Zero(t, q.Unfinished())
			return
		}
		require.Equal(t, 2, q.Len())
		require.Equal(t, 2, q.Unfinished(), "refused items are not counted")
		var got []int
		for {
			v, err := q.Get()
			if err != nil {
				require.ErrorIs(t, err, queue.ErrShutdown)
				break
			}
			got = append(got, v)
		}
		require.ElementsMatch(t, []int{1, 2}, got)
	})
}

// TestShutdownJoin: Joins blocked on an unfinished item return after a
// graceful shutdown once the item is got and done, and after an immediate
// shutdown at once, since the item is discarded.
func TestShutdownJoin(t *testing.T) {
	both(t, func(t *testing.T, mk func(int) *queue.Queue[int], immediate bool) {
		q := mk(0)
		require.NoError(t, q.Put(1))
		j1, j2 := goJoin(q), goJoin(q)
		testutil.WaitUntil(t, "both Joins are blocked", func() bool { return joiners(q) == 2 })
		q.Shutdown(immediate)
		if !immediate {
			testutil.NotReady(t, j1, "j1")
			v, err := q.Get()
			require.NoError(t, err)
			require.Equal(t, 1, v)
			testutil.NotReady(t, j1, "j1")
			q.TaskDone()
		}
		testutil.Recv(t, j1, "a receive from j1")
		testutil.Recv(t, j2, "a receive from j2")
	})
}

func TestShutdownPutJoin(t *testing.T) {
	both(t, func(t *testing.T, mk func(int) *queue.Queue[int], immediate bool) {
		q := mk(2)
		require.NoError(t, q.Put(1))
		goCh := make(chan struct{})
		perr := make(chan error, 1)
		go func() {
			<-goCh
			perr <- q.Put(2)
		}()
		j := goJoin(q)
		testutil.WaitUntil(t, "Join is blocked", func() bool { return joiners(q) == 1 })
		require.Equal(t, 1, q.Unfinished())
		q.Shutdown(immediate)
		close(goCh)
		if immediate {
			_, err := q.TryGet()
			require.ErrorIs(t, err, queue.ErrShutdown)
		} else {
			v, err := q.Get()
			require.NoError(t, err)
			require.Equal(t, 1, v)
			q.TaskDone()
		}
		require.ErrorIs(t, testutil.Recv(t, perr, "a receive from perr"), queue.ErrShutdown)
		testutil.Recv(t, j, "a receive from j")
	})
}

func TestShutdownGetTaskDoneJoin(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(2)
			require.NoError(t, q.Put(1))
			require.NoError(t, q.Put(2))
			require.Equal(t, q.Len(), q.Unfinished())
			goCh := make(chan struct{})
			res := make(chan error, 2)
			for range 2 {
				go func() {
					<-goCh
					_, err := q.Get()
					if err == nil {
						q.TaskDone()
					}
					res <- err
				}()
			}
			j1, j2 := goJoin(q), goJoin(q)
			close(goCh)
			q.Shutdown(false)
			require.NoError(t, testutil.Recv(t, res, "a receive from res"))
			require.NoError(t, testutil.Recv(t, res, "a receive from res"))
			testutil.Recv(t, j1, "a receive from j1")
			testutil.Recv(t, j2, "a receive from j2")
		})
	}
}

func TestShutdownPendingGet(t *testing.T) {
	both(t, func(t *testing.T, mk func(int) *queue.Queue[int], immediate bool) {
		q := mk(0)
		g1, g2 := goGet(q), goGet(q)
		testutil.WaitUntil(t, "both Gets are blocked", func() bool { return getters(q) == 2 })
		q.Shutdown(immediate)
		require.ErrorIs(t, testutil.Recv(t, g1, "a receive from g1").err, queue.ErrShutdown)
		require.ErrorIs(t, testutil.Recv(t, g2, "a receive from g2").err, queue.ErrShutdown)
		require.Zero(t, q.Unfinished())
	})
}

// TestShutdownImmediateCountsDiscardedAsDone: items already taken stay
// unfinished until their TaskDone; only the discarded ones count as done.
func TestShutdownImmediateCountsDiscardedAsDone(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(3)
			for i := range 3 {
				require.NoError(t, q.Put(i))
			}
			_, err := q.Get()
			require.NoError(t, err)
			p := goPut(q, 9) // room for it; then full again
			require.NoError(t, testutil.Recv(t, p, "a receive from p"))
			p = goPut(q, 10) // blocked on the full queue
			testutil.WaitUntil(t, "Put is blocked", func() bool { return putters(q) == 1 })
			require.Equal(t, 4, q.Unfinished())
			j := goJoin(q)
			testutil.WaitUntil(t, "Join is blocked", func() bool { return joiners(q) == 1 })

			q.Shutdown(true)
			require.ErrorIs(t, testutil.Recv(t, p, "a receive from p"), queue.ErrShutdown)
			require.Equal(t, 1, q.Unfinished(), "the taken item is still unfinished")
			require.Zero(t, q.Len())
			testutil.NotReady(t, j, "j")
			q.TaskDone()
			testutil.Recv(t, j, "a receive from j")
			require.PanicsWithValue(t, "queue: TaskDone called too many times", q.TaskDone)
		})
	}
}

// TestShutdownImmediateNeverGoesNegative: a TaskDone called ahead of its Get
// (allowed, as in Python) makes the count lower than the queued items; the
// discard stops at zero.
func TestShutdownImmediateNeverGoesNegative(t *testing.T) {
	q := queue.New[int](0)
	require.NoError(t, q.Put(1))
	require.NoError(t, q.Put(2))
	q.TaskDone()
	q.Shutdown(true)
	require.Zero(t, q.Unfinished())
	q.Join()
}

// TestShutdownWithContexts: context variants fail with ErrShutdown when the
// queue is shut down and their context is live, and wake from a block.
func TestShutdownWithContexts(t *testing.T) {
	both(t, func(t *testing.T, mk func(int) *queue.Queue[int], immediate bool) {
		q := mk(1)
		require.NoError(t, q.Put(1))
		perr := make(chan error, 1)
		go func() { perr <- q.PutContext(t.Context(), 2) }()
		testutil.WaitUntil(t, "PutContext is blocked", func() bool { return putters(q) == 1 })
		q.Shutdown(immediate)
		require.ErrorIs(t, testutil.Recv(t, perr, "a receive from perr"), queue.ErrShutdown)

		e := mk(0)
		gres := make(chan error, 1)
		go func() {
			_, err := e.GetContext(t.Context())
			gres <- err
		}()
		testutil.WaitUntil(t, "GetContext is blocked", func() bool { return getters(e) == 1 })
		e.Shutdown(immediate)
		require.ErrorIs(t, testutil.Recv(t, gres, "a receive from gres"), queue.ErrShutdown)
	})
}
