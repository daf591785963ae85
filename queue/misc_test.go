package queue_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/internal/testutil"
	"github.com/syncprim/syncprim/queue"
)

func TestZeroQueuePanics(t *testing.T) {
	const msg = "queue: use of zero Queue; create one with queue.New"
	var q queue.Queue[int]
	ctx := t.Context()
	calls := map[string]func(){
		"Put":         func() { _ = q.Put(1) },
		"TryPut":      func() { _ = q.TryPut(1) },
		"PutContext":  func() { _ = q.PutContext(ctx, 1) },
		"Get":         func() { _, _ = q.Get() },
		"TryGet":      func() { _, _ = q.TryGet() },
		"GetContext":  func() { _, _ = q.GetContext(ctx) },
		"TaskDone":    q.TaskDone,
		"Join":        q.Join,
		"JoinContext": func() { _ = q.JoinContext(ctx) },
		"Shutdown":    func() { q.Shutdown(false) },
		"Len":         func() { q.Len() },
		"Empty":       func() { q.Empty() },
		"Full":        func() { q.Full() },
		"Unfinished":  func() { q.Unfinished() },
		"IsShutdown":  func() { q.IsShutdown() },
		"All":         func() { q.All() },
		"String":      func() { _ = q.String() },
	}
	for name, call := range calls {
		require.PanicsWithValue(t, msg, call, name)
	}
}

func TestNewPriorityNilLessPanics(t *testing.T) {
	require.PanicsWithValue(t, "queue: NewPriority with a nil less function", func() {
		queue.NewPriority[int](0, nil)
	})
}

func TestNegativeMaxsizeIsUnbounded(t *testing.T) {
	for _, k := range kinds {
		q := k.make(-3)
		for i := range 1000 {
			require.NoError(t, q.TryPut(i))
		}
		require.False(t, q.Full())
	}
}

// TestPriorityIsStable: items with equal priority come out in the order they
// were put, across heap growth and interleaved Gets (Python's heap gives no
// such promise; test_queue.py only checks distinct values).
func TestPriorityIsStable(t *testing.T) {
	type job struct{ pri, seq int }
	q := queue.NewPriority(0, func(a, b job) bool { return a.pri < b.pri })
	rng := rand.New(rand.NewPCG(1, 2))
	var model []job
	seq := 0
	for round := range 2000 {
		if rng.IntN(3) != 0 || len(model) == 0 {
			j := job{rng.IntN(5), seq}
			seq++
			require.NoError(t, q.Put(j))
			model = append(model, j)
			continue
		}
		// The model's answer: least priority, then earliest put.
		best := 0
		for i, j := range model {
			if j.pri < model[best].pri {
				best = i
			}
		}
		got, err := q.Get()
		require.NoError(t, err)
		require.Equal(t, model[best], got, "round %d", round)
		model = slices.Delete(model, best, best+1)
	}
	for len(model) > 0 {
		got, err := q.Get()
		require.NoError(t, err)
		best := 0
		for i, j := range model {
			if j.pri < model[best].pri {
				best = i
			}
		}
		require.Equal(t, model[best], got)
		model = slices.Delete(model, best, best+1)
	}
}

func TestLifoOrder(t *testing.T) {
	q := queue.NewLifo[string](0)
	for _, s := range []string{"a", "b", "c"} {
		require.NoError(t, q.Put(s))
	}
	v, _ := q.Get()
	require.Equal(t, "c", v)
	require.NoError(t, q.Put("d"))
	var got []string
	for range 3 {
		v, err := q.Get()
		require.NoError(t, err)
		got = append(got, v)
	}
	require.Equal(t, []string{"d", "b", "a"}, got)
}

func TestString(t *testing.T) {
	q := queue.New[int](8)
	require.Equal(t, "queue.Queue(fifo, 0/8 items, 0 unfinished, 0 getters, 0 putters waiting)", q.String())
	require.NoError(t, q.Put(1))
	require.NoError(t, q.Put(2))
	_, _ = q.Get()
	q.Shutdown(false)
	require.Equal(t, "queue.Queue(fifo, 1/8 items, 2 unfinished, 0 getters, 0 putters waiting, shut down)", q.String())

	l := queue.NewLifo[int](0)
	g := goGet(l)
	testutil.WaitUntil(t, "Get is blocked", func() bool { return getters(l) == 1 })
	require.Equal(t, "queue.Queue(lifo, 0 items, 0 unfinished, 1 getters, 0 putters waiting)", l.String())
	l.Shutdown(true)
	testutil.Recv(t, g, "a receive from g")
	require.Equal(t, "queue.Queue(lifo, 0 items, 0 unfinished, 0 getters, 0 putters waiting, shut down immediately)", l.String())

	p := queue.NewPriority(1, func(a, b int) bool { return a < b })
	require.NoError(t, p.Put(1))
	pp := goPut(p, 2)
	testutil.WaitUntil(t, "Put is blocked", func() bool { return putters(p) == 1 })
	require.Equal(t, "queue.Queue(priority, 1/1 items, 1 unfinished, 0 getters, 1 putters waiting)", p.String())
	p.Shutdown(false)
	testutil.Recv(t, pp, "a receive from pp")
}

