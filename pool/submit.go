package pool

import (
	"context"
	"errors"

	"github.com/syncprim/syncprim/internal/goid"
)

// Go submits f to run on a worker with the pool's context (see WithContext,
// Shutdown). It returns ErrClosed after Close. With a bounded backlog
// (WithBacklog) it blocks while the backlog is full, except when called from
// a task of this pool; otherwise it never blocks.
//
// The error f returns, or a *PanicError if it panics, is joined into the
// error Wait returns; the pool carries on either way.
func (p *Pool) Go(f func(ctx context.Context) error) error {
	if f == nil {
		panic(msgNilTask)
	}
	return p.submit(context.Background(), true, job{goTask(f), 0})
}

// TryGo is Go that never blocks: it returns ErrFull when the bounded backlog
// has no room (or other submitters are waiting for room) and no worker is
// free, and ErrClosed after Close.
func (p *Pool) TryGo(f func(ctx context.Context) error) error {
	if f == nil {
		panic(msgNilTask)
	}
	return p.submit(context.Background(), false, job{goTask(f), 0})
}

// GoContext is Go that stops waiting for room in a bounded backlog when ctx
// is done: it then returns ctx.Err() and has submitted nothing. A done ctx
// fails even when there is room, and a ctx that ends before room is made
// for it fails even if room is made a moment later: the room goes to the
// next submitter. f still runs with the pool's context, not with ctx. A nil
// ctx panics.
func (p *Pool) GoContext(ctx context.Context, f func(ctx context.Context) error) error {
	if ctx == nil {
		panic(msgNilContext)
	}
	if f == nil {
		panic(msgNilTask)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return p.submit(ctx, true, job{goTask(f), 0})
}

// submission is what a submitter blocked on a full backlog waits with: its
// job, and the answer it gets.
type submission struct {
	j     job
	grant grant
}

type grant uint8

const (
	refusedClosed  grant = iota // the pool closed
	admitted                    // its job is in the pool
	refusedStopped              // its runner stopped (a failed Map)
)

// errStopped is submitRange's answer for a runner that stopped taking items.
var errStopped = errors.New("pool: runner stopped")

// submit hands j to the pool; with wait, it waits for room in a bounded
// backlog until ctx is done, else it fails with ErrFull. It is for runners
// that do not stop (Go tasks, futures, stream items).
func (p *Pool) submit(ctx context.Context, wait bool, j job) error {
	p.check()
	p.mu.Lock()
	if !p.closed && p.placeLocked(j) {
		p.mu.Unlock()
		return nil
	}
	p.mu.Unlock()
	_, err := p.submitRange(ctx, wait, j.r, j.i, j.i+1)
	return err
}

// submitRange submits items lo..hi-1 of r in order, under one lock while
// there is room. It returns how many it submitted and why it stopped early.
func (p *Pool) submitRange(ctx context.Context, wait bool, r runner, lo, hi int) (int, error) {
	p.check()
	p.mu.Lock()
	for i := lo; i < hi; i++ {
		if p.closed {
			p.mu.Unlock()
			return i - lo, ErrClosed
		}
		if r.stopped() {
			p.mu.Unlock()
			return i - lo, errStopped
		}
		j := job{r, i}
		if p.placeLocked(j) {
			continue
		}
		if !wait {
			p.mu.Unlock()
			return i - lo, ErrFull
		}
		s, err := p.submitters.Wait(ctx, &p.mu, submission{j: j}, nil)
		if err != nil {
			return i - lo, err
		}
		switch s.grant {
		case refusedClosed:
			return i - lo, ErrClosed
		case refusedStopped:
			return i - lo, errStopped
		}
		p.mu.Lock()
	}
	p.mu.Unlock()
	return hi - lo, nil
}

// taskContext returns the context for the tasks of a Map or stream call:
// a child of ctx that also ends when the pool's context does.
func (p *Pool) taskContext(ctx context.Context) (context.Context, context.CancelFunc, func()) {
	c, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(p.ctx, cancel)
	return c, cancel, func() {
		stop()
		cancel()
	}
}

// placeLocked gives j to an idle worker, to a new worker, or to the backlog
// if it has room. It reports false when the bounded backlog is full.
func (p *Pool) placeLocked(j job) bool {
	if w := p.idle.PopFront(); w != nil {
		w.Val = p.startLocked(j)
		w.Wake()
		return true
	}
	if p.activeLocked() < p.limit {
		p.workers++
		if p.init == nil {
			go p.worker(p.startLocked(j))
		} else {
			// The initializer runs before the worker takes a task, and may
			// fail: the task waits in the backlog meanwhile.
			p.pushLocked(j)
			go p.worker(job{})
		}
		return true
	}
	if p.capacity >= 0 && (p.queued >= p.capacity || p.submitters.Len() > 0) && !p.inWorkerLocked() {
		return false
	}
	p.pushLocked(j)
	return true
}

func (p *Pool) inWorkerLocked() bool {
	_, ok := p.ids[goid.Get()]
	return ok
}

// startLocked accounts for j going straight to a worker and returns the
// job the worker must run.
func (p *Pool) startLocked(j job) job {
	p.running++
	return job{j.r, j.r.begin(j.i)}
}

func (p *Pool) pushLocked(j job) {
	p.queued++
	if j.r.push(j.i) {
		p.backlog.PushBack(j)
		if n := p.backlog.Len(); n > p.peak {
			p.peak = n
		}
	}
}

// unqueuedLocked is called when n tasks left the backlog without a worker
// taking them (cancelled, dropped): blocked submitters may get their room.
func (p *Pool) unqueuedLocked(n int) {
	p.queued -= n
	p.cancelled += n
	p.compactLocked()
	p.admitLocked()
}

// minCompact is the number of dead entries the backlog may hold whatever
// its length.
const minCompact = 16

// compactLocked discards the dead entries of the backlog (cancelled
// futures, stopped Maps and streams) once they outnumber the live ones, so
// that the backlog's memory follows the queued work, not the cancelled
// work. Live entries never outnumber queued items, so the backlog stays
// under twice Stats().Queued plus minCompact entries, and each pass costs
// no more than the entries that died since the last one.
func (p *Pool) compactLocked() {
	b := p.backlog
	if b == nil || b.Len() <= 2*p.queued+minCompact {
		return
	}
	for range b.Len() {
		e := b.PopFront()
		if e.r.gone(e.i) {
			e.r.take(e.i) // lets the runner forget the entry
			continue
		}
		b.PushBack(e)
	}
}

// admitLocked lets blocked submitters into the backlog while it has room.
// It inlines to a length check when nobody is blocked.
func (p *Pool) admitLocked() {
	if p.submitters.Len() > 0 {
		p.admitSlow()
	}
}

func (p *Pool) admitSlow() {
	for p.queued < p.capacity {
		w := p.submitters.PopFront()
		if w == nil {
			return
		}
		w.Val.grant = refusedStopped
		if !w.Val.j.r.stopped() {
			p.pushLocked(w.Val.j)
			w.Val.grant = admitted
		}
		w.Wake()
	}
}

// goTask is a task from Go. A func value is pointer-shaped, so storing it
// in the runner interface allocates nothing.
type goTask func(context.Context) error

func (goTask) stopped() bool                        { return false }
func (goTask) push(int) bool                        { return true }
func (goTask) begin(i int) int                      { return i }
func (goTask) take(i int) (item int, ok, more bool) { return i, true, false }
func (goTask) gone(int) bool                        { return false }
func (goTask) drop(*Pool, int) (int, *core)         { return 1, nil }

func (f goTask) run(p *Pool, _ int) error { return f(p.ctx) }

func (goTask) end(p *Pool, _ int, err error) *core {
	if err != nil {
		p.errs = append(p.errs, err)
	}
	return nil
}
