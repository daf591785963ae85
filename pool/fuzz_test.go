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

// FuzzStreamsAgainstSequentialMap checks Map, Stream and StreamUnordered
// against a plain loop over the input, for any input, pool size and window.
func FuzzStreamsAgainstSequentialMap(f *testing.F) {
	f.Add(uint8(2), uint8(3), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add(uint8(1), uint8(1), []byte{7, 14})
	f.Add(uint8(4), uint8(16), []byte{})
	f.Fuzz(func(t *testing.T, workers, window uint8, in []byte) {
		p := pool.New(int(workers%5)+1, pool.WithWindow(int(window%20)+1))
		fn := func(_ context.Context, b byte) (int, error) {
			if b%7 == 0 {
				return 0, errors.New("seven")
			}
			return 2 * int(b), nil
		}
		type result struct {
			v   int
			err bool
		}
		var want []result
		anyErr := false
		for _, b := range in {
			v, err := fn(context.Background(), b)
			want = append(want, result{v, err != nil})
			anyErr = anyErr || err != nil
		}
		seq := func(yield func(byte) bool) {
			for _, b := range in {
				if !yield(b) {
					return
				}
			}
		}
		var got []result
		for v, err := range pool.Stream(context.Background(), p, seq, fn) {
			got = append(got, result{v, err != nil})
		}
		require.Equal(t, want, got, "Stream")
		got = got[:0]
		for v, err := range pool.StreamUnordered(context.Background(), p, seq, fn) {
			got = append(got, result{v, err != nil})
		}
		require.ElementsMatch(t, want, got, "StreamUnordered")
		out, err := pool.Map(context.Background(), p, in, fn)
		if anyErr {
			require.Error(t, err)
		} else {
			require.NoError(t, err)
			require.Len(t, out, len(in))
			for i, r := range want {
				require.Equal(t, r.v, out[i])
			}
		}
		p.Close()
		require.NoError(t, p.Wait())
		s := p.Stats()
		require.Equal(t, 3*len(in), sum(s), "every item accounted for")
		require.GreaterOrEqual(t, s.Completed+s.Failed, 2*len(in), "the streams ran every item")
	})
}
