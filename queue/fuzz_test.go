package queue_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/queue"
)

// fuzzItem has a small key, so that priority ties are common, and a unique
// id, so that the order among equal keys is visible.
type fuzzItem struct {
	key byte
	id  int
}

// model is the sequential specification: items in insertion order.
type model struct {
	order      int // 0 fifo, 1 lifo, 2 priority
	maxsize    int
	items      []fuzzItem
	unfinished int
	shut       bool
}

func (m *model) full() bool { return m.maxsize > 0 && len(m.items) >= m.maxsize }

// next is the index of the item a Get returns: the oldest, the newest, or
// the first (oldest) of those with the least key.
func (m *model) next() int {
	switch m.order {
	case 0:
		return 0
	case 1:
		return len(m.items) - 1
	}
	best := 0
	for i, it := range m.items {
		if it.key < m.items[best].key {
			best = i
		}
	}
	return best
}

func (m *model) take() fuzzItem {
	i := m.next()
	it := m.items[i]
	m.items = append(m.items[:i], m.items[i+1:]...)
	return it
}

// FuzzQueue drives a queue of each order and size with a byte string of
// operations (every form, with done contexts, TaskDone misuse and both
// shutdowns) and checks every result and the observable state against the
// model after each step.
func FuzzQueue(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 2, 2, 3, 4, 4})
	f.Add([]byte{1, 2, 0, 1, 0, 2, 0, 3, 2, 2, 5, 2, 2})
	f.Add([]byte{2, 3, 0, 3, 0, 1, 0, 3, 1, 2, 3, 3, 3, 6, 3, 4})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		m := &model{order: int(data[0] % 3), maxsize: int(data[1] % 5)}
		var q *queue.Queue[fuzzItem]
		switch m.order {
		case 0:
			q = queue.New[fuzzItem](m.maxsize)
		case 1:
			q = queue.NewLifo[fuzzItem](m.maxsize)
		default:
			q = queue.NewPriority(m.maxsize, func(a, b fuzzItem) bool { return a.key < b.key })
		}
		done, cancel := context.WithCancel(context.Background())
		cancel()

		ops := data[2:]
		for i := 0; i < len(ops); i++ {
			arg := byte(0)
			if i+1 < len(ops) {
				arg = ops[i+1]
			}
			it := fuzzItem{key: arg % 4, id: i}
			switch ops[i] % 9 {
			case 0, 1: // TryPut, or Put where it cannot block
				var err error
				if ops[i]%9 == 1 && (m.shut || !m.full()) {
					err = q.Put(it)
				} else {
					err = q.TryPut(it)
				}
				switch {
				case m.shut:
					require.ErrorIs(t, err, queue.ErrShutdown)
				case m.full():
					require.ErrorIs(t, err, queue.ErrFull)
				default:
					require.NoError(t, err)
					m.items = append(m.items, it)
					m.unfinished++
				}
				i++ // the argument byte
			case 2, 3: // TryGet, or Get where it cannot block
				var got fuzzItem
				var err error
				if ops[i]%9 == 3 && (m.shut || len(m.items) > 0) {
					got, err = q.Get()
				} else {
					got, err = q.TryGet()
				}
				switch {
				case len(m.items) > 0:
					require.NoError(t, err)
					require.Equal(t, m.take(), got)
				case m.shut:
					require.ErrorIs(t, err, queue.ErrShutdown)
				default:
					require.ErrorIs(t, err, queue.ErrEmpty)
				}
			case 4:
				if m.unfinished == 0 {
					require.PanicsWithValue(t, "queue: TaskDone called too many times", q.TaskDone)
				} else {
					q.TaskDone()
					m.unfinished--
				}
			case 5, 6:
				immediate := ops[i]%9 == 6
				q.Shutdown(immediate)
				m.shut = true
				if immediate {
					m.unfinished = max(m.unfinished-len(m.items), 0)
					m.items = nil
				}
			case 7: // done contexts: taking fails and changes nothing
				require.ErrorIs(t, q.PutContext(done, it), context.Canceled)
				_, err := q.GetContext(done)
				require.ErrorIs(t, err, context.Canceled)
			case 8:
				err := q.JoinContext(done)
				if m.unfinished == 0 {
					require.NoError(t, err)
					q.Join()
				} else {
					require.ErrorIs(t, err, context.Canceled)
				}
			}
			require.Equal(t, len(m.items), q.Len())
			require.Equal(t, len(m.items) == 0, q.Empty())
			require.Equal(t, m.full(), q.Full())
			require.Equal(t, m.unfinished, q.Unfinished())
			require.Equal(t, m.shut, q.IsShutdown())
		}
	})
}
