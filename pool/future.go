package pool

import (
	"context"
	"sync/atomic"
)

// Future is the pending result of a task started with Submit, as Python's
// concurrent.futures.Future. Its methods are safe for concurrent use. Only
// Submit, TrySubmit and SubmitContext make futures: a zero Future panics
// when used.
type Future[R any] struct {
	s   fsync
	fn  func(context.Context) (R, error)
	res R
	err error
}

// fsync is the part of a future its pool synchronizes: state changes happen
// under p.mu; a done state is published with an atomic store after res and
// err are written, so Result's fast path needs no lock.
type fsync struct {
	p     *Pool
	state atomic.Uint32
	nwait int32 // goroutines parked in p.results for this future
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

// Submit submits f to run on a worker of p with the pool's context and
// returns its future. Submit allocates the future and nothing else. It
// never blocks, except on a full bounded backlog (WithBacklog) when not
// called from a task of p. After Close, the future's result is ErrClosed.
// A panic in f becomes the future's error, a *PanicError.
func Submit[R any](p *Pool, f func(ctx context.Context) (R, error)) *Future[R] {
	fut, _ := submitFuture(context.Background(), p, f)
	return fut
}

// TrySubmit is Submit that never blocks: when the bounded backlog has no
// room and no worker is free it returns a nil future and ErrFull. After
// Close it returns a future whose result is ErrClosed, and ErrClosed.
func TrySubmit[R any](p *Pool, f func(ctx context.Context) (R, error)) (*Future[R], error) {
	fut, err := submitFuture(tryCtx, p, f)
	if err == ErrFull {
		return nil, err
	}
	return fut, err
}

// SubmitContext is Submit that stops waiting for room in a bounded backlog
// when ctx is done: it then returns a nil future and ctx.Err(), and has
// submitted nothing (a done ctx fails even when there is room). f still runs
// with the pool's context. After Close it returns a future whose result is
// ErrClosed, and ErrClosed.
func SubmitContext[R any](ctx context.Context, p *Pool, f func(ctx context.Context) (R, error)) (*Future[R], error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fut, err := submitFuture(ctx, p, f)
	if err != nil && err != ErrClosed {
		return nil, err
	}
	return fut, err
}

func submitFuture[R any](ctx context.Context, p *Pool, f func(context.Context) (R, error)) (*Future[R], error) {
	if f == nil {
		panic("pool: nil task")
	}
	p.check()
	fut := &Future[R]{fn: f}
	fut.s.p = p
	err := p.submit(ctx, job{fut, 0})
	if err != nil {
		fut.err = err
		fut.s.state.Store(fDone)
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
	if f.s.state.Load() != fDone {
		f.s.wait(context.Background())
	}
	return f.res, f.err
}

// ResultContext is Result that stops waiting when ctx is done, returning
// ctx.Err(). A future that has already ended returns its result whatever
// ctx's state.
func (f *Future[R]) ResultContext(ctx context.Context) (R, error) {
	if f.s.state.Load() != fDone {
		if err := f.s.wait(ctx); err != nil {
			var zero R
			return zero, err
		}
	}
	return f.res, f.err
}

// Done returns a channel that is closed when the task has ended, for use in
// select. Its first call before the end allocates the channel.
func (f *Future[R]) Done() <-chan struct{} {
	if f.s.state.Load() == fDone {
		return closedChan
	}
	p := f.s.pool()
	p.mu.Lock()
	defer p.mu.Unlock()
	if f.s.state.Load() == fDone {
		return closedChan
	}
	// The channel lives in the pool, not in every future: few futures are
	// ever asked for one.
	ch, ok := p.chans[&f.s]
	if !ok {
		if p.chans == nil {
			p.chans = make(map[*fsync]chan struct{})
		}
		ch = make(chan struct{})
		p.chans[&f.s] = ch
	}
	return ch
}

// Cancel cancels the task if it has not started: it then reports true, the
// task will never run, and Result returns ErrCancelled. Once the task has
// started (or ended) Cancel does nothing and reports false; it does not
// interrupt a running task, as Python's Future.cancel.
func (f *Future[R]) Cancel() bool {
	p := f.s.pool()
	p.mu.Lock()
	defer p.mu.Unlock()
	if f.s.state.Load() != fQueued {
		return false
	}
	// The backlog entry stays as a tombstone: take skips it.
	f.err = ErrCancelled
	f.s.finishLocked()
	p.unqueuedLocked(1)
	return true
}

// wait parks until the future is done, or ctx is done.
func (s *fsync) wait(ctx context.Context) error {
	p := s.pool()
	p.mu.Lock()
	if s.state.Load() == fDone {
		p.mu.Unlock()
		return nil
	}
	w := p.results.Get()
	w.Val = s
	p.results.PushBack(w)
	s.nwait++
	p.mu.Unlock()
	if !p.results.Park(ctx, &p.mu, w) {
		s.nwait--
		p.mu.Unlock()
		p.results.Put(w)
		return ctx.Err()
	}
	p.results.Put(w)
	return nil
}

func (s *fsync) pool() *Pool {
	if s.p == nil {
		panic("pool: Future used without Submit")
	}
	return s.p
}

// finishLocked publishes the end of the future and wakes its waiters. The
// waiters of every future share p.results: finishing scans it, which is
// cheap while few goroutines wait at once.
func (s *fsync) finishLocked() {
	s.state.Store(fDone)
	if chans := s.p.chans; len(chans) != 0 {
		if ch, ok := chans[s]; ok {
			close(ch)
			delete(chans, s)
		}
	}
	l := &s.p.results
	for w := l.Front(); w != nil && s.nwait > 0; {
		next := w.Next()
		if w.Val == s {
			l.Remove(w)
			w.Wake()
			s.nwait--
		}
		w = next
	}
}

func (f *Future[R]) stopped() bool { return false }
func (f *Future[R]) push(int) bool { return true }

func (f *Future[R]) begin(i int) int {
	f.s.state.Store(fRunning)
	return i
}

func (f *Future[R]) take(i int) (item int, ok, more bool) {
	if f.s.state.Load() != fQueued {
		return i, false, false
	}
	f.s.state.Store(fRunning)
	return i, true, false
}

func (f *Future[R]) run(p *Pool, _ int) error {
	var err error
	f.res, err = f.fn(p.ctx)
	return err
}

func (f *Future[R]) end(_ *Pool, _ int, err error) {
	f.err = err
	f.s.finishLocked()
}

func (f *Future[R]) drop(*Pool, int) int {
	if f.s.state.Load() != fQueued {
		return 0
	}
	f.err = ErrCancelled
	f.s.finishLocked()
	return 1
}
