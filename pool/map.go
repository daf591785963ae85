package pool

import "context"

// Map runs f on every item of in on p's workers and returns the results in
// input order, as Python's Pool.map. It blocks until every task it started
// has ended.
//
// The first error (a *PanicError if f panicked) stops the call, like
// errgroup: Map cancels the context of the tasks still running, drops those
// not started (counted as Cancelled), waits for the running ones and returns
// (nil, err). When ctx ends first, Map does the same and returns ctx.Err();
// when Shutdown drops its queued items, ErrCancelled;
// a done ctx fails at once. After Close, Map returns ErrClosed. Empty input
// gives an empty, non-nil slice and nil.
//
// The tasks' context is a child of ctx that is also cancelled when the
// pool's context is (WithContext, Shutdown). Map allocates the result slice
// and a few words per call, nothing per item. With a bounded backlog, Map
// waits for room as Go does. The memory model: every f call synchronizes
// before Map returns.
func Map[T, R any](ctx context.Context, p *Pool, in []T, f func(context.Context, T) (R, error)) ([]R, error) {
	if ctx == nil {
		panic(msgNilContext)
	}
	p.check()
	if f == nil {
		panic(msgNilTask)
	}
	if len(in) == 0 {
		return []R{}, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m := &mapper[T, R]{p: p, in: in, out: make([]R, len(in)), f: f, left: len(in), done: make(chan struct{})}
	var stop func()
	m.ctx, m.cancel, stop = p.taskContext(ctx)
	defer stop()

	n, err := p.submitRange(ctx, true, m, 0, len(in))
	p.mu.Lock()
	m.left -= len(in) - n // never submitted
	if err != nil && err != errStopped {
		m.failLocked(err)
	} else {
		m.settleLocked() // errStopped: a task failed already
	}
	p.mu.Unlock()

	select {
	case <-m.done:
	case <-m.ctx.Done():
		p.mu.Lock()
		if m.left > 0 {
			m.failLocked(m.ctx.Err())
		}
		p.mu.Unlock()
		<-m.done
	}
	if m.err != nil {
		return nil, m.err
	}
	return m.out, nil
}

// mapper is one Map call; item i is in[i]. Its counters are under p.mu.
// Map submits its items in order, so the queued ones are always the range
// [next, last), and one backlog entry stands for them all: a worker that
// takes it runs item next and puts the entry back while more are queued.
type mapper[T, R any] struct {
	p      *Pool
	ctx    context.Context
	cancel context.CancelFunc
	in     []T
	out    []R
	f      func(context.Context, T) (R, error)

	next   int  // the first queued item
	last   int  // one past the last queued item
	entry  bool // the backlog holds an entry for the queued items
	queued int  // items in the backlog: last - next until dead
	left   int  // items submitted and not ended (queued or running)
	dead   bool // items still queued are tombstones
	err    error
	done   chan struct{} // closed when left reaches 0
}

// failLocked records err if it is the first and stops the rest.
func (m *mapper[T, R]) failLocked(err error) {
	if m.err == nil {
		m.err = err
	}
	if !m.dead {
		m.dead = true
		m.cancel()
		k := m.queued
		m.queued = 0
		m.left -= k
		m.p.unqueuedLocked(k)
	}
	m.settleLocked()
}

func (m *mapper[T, R]) settleLocked() {
	if m.left == 0 {
		select {
		case <-m.done:
		default:
			close(m.done)
		}
	}
}

func (m *mapper[T, R]) stopped() bool { return m.dead }
func (m *mapper[T, R]) gone(int) bool { return m.dead }

func (m *mapper[T, R]) push(i int) bool {
	m.last = i + 1
	m.queued++
	if m.entry {
		return false
	}
	m.entry = true
	return true
}

func (m *mapper[T, R]) begin(i int) int {
	// The oldest queued item runs; i, if it is not that one, joins the queue.
	m.last = i + 1
	m.next++
	return m.next - 1
}

func (m *mapper[T, R]) take(int) (item int, ok, more bool) {
	if m.dead {
		m.entry = false
		return 0, false, false
	}
	item = m.next
	m.next++
	m.queued--
	more = m.queued > 0
	m.entry = more
	return item, true, more
}

func (m *mapper[T, R]) run(_ *Pool, i int) error {
	var err error
	m.out[i], err = m.f(m.ctx, m.in[i])
	return err
}

func (m *mapper[T, R]) end(_ *Pool, _ int, err error) *core {
	m.left--
	if err != nil {
		if cerr := m.ctx.Err(); cerr != nil && m.err == nil {
			// The call's context (or the pool's) ended first: the task
			// failed because of it, most likely.
			err = cerr
		}
		m.failLocked(err)
		return nil
	}
	m.settleLocked()
	return nil
}

func (m *mapper[T, R]) drop(*Pool, int) (int, *core) {
	if m.dead {
		return 0, nil
	}
	k := m.queued
	m.queued, m.next, m.entry = 0, m.last, false
	m.left -= k
	if m.err == nil {
		m.err = ErrCancelled
	}
	m.settleLocked()
	return k, nil
}
