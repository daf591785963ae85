package cluster_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/cluster"
	"github.com/syncprim/syncprim/cluster/embedded"
)

func TestWorkerDiesMidTaskItemIsRedelivered(t *testing.T) {
	s := server(t)
	const after = 300 * time.Millisecond
	q := open(t, conn(t, s), cluster.RedeliverAfter(after))
	require.NoError(t, q.Put(7))

	dying := conn(t, s)
	w := openName[int](t, dying, q.Name(), cluster.RedeliverAfter(after))
	d, err := w.Get()
	require.NoError(t, err)
	require.Equal(t, 7, d.Value)
	dying.Close() // the worker's process is gone, no TaskDone

	require.ErrorIs(t, d.TaskDone(), cluster.ErrClosed)
	require.Equal(t, 1, unfinished(t, q)) // Join still waits for it
	join := goErr(q.Join)
	start := time.Now()
	d2, err := q.GetContext(ctxT(t))
	require.NoError(t, err)
	require.GreaterOrEqual(t, time.Since(start), after/2)
	require.Equal(t, 7, d2.Value)
	require.Equal(t, 2, d2.Attempt())
	notReady(t, join)
	require.NoError(t, d2.TaskDone())
	require.NoError(t, recv(t, join))
}

func TestServerRestartKeepsItemsAndJoinExact(t *testing.T) {
	dir := t.TempDir()
	start := func() *embedded.Server {
		s, err := embedded.Start(embedded.Dir(dir))
		require.NoError(t, err)
		return s
	}
	opts := []cluster.Option{cluster.RedeliverAfter(300 * time.Millisecond)}
	s := start()
	c, err := s.Connect()
	require.NoError(t, err)
	q, err := cluster.Open[int](ctxT(t), c, "restart", opts...)
	require.NoError(t, err)
	for i := range 5 {
		require.NoError(t, q.Put(i))
	}
	d, err := q.Get()
	require.NoError(t, err)
	require.NoError(t, d.TaskDone()) // 0 done before the restart
	_, err = q.Get()                 // 1 taken, never settled
	require.NoError(t, err)
	q.Close()
	c.Close()
	s.Shutdown()

	s = start()
	defer s.Shutdown()
	c = conn(t, s)
	q = openName[int](t, c, "restart", opts...)
	require.Equal(t, 4, unfinished(t, q))
	join := goErr(q.Join)
	seen := map[int]int{}
	for range 4 {
		d, err := q.GetContext(ctxT(t))
		require.NoError(t, err)
		seen[d.Value]++
		if len(seen) < 4 {
			notReady(t, join)
		}
		require.NoError(t, d.TaskDone())
	}
	require.Equal(t, map[int]int{1: 1, 2: 1, 3: 1, 4: 1}, seen)
	require.NoError(t, recv(t, join))
	require.Equal(t, 0, unfinished(t, q))
}

func TestClosedConnectionErrorsInsteadOfHanging(t *testing.T) {
	s := server(t)
	c := conn(t, s)
	q := open(t, c)
	get := goGet(q)
	join := func() <-chan error {
		require.NoError(t, q.Put(1))
		g := recv(t, get)
		require.NoError(t, g.err)
		return goErr(q.Join) // blocked on the held item
	}()
	get = goGet(q)
	notReady(t, get)
	notReady(t, join)
	c.Close()
	require.ErrorIs(t, recv(t, get).err, cluster.ErrClosed)
	require.ErrorIs(t, recv(t, join), cluster.ErrClosed)
	require.ErrorIs(t, q.Put(2), cluster.ErrClosed)
	_, err := q.TryGet()
	require.ErrorIs(t, err, cluster.ErrClosed)
	_, err = q.Len()
	require.ErrorIs(t, err, cluster.ErrClosed)
	require.ErrorIs(t, q.Shutdown(false), cluster.ErrClosed)
}

func TestPoisonItemIsDroppedWithAClearError(t *testing.T) {
	c := conn(t, server(t))
	q := open(t, c)
	require.NoError(t, q.Put(1))
	// Another program writes something that is not an int.
	_, err := c.JetStream().Publish(ctxT(t), "syncprim.queue."+q.Name(), []byte(`"not a number"`))
	require.NoError(t, err)
	require.NoError(t, q.Put(3))
	require.NoError(t, q.Shutdown(false))

	var got []int
	var errs []error
	for d, err := range q.All() {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, d.Value)
		require.NoError(t, d.TaskDone())
	}
	require.Equal(t, []int{1, 3}, got)
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], cluster.ErrUndecodable)
	var derr *cluster.DecodeError
	require.ErrorAs(t, errs[0], &derr)
	require.Equal(t, uint64(2), derr.Seq)
	require.Contains(t, errs[0].Error(), "cannot be decoded and was dropped")
	require.NoError(t, q.Join()) // the poison item counts as done, never redelivered
	require.Equal(t, 0, unfinished(t, q))
}

func TestProducersAndConsumersOnSeparateConnections(t *testing.T) {
	const producers, consumers, each = 4, 3, 50
	s := server(t)
	name := fmt.Sprintf("many%d", names.Add(1))
	joiner := openName[string](t, conn(t, s), name)

	var mu sync.Mutex
	acked := map[string]int{}
	var wg sync.WaitGroup
	for w := range consumers {
		q := openName[string](t, conn(t, s), name)
		wg.Go(func() {
			for d, err := range q.All() {
				if !assertNoError(t, err) {
					return
				}
				if assertNoError(t, d.TaskDone()) {
					mu.Lock()
					acked[d.Value]++
					mu.Unlock()
				}
			}
			_ = w
		})
	}
	var pg sync.WaitGroup
	for p := range producers {
		q := openName[string](t, conn(t, s), name)
		pg.Go(func() {
			for i := range each {
				assertNoError(t, q.Put(fmt.Sprintf("p%d-%d", p, i)))
			}
		})
	}
	pg.Wait()
	require.NoError(t, joiner.Join())
	mu.Lock()
	require.Len(t, acked, producers*each)
	for k, n := range acked {
		require.Equal(t, 1, n, k)
	}
	mu.Unlock()
	require.NoError(t, joiner.Shutdown(false))
	wg.Wait()
}

// assertNoError reports err without stopping the goroutine's test (t.Fatal
// belongs to the test goroutine).
func assertNoError(t *testing.T, err error) bool {
	if err != nil {
		t.Error(err)
		return false
	}
	return true
}
