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

// The panic messages.
const msgNilContext = "event: nil Context"

// closedChan is what Done returns for a set event, whether or not the event's
// own channel was ever made, so that Done on a set event never allocates or
// locks.
var closedChan = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// The bits of Event.state.
const (
	isSet   = 1 // the event is set
	hasChan = 2 // Event.ch is not nil; changes only under Event.mu
)

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
// IsSet, and Wait, WaitContext and Done on a set event, are one atomic load
// and never allocate. Set and Clear are one compare-and-swap while no
// goroutine has needed a channel in the current generation; a goroutine that
// waits makes the channel (one allocation, shared by every waiter of the
// generation) and from then on Set and Clear take a mutex. A channel that
// every waiter gave up on is dropped, so an idle Event holds none.
//
// An Event must not be copied after first use.
type Event struct {
	// state holds isSet and hasChan. While hasChan is clear, isSet may
	// change by compare-and-swap without mu; while hasChan is set, state
	// changes only under mu.
	state atomic.Uint32
	mu    sync.Mutex
	ch    chan struct{} // guarded by mu: the generation's channel, closed by Set
	// holders counts the Wait and WaitContext calls blocked on ch, and
	// shared says Done handed ch out; both under mu. When the last holder
	// leaves because its context ended and Done never handed ch out, the
	// channel goes: nothing of a wait outlives it, so an Event used in one
	// testing/synctest bubble can be used outside it or in another.
	holders int
	shared  bool
}

// IsSet reports whether the event is set.
func (e *Event) IsSet() bool {
	return e.state.Load()&isSet != 0
}

// Set sets the event and wakes every goroutine waiting for it: all current
// and later Wait and WaitContext calls return nil, and the channel from Done
// is closed, until Clear is called. Setting a set event does nothing.
func (e *Event) Set() {
	for {
		v := e.state.Load()
		if v&isSet != 0 {
			return
		}
		if v&hasChan != 0 {
			break // waiters may hold the channel: close it under mu
		}
		if e.state.CompareAndSwap(v, v|isSet) {
			return
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for {
		v := e.state.Load()
		if v&isSet != 0 {
			return
		}
		if e.state.CompareAndSwap(v, v|isSet) {
			if v&hasChan != 0 {
				close(e.ch) // still under mu: no Clear can come in between
			}
			return
		}
	}
}

// Clear resets the event, so that later Wait calls block until the next Set.
// Goroutines that were waiting at an earlier Set still return nil, a channel
// that an earlier Set closed stays closed, and the next Done returns a new
// channel. Clearing an event that is not set does nothing.
func (e *Event) Clear() {
	for {
		v := e.state.Load()
		if v&isSet == 0 {
			return
		}
		if v&hasChan != 0 {
			break
		}
		if e.state.CompareAndSwap(v, 0) {
			return
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for {
		v := e.state.Load()
		if v&isSet == 0 {
			return
		}
		if e.state.CompareAndSwap(v, 0) {
			e.ch, e.holders, e.shared = nil, 0, false // the next waiter makes a new one
			return
		}
	}
}

// Wait blocks until the event is set. It returns at once if the event is set
// already.
func (e *Event) Wait() {
	if e.IsSet() {
		return
	}
	<-e.channel(true)
}

// WaitContext blocks until the event is set or ctx is done. It returns nil if
// the event was set (even when ctx is done too: waiting for something that has
// already happened succeeds whatever the context's state) and ctx.Err()
// otherwise. It changes nothing either way. It returns at once if the event is
// set already. It panics if ctx is nil, even on a set event.
func (e *Event) WaitContext(ctx context.Context) error {
	if ctx == nil {
		panic(msgNilContext)
	}
	if e.IsSet() {
		return nil
	}
	return e.waitContext(ctx)
}

func (e *Event) waitContext(ctx context.Context) error {
	c := e.channel(true)
	select {
	case <-c:
		return nil
	case <-ctx.Done():
		// A Set that raced with the end of ctx wins: it has happened.
		select {
		case <-c:
			return nil
		default:
			e.leave(c)
			return ctx.Err()
		}
	}
}

// leave uncounts a WaitContext that gave up waiting on c, and drops c if
// nobody else can be waiting on it.
func (e *Event) leave(c chan struct{}) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ch != c {
		return // set and cleared meanwhile: c belongs to no generation now
	}
	e.holders--
	if e.holders > 0 || e.shared {
		return
	}
	for {
		v := e.state.Load()
		if v&isSet != 0 {
			return // set meanwhile: Clear drops c
		}
		// While hasChan is set, state changes only under mu, which we hold.
		if e.state.CompareAndSwap(v, v&^hasChan) {
			e.ch = nil
			return
		}
	}
}

// Done returns a channel that is closed when the event is set, for select
// statements. The channel belongs to the current generation: once closed it
// stays closed, and after Clear the next Done returns a new channel. On a set
// event Done returns an already-closed channel without allocating.
//
// Under testing/synctest, a channel is tied to the bubble that made it: the
// channel of an unset event that Done handed out inside a bubble must not be
// used outside it. Set or Clear the event before such a bubble ends if the
// event lives on; Wait and WaitContext have no such limit.
func (e *Event) Done() <-chan struct{} {
	if e.IsSet() {
		return closedChan
	}
	return e.channel(false)
}

// channel returns the current generation's channel, making it if needed;
// waiter says whether the caller is a Wait or WaitContext that will hold it
// (else it is Done, which hands it out for good).
func (e *Event) channel(waiter bool) chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	for {
		v := e.state.Load()
		switch {
		case v&hasChan != 0:
			e.count(waiter)
			return e.ch // closed if set
		case v&isSet != 0:
			return closedChan
		}
		// Publish the channel before Set can see hasChan: a Set that sees
		// it waits for mu, which we hold. A Set that slips in first makes
		// the CAS fail and the loop return closedChan.
		if e.state.CompareAndSwap(v, v|hasChan) {
			e.ch, e.holders, e.shared = make(chan struct{}), 0, false
			e.count(waiter)
			return e.ch
		}
	}
}

// count records who takes the generation's channel; e.mu is held.
func (e *Event) count(waiter bool) {
	if waiter {
		e.holders++
	} else {
		e.shared = true
	}
}
