// Package event provides Event, Go's counterpart of Python's threading.Event:
// a flag that goroutines can wait for, set and clear.
//
// Compared with Python:
//
//	e = threading.Event()        var e event.Event
//	e.set()                      e.Set()
//	e.clear()                    e.Clear()
//	e.is_set()                   e.IsSet()
//	e.wait()                     e.Wait()
//	e.wait(timeout=1.0)          ctx, cancel := context.WithTimeout(ctx, time.Second)
//	                             err := e.WaitContext(ctx) // nil when set
//
// Done returns a channel that is closed when the event is set, for use in a
// select statement next to other channels.
package event

import (
	"context"
	"sync"
	"sync/atomic"
)

// closedChan is handed out by Done for an event that is set and whose own
// channel was never made, so that Done on a set event never allocates.
var closedChan = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// Event is a flag with waiters, like Python's threading.Event. The zero value
// is an event that is not set.
//
// Every goroutine waiting when Set is called returns, even if Clear follows at
// once: each waiter waits on the channel of its generation, which Set closes,
// and Clear only starts a new channel for later waiters.
//
// Memory model: a call to Set synchronizes before every Wait or WaitContext
// that returns nil because of it, before every IsSet that observes it, and
// before every receive that completes because Set closed a channel returned by
// Done.
//
// An Event must not be copied after first use.
type Event struct {
	mu  sync.Mutex    // guards ch and every change of set
	set atomic.Bool   // read without mu on the fast paths
	ch  chan struct{} // the current generation's channel, made lazily; closed by Set
	// fetches counts the channels handed to Wait and WaitContext (not
	// Done), under mu; only the tests read it, to know that a goroutine is
	// waiting.
	fetches uint64
}

// IsSet reports whether the event is set. It never blocks or allocates.
func (e *Event) IsSet() bool {
	return e.set.Load()
}

// Set sets the event and wakes every goroutine waiting for it: all current
// and later Wait and WaitContext calls return nil, and the channel from Done
// is closed, until Clear is called. Setting a set event does nothing.
func (e *Event) Set() {
	if e.set.Load() {
		return
	}
	e.mu.Lock()
	if !e.set.Load() {
		e.set.Store(true)
		if e.ch != nil {
			close(e.ch)
		}
	}
	e.mu.Unlock()
}

// Clear resets the event, so that later Wait calls block until the next Set.
// Goroutines that were waiting at an earlier Set still return nil, a channel
// that an earlier Set closed stays closed, and the next Done returns a new
// channel. Clearing an event that is not set does nothing.
func (e *Event) Clear() {
	if !e.set.Load() {
		return
	}
	e.mu.Lock()
	if e.set.Load() {
		e.set.Store(false)
		e.ch = nil // the next waiter makes a new channel
	}
	e.mu.Unlock()
}

// Wait blocks until the event is set. It returns at once, without allocating,
// if the event is set already.
func (e *Event) Wait() {
	if e.set.Load() {
		return
	}
	<-e.wait()
}

// WaitContext blocks until the event is set or ctx is done. It returns nil if
// the event was set (even when ctx is done too: waiting for something that has
// already happened succeeds whatever the context's state) and ctx.Err()
// otherwise. It changes nothing either way. It returns at once, without
// allocating, if the event is set already.
func (e *Event) WaitContext(ctx context.Context) error {
	if e.set.Load() {
		return nil
	}
	return e.waitContext(ctx)
}

func (e *Event) waitContext(ctx context.Context) error {
	c := e.wait()
	select {
	case <-c:
		return nil
	case <-ctx.Done():
		// A Set that raced with the end of ctx wins: it has happened.
		select {
		case <-c:
			return nil
		default:
			return ctx.Err()
		}
	}
}

// Done returns a channel that is closed when the event is set, for select
// statements. The channel belongs to the current generation: once closed it
// stays closed, and after Clear the next Done returns a new channel. On a set
// event Done returns an already-closed channel without allocating.
func (e *Event) Done() <-chan struct{} {
	if e.set.Load() {
		return closedChan
	}
	return e.channel(false)
}

// wait returns the channel a waiter blocks on, counting the waiter.
func (e *Event) wait() chan struct{} {
	return e.channel(true)
}

// channel returns the current generation's channel, making it if needed.
func (e *Event) channel(waiter bool) chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	if waiter {
		e.fetches++
	}
	if e.set.Load() {
		if e.ch == nil {
			return closedChan
		}
		return e.ch
	}
	if e.ch == nil {
		e.ch = make(chan struct{})
	}
	return e.ch
}
