package queue_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/syncprim/syncprim/queue"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// kinds are the three orders, built by name so that every Python test runs
// against each, as test_queue.py does with its mixin classes.
var kinds = []struct {
	name string
	make func(maxsize int) *queue.Queue[int]
}{
	{"fifo", queue.New[int]},
	{"lifo", queue.NewLifo[int]},
	{"priority", func(n int) *queue.Queue[int] {
		return queue.NewPriority(n, func(a, b int) bool { return a < b })
	}},
}

func getters[T any](q *queue.Queue[T]) int { g, _, _ := q.Waiting(); return g }
func putters[T any](q *queue.Queue[T]) int { _, p, _ := q.Waiting(); return p }
func joiners[T any](q *queue.Queue[T]) int { _, _, j := q.Waiting(); return j }

// result is what a goroutine's blocking call returned.
type result struct {
	v   int
	err error
}

// goGet runs q.Get in a goroutine and returns the channel its result arrives on.
func goGet(q *queue.Queue[int]) <-chan result {
	ch := make(chan result, 1)
	go func() {
		v, err := q.Get()
		ch <- result{v, err}
	}()
	return ch
}

// goPut runs q.Put(v) in a goroutine and returns the channel its error arrives on.
func goPut(q *queue.Queue[int], v int) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- q.Put(v) }()
	return ch
}

// goJoin runs q.Join in a goroutine; the channel is closed when it returns.
func goJoin(q *queue.Queue[int]) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		q.Join()
		close(ch)
	}()
	return ch
}
