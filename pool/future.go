package pool

import (
	"context"
	"sync/atomic"

	"github.com/syncprim/syncprim/internal/waitq"
)

// Future is the pending result of a task started with Submit, as Python's
// concurrent.futures.Future. Its methods are safe for concurrent use. Only
// Submit, TrySubmit and SubmitContext make futures: a zero Future panics
// when used. Every *Future is an Awaitable, for Wait and AsCompleted.
type Future[R any] struct {
	c   core
	fn  func(context.Context) (R, error) // nil once the future has ended
	res R
	err error
}

// Submit submits f to run on a worker of p with the pool's context and
// returns its future. Submit allocates the future and nothing else. It
// never blocks, except on a full bounded backlog (WithBacklog) when not
// called from a task of p. After Close, the future's result is ErrClosed.
// A panic in f becomes the future's error, a *PanicError.
func Submit[R any](p *Pool, f func(ctx context.Context) (R, error)) *Future[R] {
	fut, _ := submitFuture(context.Background(), true, p, f)
	return fut
}

// TrySubmit is Submit that never blocks: when the bounded backlog has no
// room and no worker is free it returns a nil future and ErrFull. After
// Close it returns a future whose result is ErrClosed, and ErrClosed.
func TrySubmit[R any](p *Pool, f func(ctx context.Context) (R, error)) (*Future[R], error) {
	fut, err := submitFuture(context.Background(), false, p, f)
	if err == ErrFull {
		return nil, err
	}
	return fut, err
}

