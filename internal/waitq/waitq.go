// Package waitq is the FIFO list of parked goroutines that every blocking
// primitive in syncprim is built on: lock's slow path, semaphore, condition,
// queue and pool.
//
// The owner of a List guards it with its own mutex. A goroutine that must
// block takes a Waiter with Get, fills in what it asks for (N) or carries
// (Val), pushes it with PushBack while holding the mutex, unlocks, and calls
// Park. Another goroutine grants the waiter by removing it from the list and
// calling Wake, both under the same mutex; it may hand a value over in Val
// before waking it.
//
// Park resolves the race between a grant and a cancelled context in one place:
// when the context ends, Park takes the mutex and looks whether the waiter is
// still queued. If it is, nobody granted it: Park removes it and returns false
// with the mutex still held, so the caller can repair its own state (let the
// waiters behind a cancelled head proceed, say) before unlocking. If it is
// not, the grant won the race and Park returns true as if the context had not
// ended. Either way nothing is lost: a grant is never both given and refused.
//
// Waiters are reused (through a sync.Pool per List), so a parked goroutine
// costs no allocation in steady state. The price: a waiter's channel belongs
// to the testing/synctest bubble it was made in, and a List used both inside
// and outside one bubble dies with "receive on synctest channel from outside
// bubble". Every public primitive documents this: create it inside the bubble.
package waitq

import (
	"context"
	"sync"
)

// Waiter is one parked goroutine in a List.
type Waiter[T any] struct {
	next, prev *Waiter[T]
	queued     bool
	ready      chan struct{} // one token per Wake

	// N is what the waiter asks for (a semaphore's weight); the owner's business.
	N int
	// Val is a value the waiter carries (a putter's item) or is handed (a
	// getter's item); the owner's business.
	Val T
}

// List is a FIFO of waiters. The zero value is an empty list. A List is not
// safe for concurrent use: its owner guards it with a mutex.
type List[T any] struct {
	head, tail *Waiter[T]
	len        int
	free       sync.Pool
}

// Get returns a fresh waiter, reusing one that Put gave back when it can.
func (l *List[T]) Get() *Waiter[T] {
	if w, ok := l.free.Get().(*Waiter[T]); ok {
		return w
	}
	return &Waiter[T]{ready: make(chan struct{}, 1)}
}

// Put gives w back for reuse. w must not be queued, must have consumed every
// Wake (Park returned), and must not be used again by the caller.
func (l *List[T]) Put(w *Waiter[T]) {
	if w.queued {
		panic("waitq: Put of a queued waiter")
	}
	var zero T
	w.N, w.Val = 0, zero
	l.free.Put(w)
}

// Len returns the number of queued waiters.
func (l *List[T]) Len() int { return l.len }

// Front returns the longest-waiting waiter, or nil.
func (l *List[T]) Front() *Waiter[T] { return l.head }

// Next returns the waiter queued after w, or nil.
func (w *Waiter[T]) Next() *Waiter[T] { return w.next }

// Queued reports whether w is in a list.
func (w *Waiter[T]) Queued() bool { return w.queued }

// PushBack queues w last.
func (l *List[T]) PushBack(w *Waiter[T]) {
	l.check(w)
	w.prev, w.next = l.tail, nil
	if l.tail == nil {
		l.head = w
	} else {
		l.tail.next = w
	}
	l.tail = w
	w.queued = true
	l.len++
}

// PushFront queues w first (for a waiter that lost a race and must keep its place).
func (l *List[T]) PushFront(w *Waiter[T]) {
	l.check(w)
	w.prev, w.next = nil, l.head
	if l.head == nil {
		l.tail = w
	} else {
		l.head.prev = w
	}
	l.head = w
	w.queued = true
	l.len++
}

func (l *List[T]) check(w *Waiter[T]) {
	if w.queued {
		panic("waitq: waiter queued twice")
	}
}

// Remove takes w out of the list. It reports false if w was not queued.
// w must be queued in l, if anywhere.
func (l *List[T]) Remove(w *Waiter[T]) bool {
	if !w.queued {
		return false
	}
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
	return true
}

// PopFront removes and returns the longest-waiting waiter, or nil.
func (l *List[T]) PopFront() *Waiter[T] {
	w := l.head
	if w != nil {
		l.Remove(w)
	}
	return w
}

// Wake grants w: Park on w returns true. w must already be removed from its
// list, under the owner's mutex, and must be woken once per Park.
func (w *Waiter[T]) Wake() {
	if w.queued {
		panic("waitq: Wake of a queued waiter")
	}
	w.ready <- struct{}{}
}

// Park blocks until w is woken, returning true, or until ctx is done.
// mu is the owner's mutex, guarding l; it must not be held on entry.
//
// If ctx ends while w is still queued, Park removes w from l and returns
// false WITH mu HELD: the caller repairs its state and unlocks mu. If w was
// granted first, Park returns true (mu not held) even though ctx is done.
// A nil-Done context (context.Background) makes Park wait for the grant only.
func (l *List[T]) Park(ctx context.Context, mu sync.Locker, w *Waiter[T]) bool {
	done := ctx.Done()
	if done == nil {
		<-w.ready
		return true
	}
	select {
	case <-w.ready:
		return true
	case <-done:
	}
	mu.Lock()
	if l.Remove(w) {
		return false
	}
	// A grant was given under mu before we got it: its token is sent already.
	mu.Unlock()
	<-w.ready
	return true
}
