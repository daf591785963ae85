// Package waitq is the one place where a syncprim primitive parks a
// goroutine: lock's slow path, semaphore, condition, barrier, queue and pool
// all wait through List.Wait.
//
// # Protocol
//
// The owner of a List guards it with its own mutex. A goroutine that must
// block calls Wait with that mutex held and a payload of the list's type
// (what it asks for, like a semaphore's weight, or what it carries, like a
// putter's item). Wait queues it, releases the mutex and parks. Another
// goroutine grants a waiter by taking it off the list with PopFront (or Take)
// and calling Wake, both under the same mutex; it may change the waiter's Val
// before waking it, to hand something over. Wait then returns the Val the
// waker left.
//
// # Cancellation: the context that ended first wins
//
// The race between a grant and the end of a waiter's context is decided in
// one place, under the owner's mutex, so that no caller repeats it. Front
// and PopFront never return a waiter whose context has ended: they drop it
// from the list and wake it, and its Wait returns ctx.Err(). So when a
// cancel happens before the Release, Unlock, Put or Notify that would have
// served a waiter, that call serves the next waiter instead, exactly as if
// the cancelled one had never queued; and a waiter that was granted keeps
// its grant even if its context ends a moment later. When a waiter's context
// ends while nobody is serving the line, Wait removes the waiter itself and
// calls the owner's left function under the mutex, so the owner can repair
// its state (let the waiters behind a cancelled head proceed, say).
//
// # Memory and testing/synctest
//
// Every Wait allocates its waiter and its channel, about 150 bytes for a
// small payload, and keeps nothing after it returns: an uncontended List is
// three words, and nothing grows with GOMAXPROCS, with garbage collections or
// with the number of waits. Because no channel outlives the Wait that made
// it, a primitive may be contended in one testing/synctest bubble, then
// outside, then in another; a goroutine parked here is durably blocked, as
// synctest requires.
package waitq

import (
	"context"
	"sync"
)

// Waiter is one parked goroutine in a List.
type Waiter[T any] struct {
	next, prev *Waiter[T]
	queued     bool
	dropped    bool            // its context ended first: Wait fails
	done       <-chan struct{} // its context's Done, nil if it cannot end
	ready      chan struct{}   // closed by Wake

	// Val is the payload the waiter and the goroutine that wakes it share.
	// Its meaning is the list owner's; it is read and written under the
	// owner's mutex.
	Val T
}

// Wake grants w: the Wait that queued it returns. w must already be off its
// list (PopFront or Take), under the owner's mutex, and is woken once.
func (w *Waiter[T]) Wake() {
	if w.queued {
		panic(msgWakeQueued)
	}
	close(w.ready)
}

// List is a first-in first-out line of waiters. The zero value is an empty
// list. A List is not safe for concurrent use: its owner guards it with a
// mutex, and every method but Wait is called with that mutex held.
type List[T any] struct {
	head, tail *Waiter[T]
	len        int
}

// The panic messages (internal invariants, not user misuse).
const (
	msgWakeQueued = "waitq: Wake of a queued waiter"
	msgTakeFree   = "waitq: Take of a waiter that is not queued"
)

// Len returns the number of queued waiters, including any whose context
// has ended and that Front has not dropped yet.
func (l *List[T]) Len() int { return l.len }

// Front returns the longest-waiting waiter whose context has not ended, or
// nil. Waiters ahead of it whose context has ended are dropped on the way:
// taken off the list and woken, so that their Wait fails with ctx.Err().
func (l *List[T]) Front() *Waiter[T] {
	if l.head == nil {
		return nil // inlined: an empty list costs a load
	}
	return l.front()
}

func (l *List[T]) front() *Waiter[T] {
	for w := l.head; w != nil; w = l.head {
		if w.done == nil {
			return w
		}
		select {
		case <-w.done:
			l.remove(w)
			w.dropped = true
			close(w.ready)
		default:
			return w
		}
	}
	return nil
}

// PopFront takes the waiter Front would return off the list and returns
// it, or returns nil. The caller wakes it.
func (l *List[T]) PopFront() *Waiter[T] {
	if l.head == nil {
		return nil
	}
	return l.popFront()
}

func (l *List[T]) popFront() *Waiter[T] {
	w := l.front()
	if w != nil {
		l.remove(w)
	}
	return w
}

// Take takes w, which must be queued in l, off the list, wherever it is.
// The caller wakes it.
func (l *List[T]) Take(w *Waiter[T]) {
	if !w.queued {
		panic(msgTakeFree)
	}
	l.remove(w)
}

func (l *List[T]) remove(w *Waiter[T]) {
	if w.prev == nil {
		l.head = w.next
	} else {
		w.prev.next = w.next
	}
	if w.next == nil {
		l.tail = w.prev
	} else {
		w.next.prev = w.prev
	}
	w.next, w.prev, w.queued = nil, nil, false
	l.len--
}

func (l *List[T]) pushBack(w *Waiter[T]) {
	w.prev = l.tail
	if l.tail == nil {
		l.head = w
	} else {
		l.tail.next = w
	}
	l.tail = w
	w.queued = true
	l.len++
}

func (l *List[T]) pushFront(w *Waiter[T]) {
	w.next = l.head
	if l.head == nil {
		l.tail = w
	} else {
		l.head.prev = w
	}
	l.head = w
	w.queued = true
	l.len++
}

// Wait queues the caller last with payload v, releases mu (held on entry;
// it guards l) and blocks until a waker grants it or ctx ends. It returns
// without mu held: the waiter's Val as the waker left it and nil when
// granted, or the zero T and ctx.Err() when ctx ended first. If ctx ended
// while the waiter was still queued and no waker had dropped it, Wait takes
// it off the list and calls left(v) under mu before it returns, so the
// owner can repair what the waiter's leaving changes; left may be nil.
// A ctx whose Done is nil (context.Background) waits for the grant only.
func (l *List[T]) Wait(ctx context.Context, mu sync.Locker, v T, left func(T)) (T, error) {
	w := newWaiter(ctx, v)
	l.pushBack(w)
	return l.park(ctx, mu, w, left)
}

// WaitFront is Wait for a waiter that must keep its place at the head of the
// line (one that was woken, lost a race, and waits again).
func (l *List[T]) WaitFront(ctx context.Context, mu sync.Locker, v T, left func(T)) (T, error) {
	w := newWaiter(ctx, v)
	l.pushFront(w)
	return l.park(ctx, mu, w, left)
}

// newWaiter makes the waiter of one Wait: a fresh record and channel, so
// that nothing of it outlives the Wait (or ties the list to a synctest
// bubble).
func newWaiter[T any](ctx context.Context, v T) *Waiter[T] {
	return &Waiter[T]{done: ctx.Done(), ready: make(chan struct{}), Val: v}
}

func (l *List[T]) park(ctx context.Context, mu sync.Locker, w *Waiter[T], left func(T)) (T, error) {
	mu.Unlock()
	var zero T
	if w.done == nil {
		<-w.ready
		return w.Val, nil
	}
	select {
	case <-w.ready:
	case <-w.done:
		mu.Lock()
		if w.queued {
			l.remove(w)
			if left != nil {
				left(w.Val)
			}
			mu.Unlock()
			return zero, ctx.Err()
		}
		mu.Unlock()
		<-w.ready // granted or dropped under mu before we took it
	}
	if w.dropped {
		return zero, ctx.Err()
	}
	return w.Val, nil
}
