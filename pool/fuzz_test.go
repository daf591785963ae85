package pool_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/pool"
)

// FuzzBacklogModel drives a one-worker pool whose worker is held busy
// through a sequence of TrySubmit, TryGo, Cancel and Stats calls and checks
// each against a sequential model of the backlog; then it releases the
// worker and checks the order in which the tasks ran and the final Stats.
func FuzzBacklogModel(f *testing.F) {
	f.Add(uint8(3), []byte{0, 0, 1, 0, 4, 2, 0, 1, 1, 4})
	f.Add(uint8(0), []byte{0, 2, 4})
	f.Add(uint8(255), []byte{0, 0, 0, 1, 2, 1, 0, 1, 1, 4, 0, 2, 4})
	f.Fuzz(fuzzBody)
}

func fuzzBody(t *testing.T, bound uint8, ops []byte) {
	{
		var opts []pool.Option
		if bound < 8 {
			opts = append(opts, pool.WithBacklog(int(bound)))
		}
		p := pool.New(1, opts...)
		b := newBlocker()
		b.occupy(t, p, 1)

		type entry struct {
			id        int
			fut       *pool.Future[int]
			cancelled bool
			fails     bool
		}
		var (
			model     []*entry // submitted, in order
			queued    int
			cancelled int
			mu        sync.Mutex
			order     []int // ids, in the order they ran
		)
		full := func() bool { return bound < 8 && queued >= int(bound) }
		for k := 0; k < len(ops); k++ {
			switch ops[k] % 5 {
			case 0, 2: // TrySubmit, TryGo
				id := len(model)
				var err error
				var fut *pool.Future[int]
				fails := ops[k]%5 == 2
				if fails {
					err = p.TryGo(func(context.Context) error {
						mu.Lock()
						order = append(order, id)
						mu.Unlock()
						return errors.New("fail")
					})
				} else {
					fut, err = pool.TrySubmit(p, func(context.Context) (int, error) {
						mu.Lock()
						order = append(order, id)
						mu.Unlock()
						return id, nil
					})
				}
				if full() {
					require.ErrorIs(t, err, pool.ErrFull)
					require.Nil(t, fut)
					continue
				}
				require.NoError(t, err)
				model = append(model, &entry{id: id, fut: fut, fails: fails})
				queued++
			case 1: // Cancel
				if len(model) == 0 || k+1 >= len(ops) {
					continue
				}
				k++
				e := model[int(ops[k])%len(model)]
				if e.fut == nil {
					continue
				}
				require.Equal(t, !e.cancelled, e.fut.Cancel())
				if !e.cancelled {
					e.cancelled = true
					queued--
					cancelled++
				}
			case 3, 4: // Stats
				require.Equal(t, pool.Stats{Workers: 1, Running: 1, Queued: queued, Cancelled: cancelled}, p.Stats())
			}
		}
		b.open()
		p.Close()
		err := p.Wait()
		var want []int
		completed, failed := 1, 0 // the blocker completed
		for _, e := range model {
			if e.cancelled {
				continue
			}
			want = append(want, e.id)
			if e.fails {
				failed++
			} else {
				completed++
			}
		}
		require.Equal(t, want, order, "FIFO, cancelled tasks skipped")
		require.Equal(t, failed > 0, err != nil)
		require.Equal(t, pool.Stats{Completed: completed, Failed: failed, Cancelled: cancelled}, p.Stats())
		for _, e := range model {
			if e.fut != nil {
				v, err := e.fut.Result()
				if e.cancelled {
					require.ErrorIs(t, err, pool.ErrCancelled)
				} else {
					require.NoError(t, err)
					require.Equal(t, e.id, v)
				}
			}
		}
	}
}
