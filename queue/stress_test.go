package queue_test

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/queue"
)

// TestMPMCStress: 50 producers and 50 consumers move 100,000 items. Every
// item is received exactly once, the task accounting is exact, and Join
// returns only after the last TaskDone. Consumers alternate Get, GetContext
// and TryGet, producers Put, PutContext and TryPut, so that every path and
// both hand-overs run.
func TestMPMCStress(t *testing.T) {
	const (
		producers = 50
		consumers = 50
		items     = 100_000
		perProd   = items / producers
	)
	for _, k := range kinds {
		for _, maxsize := range []int{0, 16} {
			t.Run(fmt.Sprintf("%s/maxsize=%d", k.name, maxsize), func(t *testing.T) {
				q := k.make(maxsize)
				seen := make([]atomic.Int32, items)
				var doneCalls atomic.Int64

				var prod sync.WaitGroup
				for p := range producers {
					prod.Go(func() {
						for j := range perProd {
							v := p*perProd + j
							var err error
							switch j % 3 {
							case 0:
								err = q.Put(v)
							case 1:
								err = q.PutContext(t.Context(), v)
							default:
								for err = q.TryPut(v); err == queue.ErrFull; err = q.TryPut(v) {
									runtime.Gosched()
								}
							}
							if err != nil {
								t.Errorf("put %d: %v", v, err)
								return
							}
						}
					})
				}
				var cons sync.WaitGroup
				for c := range consumers {
					cons.Go(func() {
						for j := 0; ; j++ {
							var v int
							var err error
							switch (c + j) % 3 {
							case 0:
								v, err = q.Get()
							case 1:
								v, err = q.GetContext(t.Context())
							default:
								if v, err = q.TryGet(); err == queue.ErrEmpty {
									runtime.Gosched()
									continue
								}
							}
							if err == queue.ErrShutdown {
								return
							}
							if err != nil {
								t.Errorf("get: %v", err)
								return
							}
							seen[v].Add(1)
							doneCalls.Add(1)
							q.TaskDone()
						}
					})
				}

				prod.Wait()
				// No more Puts: the count can only fall from here, so Join must
				// not return before the last of the 100,000 TaskDones.
				q.Join()
				require.EqualValues(t, items, doneCalls.Load(), "Join returned before the last TaskDone")
				require.Zero(t, q.Unfinished())
				q.Shutdown(false)
				cons.Wait()
				for v := range seen {
					if n := seen[v].Load(); n != 1 {
						t.Fatalf("item %d received %d times", v, n)
					}
				}
				require.Zero(t, q.Len())
			})
		}
	}
}
