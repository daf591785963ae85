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
		panic("pool: nil task")
	}
	return p.submit(context.Background(), job{goTask(f), 0})
}

// TryGo is Go that never blocks: it returns ErrFull when the bounded backlog
// has no room (or other submitters are waiting for room) and no worker is
// free, and ErrClosed after Close.
func (p *Pool) TryGo(f func(ctx context.Context) error) error {
	if f == nil {
		panic("pool: nil task")
	}
	return p.submit(tryCtx, job{goTask(f), 0})
}

// GoContext is Go that stops waiting for room in a bounded backlog when ctx
// is done: it then returns ctx.Err() and has submitted nothing. A done ctx
// fails even when there is room. f still runs with the pool's context, not
// with ctx.
func (p *Pool) GoContext(ctx context.Context, f func(ctx context.Context) error) error {
	if f == nil {
		panic("pool: nil task")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return p.submit(ctx, job{goTask(f), 0})
}

// What a submitter blocked on a full backlog is granted, in its waiter's N.
const (
	refusedClosed  = iota // the pool closed
	admitted              // its job is in the pool
	refusedStopped        // its runner stopped (a failed Map)
)

// errStopped is submitRange's answer for a runner that stopped taking items.
var errStopped = errors.New("pool: runner stopped")

// tryCtx marks a submission that must not wait.
var tryCtx = context.WithValue(context.Background(), tryKey{}, true)

type tryKey struct{}

// submit hands j to the pool, waiting for room in a bounded backlog until
// ctx is done; tryCtx does not wait at all. It is for runners that do not
// stop (Go tasks, futures, stream items).
func (p *Pool) submit(ctx context.Context, j job) error {
	p.check()
	p.mu.Lock()
	if !p.closed && p.placeLocked(j) {
		p.mu.Unlock()
		return nil
	}
	p.mu.Unlock()
	_, err := p.submitRange(ctx, j.r, j.i, j.i+1)
	return err
}

// submitRange submits items lo..hi-1 of r in order, under one lock while
// there is room. It returns how many it submitted and why it stopped early.
func (p *Pool) submitRange(ctx context.Context, r runner, lo, hi int) (int, error) {
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
		if ctx == tryCtx {
			p.mu.Unlock()
			return i - lo, ErrFull
		}
		w := p.full.Get()
		w.Val = j
		p.full.PushBack(w)
		p.mu.Unlock()
		if !p.full.Park(ctx, &p.mu, w) {
			p.mu.Unlock()
			p.full.Put(w)
			return i - lo, ctx.Err()
		}
		grant := w.N
		p.full.Put(w)
		switch grant {
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
	if p.workers < p.max {
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
	if p.capacity >= 0 && (p.queued >= p.capacity || p.full.Len() > 0) && !p.inWorkerLocked() {
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

// unqueuedLocked is called when tasks left the backlog without a worker
// taking them (cancelled, dropped): blocked submitters may get their room.
func (p *Pool) unqueuedLocked(n int) {
	p.queued -= n
	p.cancels += n
	p.admitLocked()
}

// admitLocked lets blocked submitters into the backlog while it has room.
func (p *Pool) admitLocked() {
	for p.full.Len() > 0 && p.queued < p.capacity {
		w := p.full.PopFront()
		w.N = refusedStopped
		if !w.Val.r.stopped() {
			p.pushLocked(w.Val)
			w.N = admitted
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
func (goTask) drop(*Pool, int) int                  { return 1 }

func (f goTask) run(p *Pool, _ int) error { return f(p.ctx) }

func (goTask) end(p *Pool, _ int, err error) {
	if err != nil {
		p.errs = append(p.errs, err)
	}
}
