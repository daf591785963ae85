package cluster

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
)

// The event's key holds "set", or "clear:<revision of the Set it cleared>"
// so that a waiter that was watching learns of a Set even if a Clear
// overwrote it before the watch delivered it. A missing key is clear.
const (
	eventSet   = "set"
	eventClear = "clear:"
)

// Event is a handle on an event shared by every process that opens the same
// name on the same NATS server or cluster: Python's threading.Event across
// processes. Set wakes every process waiting in Wait; Clear makes later
// Waits block again. An Event is safe for concurrent use and must not be
// copied after first use.
type Event struct {
	b    *kvBucket
	name string
}

// OpenEvent returns a handle on the event called name (letters, digits, '-'
// and '_'); an event nobody has set is clear. Of the options, only Replicas
// applies (see OpenLock). A bad name is rejected before anything is
// created. OpenEvent blocks until the server answers or ctx is done; a nil
// ctx panics.
func OpenEvent(ctx context.Context, c *Conn, name string, opts ...Option) (*Event, error) {
	if ctx == nil {
		panic(errNilCtx)
	}
	if c == nil {
		panic("cluster: OpenEvent with a nil *Conn")
	}
	if err := checkName("event", name); err != nil {
		return nil, err
	}
	o := options{replicas: 1}
	for _, opt := range opts {
		opt.apply(&o)
	}
	b, err := openBucket(ctx, c, eventBucket, o)
	if err != nil {
		return nil, err
	}
	return &Event{b: b, name: name}, nil
}

// Name returns the event's name.
func (e *Event) Name() string { return e.name }

func (e *Event) reqCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), e.b.c.timeout)
}

// Set sets the event, for every process, and wakes every Wait blocked on it
// in any process. It waits for the server's answer, at most the Conn's
// request timeout.
func (e *Event) Set() error {
	ctx, cancel := e.reqCtx()
	defer cancel()
	_, err := e.b.kv.Put(ctx, e.name, []byte(eventSet))
	return e.b.c.closedErr(err)
}

// Clear clears the event, so that later Waits block until the next Set. A
// Wait that was blocked when the event was set still returns. Clear waits
// for the server's answers, at most the Conn's request timeout each.
func (e *Event) Clear() error {
	ctx, cancel := e.reqCtx()
	defer cancel()
	for {
		ent, err := e.b.kv.Get(ctx, e.name)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return e.b.c.closedErr(err)
		}
		if string(ent.Value()) != eventSet {
			return nil
		}
		v := eventClear + strconv.FormatUint(ent.Revision(), 10)
		_, err = e.b.kv.Update(ctx, e.name, []byte(v), ent.Revision())
		if !errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			return e.b.c.closedErr(err)
		}
		// A Set or Clear came in between: look again.
	}
}

// IsSet reports whether the event is set. The answer may be stale by the
// time the caller looks at it. It waits for the server's answer, at most
// the Conn's request timeout.
func (e *Event) IsSet() (bool, error) {
	ctx, cancel := e.reqCtx()
	defer cancel()
	ent, err := e.b.kv.Get(ctx, e.name)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, e.b.c.closedErr(err)
	}
	return string(ent.Value()) == eventSet, nil
}

// Wait blocks until the event is set, by any process, or the connection
// closes (ErrClosed). It returns at once if the event is set.
func (e *Event) Wait() error { return e.WaitContext(context.Background()) }

// WaitContext blocks until the event is set, ctx is done or the connection
// closes. It returns nil once the event is set, even if a Clear follows at
// once, and nil whatever the state of ctx if the event is already set: it
// takes nothing. Otherwise it returns ctx.Err() (or ErrClosed). A nil ctx
// panics.
//
// It watches the event's key; waiting costs no polling.
func (e *Event) WaitContext(ctx context.Context) error {
	if ctx == nil {
		panic(errNilCtx)
	}
	if ctx.Err() != nil {
		if set, err := e.IsSet(); err == nil && set {
			return nil
		}
		return ctx.Err()
	}
	// The client ties the watch to a goroutine that lives until the
	// context it was given is done: give it one that ends with this call.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := e.b.kv.Watch(ctx, e.name)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return e.b.c.closedErr(err)
	}
	defer func() { _ = w.Stop() }()
	var since uint64 // the revision the watch started from
	initial := true  // the watch is delivering the key's value at its start
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-e.b.c.done:
			return ErrClosed
		case ent, open := <-w.Updates():
			if !open {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return ErrClosed
			}
			if ent == nil {
				initial = false
				continue
			}
			v := string(ent.Value())
			switch {
			case v == eventSet:
				return nil
			case initial:
				since = ent.Revision()
			default:
				// A Clear names the Set it cleared: if that Set came after
				// the watch started, it was meant for this Wait too.
				rev, _ := strings.CutPrefix(v, eventClear)
				if n, _ := strconv.ParseUint(rev, 10, 64); n > since {
					return nil
				}
			}
		}
	}
}