func TestAllEndsAtShutdownAfterDraining(t *testing.T) {
	q := queue.New[int](2)
	go func() {
		for i := range 10 {
			_ = q.Put(i)
		}
		q.Shutdown(false)
	}()
	var got []int
	for v := range q.All() {
		got = append(got, v)
		q.TaskDone()
	}
	require.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, got)
	require.Zero(t, q.Unfinished(), "the loop body called TaskDone; All did not call it again")
}

func TestAllDoesNotCallTaskDone(t *testing.T) {
	q := queue.New[int](0)
	require.NoError(t, q.Put(1))
	require.NoError(t, q.Put(2))
	for v := range q.All() {
		require.Equal(t, 1, v)
		break // takes no further item
	}
	require.Equal(t, 1, q.Len())
	require.Equal(t, 2, q.Unfinished())
}

func TestAllSharesItemsBetweenConsumers(t *testing.T) {
	q := queue.New[int](4)
	const n = 1000
	var mu sync.Mutex
	seen := map[int]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for v := range q.All() {
				mu.Lock()
				seen[v]++
				mu.Unlock()
				q.TaskDone()
			}
		})
	}
	for i := range n {
		require.NoError(t, q.Put(i))
	}
	q.Join()
	q.Shutdown(false)
	wg.Wait()
	require.Len(t, seen, n)
	for v, c := range seen {
		require.Equal(t, 1, c, "item %d", v)
	}
}

func TestAllOnImmediateShutdownStopsAtOnce(t *testing.T) {
	q := queue.New[int](0)
	require.NoError(t, q.Put(1))
	q.Shutdown(true)
	for range q.All() {
		t.Fatal("an immediate shutdown leaves nothing to range over")
	}
}

// TestSteadyStateAllocatesNothing: the ring and the heap grow by doubling,
// and blocked callers reuse pooled waiters.
func TestSteadyStateAllocatesNothing(t *testing.T) {
	for _, k := range kinds {
		q := k.make(64)
		for i := range 64 {
			require.NoError(t, q.Put(i))
		}
		for range 64 {
			_, _ = q.Get()
			q.TaskDone()
		}
		allocs := testing.AllocsPerRun(1000, func() {
			_ = q.Put(1)
			_ = q.TryPut(2)
			_ = q.PutContext(context.Background(), 3)
			_, _ = q.Get()
			_, _ = q.TryGet()
			_, _ = q.GetContext(context.Background())
			q.TaskDone()
			q.TaskDone()
			q.TaskDone()
			q.Join()
		})
		require.Zero(t, allocs, k.name)
	}
}

// TestBlockingHandOverCostsOneWaiterPerPark: a parked Get allocates its
// waiter record and channel (two allocations) and the queue keeps nothing
// of them, so nothing is tied to GOMAXPROCS, to GC cycles or to a
// testing/synctest bubble. Each run parks at most two getters.
func TestBlockingHandOverCostsOneWaiterPerPark(t *testing.T) {
	q := queue.New[int](0)
	back := queue.New[int](0)
	go func() {
		for v := range q.All() {
			_ = back.Put(v)
		}
	}()
	allocs := testing.AllocsPerRun(2000, func() {
		_ = q.Put(1)
		_, _ = back.Get()
	})
	q.Shutdown(false)
	require.LessOrEqual(t, allocs, 4.0)
}

// TestJoinReturnsAtTheLastTaskDone: a parked Join stays parked through every
// TaskDone but the last, and is released by the last one itself.
func TestJoinReturnsAtTheLastTaskDone(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			q := k.make(0)
			for i := range 5 {
				require.NoError(t, q.Put(i))
				_, err := q.Get()
				require.NoError(t, err)
			}
			j1, j2 := goJoin(q), goJoin(q)
			testutil.WaitUntil(t, "both Joins are parked", func() bool { return joiners(q) == 2 })
			for range 4 {
				q.TaskDone()
				require.Equal(t, 2, joiners(q), "a Join was released early")
			}
			q.TaskDone()
			require.Zero(t, joiners(q), "the last TaskDone did not release the Joins")
			testutil.Recv(t, j1, "a receive from j1")
			testutil.Recv(t, j2, "a receive from j2")
		})
	}
}
