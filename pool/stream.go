package pool

import (
	"context"
	"iter"

	"github.com/syncprim/syncprim/internal/ring"
)

// Stream runs f on the items of in on p's workers and yields the results in
// input order, as Python's Pool.imap. It pulls in lazily, in the consumer's
// goroutine, and never runs more than the pool's window (WithWindow; twice
// the workers and at least 16 by default) of items ahead of the consumer: at most that many
// items are submitted and not yet received by the range loop, so memory
// stays bounded on an infinite in. Results already available are yielded
// before the next item is pulled.
//
// Each result comes with its item's error (a *PanicError if f panicked);
// the stream goes on after an error, and the consumer decides whether to
// break. Breaking out of the loop (or a panic in its body) cancels the
// context of the running tasks, drops the queued ones (counted as
// Cancelled) and waits for the running ones before the range statement
// ends: nothing leaks. When ctx ends (or the pool is closed) the stream
// yields one last (zero, ctx.Err()) (or (zero, ErrClosed)) and stops the
// same way. Empty (or nil) input yields nothing.
//
// The tasks' context is a child of ctx that is also cancelled when the
// pool's context is. Calling Stream allocates the iterator; each range
// over it allocates the window and a few words once, nothing per item.
func Stream[T, R any](ctx context.Context, p *Pool, in iter.Seq[T], f func(context.Context, T) (R, error)) iter.Seq2[R, error] {
	return newStream(ctx, p, in, f, true)
}

// StreamUnordered is Stream yielding results in completion order, as
// Python's Pool.imap_unordered: a slow item does not hold back the results
// of those after it. The window bounds it the same way.
func StreamUnordered[T, R any](ctx context.Context, p *Pool, in iter.Seq[T], f func(context.Context, T) (R, error)) iter.Seq2[R, error] {
	return newStream(ctx, p, in, f, false)
}

func newStream[T, R any](ctx context.Context, p *Pool, in iter.Seq[T], f func(context.Context, T) (R, error), ordered bool) iter.Seq2[R, error] {
	if ctx == nil {
		panic(msgNilContext)
	}
	p.check()
	if f == nil {
		panic(msgNilTask)
	}
	return func(yield func(R, error) bool) {
		if in == nil {
			return
		}
		s := &stream[T, R]{p: p, f: f, ordered: ordered, slots: make([]slot[T, R], p.window), wake: make(chan struct{}, 1)}
		var stop func()
		s.outer = ctx
		s.ctx, s.cancel, stop = p.taskContext(ctx)
		defer stop()
		defer s.close()
		s.feed(in, yield)
	}
}

// stream is one range over a Stream. Slot i holds item i of the runner.
type stream[T, R any] struct {
	p       *Pool
	outer   context.Context // the call's: ends the stream
	ctx     context.Context // the tasks': also ends with the pool's
	cancel  context.CancelFunc
	f       func(context.Context, T) (R, error)
	ordered bool
	slots   []slot[T, R]

	// The consumer's own.
	inflight   int   // submitted and not yet received
	next, head int   // ordered: sequence numbers of the next item and the oldest unreceived
	free       []int // unordered: free slots

	// Under p.mu.
	ready   ring.Buffer[int] // unordered: ended slots, in completion order
	queued  int              // items in the backlog
	left    int              // items submitted and not ended
	dead    bool             // items still queued are tombstones
	waiting bool             // the consumer waits for a send on wake
	drain   bool             // ... for left == 0, rather than a result
	wake    chan struct{}
}

type slot[T, R any] struct {
	in    T
	out   R
	err   error
	ended bool
}

// What receive found.
const (
	received = iota // a result
	notReady        // nothing yet, and it must not block
	ended           // the call's context ended
)