// SubmitContext is Submit that stops waiting for room in a bounded backlog
// when ctx is done: it then returns a nil future and ctx.Err(), and has
// submitted nothing (a done ctx fails even when there is room). If ctx ends
// before room is made for it, the room goes to the next submitter. f still
// runs with the pool's context. After Close it returns a future whose
// result is ErrClosed, and ErrClosed. A nil ctx panics.
func SubmitContext[R any](ctx context.Context, p *Pool, f func(ctx context.Context) (R, error)) (*Future[R], error) {
	if ctx == nil {
		panic(msgNilContext)
	}
	if f == nil {
		panic(msgNilTask)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fut, err := submitFuture(ctx, true, p, f)
	if err != nil && err != ErrClosed {
		return nil, err
	}
	return fut, err
}

func submitFuture[R any](ctx context.Context, wait bool, p *Pool, f func(context.Context) (R, error)) (*Future[R], error) {
	if f == nil {
		panic(msgNilTask)
	}
	p.check()
	fut := &Future[R]{fn: f}
	fut.c.p = p
	err := p.submit(ctx, wait, job{fut, 0})
	if err != nil {
		fut.fn = nil
		fut.err = err
		fut.c.state.Store(fDone)
	}
	return fut, err
}

// Result blocks until the task has ended and returns what it returned: its
// error, a *PanicError if it panicked, ErrCancelled if it was cancelled or
// dropped before it started, ErrClosed if it was submitted after Close.
//
// Waiting for a future from inside a task of the same pool can deadlock
// when every worker does so, as with any fixed-size pool.
func (f *Future[R]) Result() (R, error) {
	if f.c.state.Load() != fDone {
		_ = f.c.wait(context.Background())
	}
	return f.res, f.err
}

// ResultContext is Result that stops waiting when ctx is done, returning
// the zero R and ctx.Err(). A future that has already ended returns its
// result whatever ctx's state. A nil ctx panics.
func (f *Future[R]) ResultContext(ctx context.Context) (R, error) {
	if ctx == nil {
		panic(msgNilContext)
	}
	if f.c.state.Load() != fDone {
		if err := f.c.wait(ctx); err != nil {
			var zero R
			return zero, err
		}
	}
	return f.res, f.err
}

// Err returns the future's error once it has ended (Done is closed): what
// Result would return as its error. Before that it returns nil. It never
// blocks.
func (f *Future[R]) Err() error {
	f.c.pool()
	if f.c.state.Load() != fDone {
		return nil
	}
	return f.err
}

// Done returns a channel that is closed when the task has ended, for use in
// select. Its first call before the end allocates the channel, which the
// future keeps until it ends.
func (f *Future[R]) Done() <-chan struct{} {
	return f.c.doneChan()
}

// Cancel cancels the task if it has not started: it then reports true, the
// task will never run, Result returns ErrCancelled, and the callbacks added
// with OnDone run before Cancel returns. Once the task has started (or
// ended) Cancel does nothing and reports false; it does not interrupt a
// running task, as Python's Future.cancel.
func (f *Future[R]) Cancel() bool {
	p := f.c.pool()
	p.mu.Lock()
	if f.c.state.Load() != fQueued {
		p.mu.Unlock()
		return false
	}
	f.fn = nil
	f.err = ErrCancelled
	due := f.c.finishLocked()
	p.unqueuedLocked(1) // its backlog entry stays until taken or compacted away
	if due == nil {
		p.mu.Unlock()
	} else {
		p.notifyUnlock(due)
	}
	return true
}

// OnDone arranges for fn(f) to be called once f has ended (completed,
// failed, panicked or cancelled), as Python's add_done_callback: at once,
// in the caller, if f has ended and its earlier callbacks have run;
// otherwise in the goroutine that ends f (a worker, Cancel, Shutdown).
// Callbacks run in the order they were added, after Done is closed (so Err
// and Result are final inside them), and never under the pool's lock: fn
// may call Stats, Submit or Go. fn must not block for long, since it holds
// up the worker that runs it.
//
// A panic in fn called at once goes up the caller's stack. A panic in fn
// called by the pool is recovered, becomes a *PanicError joined into the
// error of the pool's Wait, and does not stop the other callbacks. A nil fn
// panics.
func (f *Future[R]) OnDone(fn func(*Future[R])) {
	if fn == nil {
		panic(msgNilCallback)
	}
	p := f.c.pool()
	p.mu.Lock()
	if f.c.state.Load() != fDone || f.c.notifying {
		w := f.c.waitingLocked()
		w.calls = append(w.calls, func() { fn(f) })
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	fn(f)
}

func (f *Future[R]) core() *core { return &f.c }

// The runner side of a future: its single item is the task.

func (f *Future[R]) stopped() bool   { return false }
func (f *Future[R]) push(int) bool   { return true }
func (f *Future[R]) gone(int) bool   { return f.c.state.Load() != fQueued }
func (f *Future[R]) begin(i int) int { f.c.state.Store(fRunning); return i }
func (f *Future[R]) run(p *Pool, _ int) error {
	var err error
	f.res, err = f.fn(p.ctx)
	return err
}

func (f *Future[R]) take(i int) (item int, ok, more bool) {
	if f.c.state.Load() != fQueued {
		return i, false, false
	}
	f.c.state.Store(fRunning)
	return i, true, false
}

func (f *Future[R]) end(_ *Pool, _ int, err error) *core {
	f.fn = nil
	f.err = err
	return f.c.finishLocked()
}

func (f *Future[R]) drop(*Pool, int) (int, *core) {
	if f.c.state.Load() != fQueued {
		return 0, nil
	}
	f.fn = nil
	f.err = ErrCancelled
	return 1, f.c.finishLocked()
}

// core is the part of a future that does not depend on its result type:
// its state, its waiters and its callbacks. It changes under p.mu; the done
// state is published with an atomic store after the result is written, so
// that Result, Err and Done need no lock once the future has ended.
//
// Everything that waits for a future belongs to it (Result waiters, the
// Done channel, Wait and AsCompleted watches, callbacks), so ending a
// future costs in proportion to its own waiters only. That part is
// allocated by the first waiter and dropped when the future has ended, so a
// future nobody waits on stays small.
type core struct {
	p         *Pool
	state     atomic.Uint32
	notifying bool     // the goroutine that ended it runs calls
	w         *waiting // what waits for it, nil while nothing does
}

// waiting is what waits for one future, under its pool's lock.
type waiting struct {
	waiters waitq.List[struct{}] // goroutines in Result and ResultContext
	done    chan struct{}        // Done's channel, if asked for before the end
	watches *watch               // Wait and AsCompleted calls watching it
	calls   []func()             // OnDone callbacks not run yet
}

// waitingLocked returns c's waiting part, allocating it; p.mu is held.
func (c *core) waitingLocked() *waiting {
	if c.w == nil {
		c.w = new(waiting)
	}
	return c.w
}

const (
	fQueued uint32 = iota
	fRunning
	fDone
)

// closedChan is the Done channel of futures that ended before anyone asked.
var closedChan = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

func (c *core) pool() *Pool {
	if c.p == nil {
		panic(msgZeroFuture)
	}
	return c.p
}

// wait parks until the future has ended or ctx is done.
func (c *core) wait(ctx context.Context) error {
	p := c.pool()
	p.mu.Lock()
	if c.state.Load() == fDone {
		p.mu.Unlock()
		return nil
	}
	_, err := c.waitingLocked().waiters.Wait(ctx, &p.mu, struct{}{}, nil)
	return err
}

func (c *core) doneChan() <-chan struct{} {
	if c.state.Load() == fDone {
		return closedChan
	}
	p := c.pool()
	p.mu.Lock()
	defer p.mu.Unlock()
	if c.state.Load() == fDone {
		return closedChan
	}
	w := c.waitingLocked()
	if w.done == nil {
		w.done = make(chan struct{})
	}
	return w.done
}

// finishLocked publishes the end of the future and wakes what waits for it.
// It returns c when callbacks are due: the caller runs them with notify
// once it has released p.mu.
func (c *core) finishLocked() *core {
	c.state.Store(fDone)
	w := c.w
	if w == nil {
		return nil
	}
	if w.done != nil {
		close(w.done)
		w.done = nil
	}
	for r := w.waiters.PopFront(); r != nil; r = w.waiters.PopFront() {
		r.Wake()
	}
	for x := w.watches; x != nil; x = x.next {
		x.fire()
	}
	w.watches = nil
	if len(w.calls) == 0 {
		c.w = nil
		return nil
	}
	c.notifying = true
	return c
}

// notify runs c's callbacks, without p.mu, until none is left; callbacks
// added meanwhile by OnDone run after them, in order.
func (c *core) notify() {
	p := c.p
	p.mu.Lock()
	for len(c.w.calls) > 0 {
		calls := c.w.calls
		c.w.calls = nil
		p.mu.Unlock()
		for _, fn := range calls {
			p.callback(fn)
		}
		p.mu.Lock()
	}
	c.notifying, c.w = false, nil
	p.mu.Unlock()
}
