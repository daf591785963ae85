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
// Wait decides the race between a grant and the end of ctx in one place, so
// that no caller repeats it. When ctx ends while the waiter is still queued,
// Wait removes it and calls the owner's undo with granted false, under the
// mutex, so the owner can repair its state (let the waiters behind a
// cancelled head proceed, say). When the waiter was granted but finds ctx
// done as it wakes, Wait calls undo with granted true, under the mutex, and
// the owner passes the grant on to the next waiter or back, exactly as if
// this caller had never queued. Either way Wait returns ctx.Err() and the
// call has changed nothing. An owner whose grants cannot be refused (a call
// that only waits for something that has happened) passes a nil undo: then a
// grant always wins.
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
	ready      chan struct{} // closed by Wake

	// Val is the payload the waiter and the goroutine that wakes it share.
	// Its meaning is the list owner's; it is read and written under the
	// owner's mutex.
	Val T
}

// Next returns the waiter queued after w, or nil.
func (w *Waiter[T]) Next() *Waiter[T] { return w.next }

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

// Len returns the number of queued waiters.
func (l *List[T]) Len() int { return l.len }

// Front returns the longest-waiting waiter, or nil.
func (l *List[T]) Front() *Waiter[T] { return l.head }

// PopFront takes the longest-waiting waiter off the list and returns it, or
// returns nil if the list is empty. The caller wakes it.
func (l *List[T]) PopFront() *Waiter[T] {
	w := l.head
	if w != nil {
		l.Take(w)
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
// without mu held, in one of two ways:
//   - granted: the waiter's Val as the waker left it, and nil;
//   - ctx ended first: the zero T and ctx.Err(), after undo ran under mu
//     (granted false: the waiter was still queued and has been removed;
//     granted true: it had been granted val, which undo must pass on).
//
// With a nil undo, a grant always wins, even over a done ctx. A ctx whose
// Done is nil (context.Background) waits for the grant only.
func (l *List[T]) Wait(ctx context.Context, mu sync.Locker, v T, undo func(val T, granted bool)) (T, error) {
	w := &Waiter[T]{ready: make(chan struct{}), Val: v}
	l.pushBack(w)
	return l.park(ctx, mu, w, undo)
}

// WaitFront is Wait for a waiter that must keep its place at the head of the
// line (one that was woken, lost a race, and waits again).
func (l *List[T]) WaitFront(ctx context.Context, mu sync.Locker, v T, undo func(val T, granted bool)) (T, error) {
	w := &Waiter[T]{ready: make(chan struct{}), Val: v}
	l.pushFront(w)
	return l.park(ctx, mu, w, undo)
}

func (l *List[T]) park(ctx context.Context, mu sync.Locker, w *Waiter[T], undo func(T, bool)) (T, error) {
	mu.Unlock()
	done := ctx.Done()
	if done == nil {
		<-w.ready
		return w.Val, nil
	}
	var zero T
	select {
	case <-w.ready:
		if undo == nil {
			return w.Val, nil
		}
		select {
		case <-done:
		default:
			return w.Val, nil
		}
	case <-done:
		mu.Lock()
		if w.queued {
			l.remove(w)
			if undo != nil {
				undo(w.Val, false)
			}
			mu.Unlock()
			return zero, ctx.Err()
		}
		mu.Unlock()
		<-w.ready // granted under mu before we took it: Wake has run
		if undo == nil {
			return w.Val, nil
		}
	}
	// Granted, but ctx had ended: give the grant back.
	mu.Lock()
	undo(w.Val, true)
	mu.Unlock()
	return zero, ctx.Err()
}
