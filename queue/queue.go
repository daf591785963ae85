package queue

import (
	"errors"
	"fmt"
	"sync"

	"github.com/syncprim/syncprim/internal/ring"
	"github.com/syncprim/syncprim/internal/waitq"
)

// Errors returned by the non-blocking and shut-down paths, testable with
// errors.Is.
var (
	// ErrEmpty is returned by TryGet when no item is queued.
	ErrEmpty = errors.New("queue: empty")
	// ErrFull is returned by TryPut when a bounded queue holds maxsize items.
	ErrFull = errors.New("queue: full")
	// ErrShutdown is returned by every Put after Shutdown, and by every Get
	// once a shut-down queue has no items left to return.
	ErrShutdown = errors.New("queue: shut down")
)

const (
	msgZero       = "queue: use of zero Queue; create one with queue.New"
	msgTaskDone   = "queue: TaskDone called too many times"
	msgNilContext = "queue: nil Context"
	msgNilLess    = "queue: NewPriority with a nil less function"
)

// order is how a Queue hands its items out.
type order uint8

const (
	orderNone order = iota // zero Queue: not created by a constructor
	orderFIFO
	orderLIFO
	orderPriority
)

// state is the shut-down state; it only ever grows.
type state uint8

const (
	open state = iota
	shutGraceful
	shutImmediate
)

// handover is what a parked Get or Put and the call that serves it share:
// the item (handed to a getter, or carried by a putter) and whether the
// waiter was served (ok) or refused by Shutdown.
type handover[T any] struct {
	item T
	ok   bool
}

// Queue is a multi-producer, multi-consumer queue of T, safe for concurrent
// use. Create one with New (FIFO), NewLifo or NewPriority; the zero Queue is
// not usable and its methods panic. A Queue must not be copied after first
// use.
type Queue[T any] struct {
	mu         sync.Mutex
	order      order
	state      state
	maxsize    int // <= 0: unbounded
	unfinished int // items put and not yet accounted for by TaskDone

	items ring.Buffer[T] // FIFO and LIFO store
	heap  heap[T]        // priority store

	getters waitq.List[handover[T]] // parked Gets; only while no item is queued
	putters waitq.List[handover[T]] // parked Puts with their items; only while full
	joiners waitq.List[struct{}]    // parked Joins; only while unfinished > 0
}

// New returns a first-in first-out queue, Python's queue.Queue, holding at
// most maxsize items; maxsize <= 0 means unbounded.
func New[T any](maxsize int) *Queue[T] {
	return &Queue[T]{order: orderFIFO, maxsize: maxsize}
}

// NewLifo returns a last-in first-out queue (a stack), Python's
// queue.LifoQueue, holding at most maxsize items; maxsize <= 0 means
// unbounded.
func NewLifo[T any](maxsize int) *Queue[T] {
	return &Queue[T]{order: orderLIFO, maxsize: maxsize}
}

// NewPriority returns a priority queue, Python's queue.PriorityQueue, that
// hands out the least item first according to less, holding at most maxsize
// items; maxsize <= 0 means unbounded. Unlike Python's heap, items that are
// equal (neither is less than the other) come out in the order they were
// put. less must be a strict weak order; it runs while the queue is locked,
// so it must neither call the queue nor panic. A nil less panics.
func NewPriority[T any](maxsize int, less func(a, b T) bool) *Queue[T] {
	if less == nil {
		panic(msgNilLess)
	}
	return &Queue[T]{order: orderPriority, maxsize: maxsize, heap: heap[T]{less: less}}
}

// check panics on a zero Queue. The order never changes after construction,
// so reading it without the mutex is safe.
func (q *Queue[T]) check() {
	if q.order == orderNone {
		panic(msgZero)
	}
}

// size, push and pop reach the store; q.mu must be held.
func (q *Queue[T]) size() int {
	if q.order == orderPriority {
		return q.heap.len()
	}
	return q.items.Len()
}

func (q *Queue[T]) push(v T) {
	if q.order == orderPriority {
		q.heap.push(v)
		return
	}
	q.items.PushBack(v)
}

func (q *Queue[T]) pop() T {
	switch q.order {
	case orderFIFO:
		return q.items.PopFront()
	case orderLIFO:
		return q.items.PopBack()
	default:
		return q.heap.pop()
	}
}

// full reports whether a bounded queue has no room; q.mu must be held.
func (q *Queue[T]) full() bool {
	return q.maxsize > 0 && q.size() >= q.maxsize
}

// Len returns the number of items queued now (Python's qsize). Like Empty and
// Full, it is a snapshot that other goroutines may make stale at once. Items
// handed straight to a waiting getter are never counted.
func (q *Queue[T]) Len() int {
	q.check()
	q.mu.Lock()
	n := q.size()
	q.mu.Unlock()
	return n
}

// Empty reports whether no item is queued now.
func (q *Queue[T]) Empty() bool { return q.Len() == 0 }

// Full reports whether a bounded queue holds maxsize items now. An unbounded
// queue is never full.
func (q *Queue[T]) Full() bool {
	q.check()
	q.mu.Lock()
	f := q.full()
	q.mu.Unlock()
	return f
}

// Unfinished returns the number of items put and not yet accounted for by
// TaskDone (Python's unfinished_tasks); Join waits for it to reach zero.
func (q *Queue[T]) Unfinished() int {
	q.check()
	q.mu.Lock()
	n := q.unfinished
	q.mu.Unlock()
	return n
}

// IsShutdown reports whether Shutdown has been called (Python's is_shutdown).
func (q *Queue[T]) IsShutdown() bool {
	q.check()
	q.mu.Lock()
	s := q.state != open
	q.mu.Unlock()
	return s
}

// String describes the queue for logs and debugging, for example
// "queue.Queue(fifo, 3/8 items, 5 unfinished, 0 getters, 2 putters waiting)"
// with ", shut down" or ", shut down immediately" appended after Shutdown.
func (q *Queue[T]) String() string {
	q.check()
	q.mu.Lock()
	n, unfinished := q.size(), q.unfinished
	getters, putters, st := q.getters.Len(), q.putters.Len(), q.state
	q.mu.Unlock()
	kind := [...]string{orderFIFO: "fifo", orderLIFO: "lifo", orderPriority: "priority"}[q.order]
	items := fmt.Sprintf("%d items", n)
	if q.maxsize > 0 {
		items = fmt.Sprintf("%d/%d items", n, q.maxsize)
	}
	s := fmt.Sprintf("queue.Queue(%s, %s, %d unfinished, %d getters, %d putters waiting",
		kind, items, unfinished, getters, putters)
	switch st {
	case shutGraceful:
		s += ", shut down"
	case shutImmediate:
		s += ", shut down immediately"
	}
	return s + ")"
}