func (s *stream[T, R]) feed(in iter.Seq[T], yield func(R, error) bool) {
	var zero R
	window := len(s.slots)
	if !s.ordered {
		s.free = make([]int, window)
		for i := range s.free {
			s.free[i] = window - 1 - i
		}
	}
	// deliver yields what is ready, first waiting for one result if the
	// window is full; it reports false when the loop must stop.
	deliver := func(block bool) bool {
		for s.inflight > 0 {
			r, status, err := s.receive(block)
			switch status {
			case notReady:
				return true
			case ended:
				yield(zero, err)
				return false
			}
			s.inflight--
			if !yield(r, err) {
				return false
			}
			block = false
		}
		return true
	}
	for v := range in {
		if !deliver(s.inflight == window) {
			return
		}
		if err := s.outer.Err(); err != nil {
			yield(zero, err)
			return
		}
		var i int
		if s.ordered {
			i = s.next % window
			s.next++
		} else {
			i = s.free[len(s.free)-1]
			s.free = s.free[:len(s.free)-1]
		}
		s.slots[i].in = v
		if err := s.p.submit(s.outer, true, job{s, i}); err != nil {
			yield(zero, err)
			return
		}
		s.inflight++
	}
	for s.inflight > 0 {
		if !deliver(true) {
			return
		}
	}
}

// receive takes the next result: the oldest item's (ordered) or any ended
// one's (unordered). If there is none it returns notReady, or with block
// waits for one or for the end of the call's context (ended, with its
// error). The end of the pool's context does not stop it: the tasks end
// soon after (Shutdown cancels or drops them).
func (s *stream[T, R]) receive(block bool) (r R, status int, err error) {
	p := s.p
	p.mu.Lock()
	for {
		i := -1
		if s.ordered {
			if h := s.head % len(s.slots); s.slots[h].ended {
				i = h
				s.head++
			}
		} else if s.ready.Len() > 0 {
			i = s.ready.PopFront()
			s.free = append(s.free, i)
		}
		if i >= 0 {
			sl := &s.slots[i]
			r, err = sl.out, sl.err
			*sl = slot[T, R]{}
			p.mu.Unlock()
			return r, received, err
		}
		if !block {
			p.mu.Unlock()
			return r, notReady, nil
		}
		s.waiting = true
		p.mu.Unlock()
		select {
		case <-s.wake:
		case <-s.outer.Done():
			p.mu.Lock()
			if s.waiting {
				s.waiting = false
				p.mu.Unlock()
				return r, ended, s.outer.Err()
			}
			// A wake-up was sent before we got the lock: take it.
			p.mu.Unlock()
			<-s.wake
		}
		p.mu.Lock()
	}
}

// close stops the items not started and waits for the running ones.
func (s *stream[T, R]) close() {
	p := s.p
	p.mu.Lock()
	if !s.dead {
		s.dead = true
		k := s.queued
		s.queued = 0
		s.left -= k
		p.unqueuedLocked(k)
	}
	s.cancel()
	for s.left > 0 {
		s.waiting, s.drain = true, true
		p.mu.Unlock()
		<-s.wake
		p.mu.Lock()
	}
	p.mu.Unlock()
}

func (s *stream[T, R]) stopped() bool { return s.dead }
func (s *stream[T, R]) gone(int) bool { return s.dead }

func (s *stream[T, R]) push(int) bool {
	s.queued++
	s.left++
	return true
}

func (s *stream[T, R]) begin(i int) int {
	s.left++
	return i
}

func (s *stream[T, R]) take(i int) (item int, ok, more bool) {
	if s.dead {
		return i, false, false
	}
	s.queued--
	return i, true, false
}

func (s *stream[T, R]) run(_ *Pool, i int) error {
	var err error
	s.slots[i].out, err = s.f(s.ctx, s.slots[i].in)
	return err
}

func (s *stream[T, R]) end(_ *Pool, i int, err error) *core {
	s.left--
	sl := &s.slots[i]
	sl.err, sl.ended = err, true
	if !s.ordered {
		s.ready.PushBack(i)
	}
	if !s.waiting {
		return nil
	}
	if s.drain && s.left > 0 || !s.drain && s.ordered && i != s.head%len(s.slots) {
		return nil
	}
	s.waiting = false
	s.wake <- struct{}{}
	return nil
}

func (s *stream[T, R]) drop(p *Pool, i int) (int, *core) {
	if s.dead {
		return 0, nil
	}
	s.queued--
	s.end(p, i, ErrCancelled)
	return 1, nil
}
