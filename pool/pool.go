package pool

import (
	"context"
	"errors"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/syncprim/syncprim/internal/ring"
	"github.com/syncprim/syncprim/internal/waitq"
)

// Pool runs tasks on at most a fixed number of worker goroutines, as
// Python's multiprocessing.Pool and concurrent.futures.ThreadPoolExecutor
// do. Create it with New; the zero value panics when used. A Pool must not
// be copied after first use.
//
// Workers start lazily, one per submission until the limit is reached, and
// take tasks from the backlog first-in first-out. Close stops submissions;
// Wait (or Shutdown) waits until every queued task has run and every worker
// goroutine has exited: no goroutine outlives Close+Wait.
//
// Memory model: the submission of a task synchronizes before the task
// starts; a task's end synchronizes before Wait returns, before its future's
// Result returns, and before Map returns or a stream yields its result.
type Pool struct {
	mu sync.Mutex
	// The fields below change under mu on every submission and task end:
	// keeping them off mu's cache line spares the goroutines spinning on mu
	// from bouncing that line with each write of the holder.
	_ [cacheLine]byte

	backlog    *ring.Buffer[job]      // tasks waiting for a worker, maybe dead entries; nil once finished
	peak       int                    // the backlog's longest length
	idle       waitq.List[job]        // parked idle workers; granted a started job, or none: exit
	submitters waitq.List[submission] // submitters waiting for room in a bounded backlog

	limit    int // the most workers: New's or Resize's
	capacity int // backlog bound; < 0: unbounded
	window   int
	init     func(context.Context) error
	ids      map[int64]struct{} // worker goroutine ids, kept for bounded backlogs only

	ctx    context.Context // the tasks' context, cancelled by Shutdown
	cancel context.CancelFunc

	closed  bool
	done    chan struct{} // closed once closed and no worker or callback runner is left
	errs    []error       // from Go tasks, callbacks and the initializer
	callers int           // goroutines other than workers running callbacks (Cancel, Shutdown)

	leaving                                int // idle workers woken to exit, not gone yet
	workers, running, queued               int
	completed, failed, panicked, cancelled int
}

// job is one backlog entry: item i of r. Go tasks, futures, Map calls and
// streams implement runner, so a job holds no closure and Submit's future is
// the entry itself: no allocation beyond the future. A Map call keeps one
// entry for all its queued items (see mapper), so Map does not grow the
// backlog with its input.
type job struct {
	r runner
	i int
}

// runner is a source of tasks. Every method but run is called under p.mu.
//
// A job moves through it so: a submission either hands item i straight to
// a worker (begin) or queues it (push, which may fold it into an entry the
// runner already has); a worker takes entries from the front (take, which
// also skips dead ones), runs the item without the lock (run) and records
// its outcome (end); Shutdown discards what is still queued (drop).
type runner interface {
	// stopped reports whether the runner takes no more items (a failed Map).
	stopped() bool
	// push records that item i entered the backlog. It reports whether
	// the backlog needs a new entry for it: false when an entry of r
	// already stands for it.
	push(i int) bool
	// begin records that item i goes straight to a worker, without the
	// backlog, and returns the item to run.
	begin(i int) int
	// take is called when entry i leaves the backlog. It returns the item
	// to run, ok false for a dead entry (cancelled while queued, already
	// accounted), and more true when the entry must go back to the front
	// because it stands for more queued items.
	take(i int) (item int, ok, more bool)
	// gone reports whether entry i stands for no queued item any more:
	// take would skip it, and compaction may discard it (through take).
	gone(i int) bool
	// run executes item i on a worker, without the lock.
	run(p *Pool, i int) error
	// end records the outcome of item i: err is a *PanicError if it
	// panicked. It returns a future whose callbacks are due, or nil.
	end(p *Pool, i int, err error) *core
	// drop records that entry i was discarded from the backlog unrun, and
	// returns how many queued items it stood for (0 for a dead entry) and
	// a future whose callbacks are due, or nil.
	drop(p *Pool, i int) (int, *core)
}

// New returns a pool of at most workers worker goroutines;
// workers <= 0 means runtime.GOMAXPROCS(0). No goroutine starts until work
// is submitted.
func New(workers int, opts ...Option) *Pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	c := config{backlog: -1, ctx: context.Background()}
	for _, o := range opts {
		o.apply(&c)
	}
	p := &Pool{
		limit:    workers,
		capacity: c.backlog,
		window:   c.window,
		init:     c.init,
		done:     make(chan struct{}),
		backlog:  backlogs.Get().(*ring.Buffer[job]),
	}
	if p.window == 0 {
		p.window = max(2*workers, minWindow)
	}
	if p.capacity >= 0 {
		p.ids = make(map[int64]struct{}, workers)
	}
	p.ctx, p.cancel = context.WithCancel(c.ctx)
	return p
}

// minWindow is the smallest default stream window: enough look-ahead that a
// stream on a small pool does not park its consumer on every item.
const minWindow = 16

// backlogs recycles the storage of finished pools' backlogs, so that pools
// created one after another do not grow a new buffer each time.
var backlogs = sync.Pool{New: func() any { return new(ring.Buffer[job]) }}

// maxRecycled is the longest backlog whose storage is recycled (about 1.5 MB).
const maxRecycled = 1 << 16

func (p *Pool) check() {
	if p.done == nil {
		panic(msgZero)
	}
}

// Close stops the pool accepting work: later Go calls return ErrClosed and
// later futures end with ErrClosed; submitters blocked on a full backlog
// return ErrClosed. Tasks already queued still run. Close does not wait;
// call Wait or Shutdown for that. Closing a closed pool does nothing.
func (p *Pool) Close() {
	p.check()
	p.mu.Lock()
	p.closeLocked()
	p.mu.Unlock()
}

func (p *Pool) closeLocked() {
	if p.closed {
		return
	}
	p.closed = true
	for w := p.submitters.PopFront(); w != nil; w = p.submitters.PopFront() {
		w.Val.grant = refusedClosed
		w.Wake()
	}
	for w := p.idle.PopFront(); w != nil; w = p.idle.PopFront() {
		w.Val = job{}
		p.leaving++
		w.Wake()
	}
	p.checkDoneLocked()
}

func (p *Pool) checkDoneLocked() {
	if p.closed && p.workers == 0 && p.callers == 0 {
		select {
		case <-p.done:
		default:
			close(p.done)
			p.cancel() // release the base context's resources
			if p.peak <= maxRecycled {
				p.backlog.Clear()
				backlogs.Put(p.backlog)
			}
			p.backlog = nil
		}
	}
}

// Wait blocks until the pool is closed, every queued task has run and every
// worker goroutine has exited, then returns the errors of the tasks started
// with Go (and of a failing initializer), joined with errors.Join in the
// order they happened, or nil; a panic in an OnDone callback run by the
// pool is among them, as a *PanicError. Errors of futures, Map and streams
// go to their callers instead.
//
// Wait must be called after Close, like Python's Pool.join: calling it on an
// open pool panics with "pool: Wait before Close", since a pool that can
// still accept work is never finished. Wait may be called any number of
// times, from any number of goroutines, but not from a task of the pool,
// which would wait for itself.
func (p *Pool) Wait() error {
	p.check()
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if !closed {
		panic(msgWaitBeforeClose)
	}
	<-p.done
	return p.err()
}

func (p *Pool) err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return errors.Join(p.errs...)
}

// Shutdown closes the pool and waits as Wait does, returning Wait's error.
// If ctx ends first, Shutdown cancels the context of the running tasks,
// drops the queued ones (their futures end with ErrCancelled, and they are
// counted as Cancelled), waits for the workers to exit, and returns
// ctx.Err(). A pool that is already finished makes Shutdown return at once
// whatever ctx's state. The callbacks (OnDone) of the dropped futures have
// run when Shutdown returns. Like Wait, Shutdown must not be called from a
// task of the pool. A nil ctx panics.
func (p *Pool) Shutdown(ctx context.Context) error {
	if ctx == nil {
		panic(msgNilContext)
	}
	p.check()
	p.Close()
	select {
	case <-p.done:
		return p.err()
	default:
	}
	select {
	case <-p.done:
		return p.err()
	case <-ctx.Done():
	}
	p.mu.Lock()
	p.cancel()
	p.notifyUnlock(p.dropLocked()...)
	<-p.done
	return ctx.Err()
}

// dropLocked discards the whole backlog. It returns the dropped futures
// whose callbacks are due.
func (p *Pool) dropLocked() []*core {
	n := 0
	var due []*core
	for p.backlog != nil && p.backlog.Len() > 0 {
		j := p.backlog.PopFront()
		k, c := j.r.drop(p, j.i)
		n += k
		if c != nil {
			due = append(due, c)
		}
	}
	p.unqueuedLocked(n)
	return due
}

// notifyUnlock releases p.mu, then runs the callbacks of the futures cs
// in the calling goroutine. The pool does not finish meanwhile.
func (p *Pool) notifyUnlock(cs ...*core) {
	if len(cs) == 0 {
		p.mu.Unlock()
		return
	}
	p.callers++
	p.mu.Unlock()
	for _, c := range cs {
		c.notify()
	}
	p.mu.Lock()
	p.callers--
	p.checkDoneLocked()
	p.mu.Unlock()
}

// callback runs fn, one OnDone callback, turning a panic into a
// *PanicError that Wait returns.
func (p *Pool) callback(fn func()) {
	defer func() {
		if v := recover(); v != nil {
			err := &PanicError{Value: v, Stack: debug.Stack()}
			p.mu.Lock()
			p.errs = append(p.errs, err)
			p.mu.Unlock()
		}
	}()
	fn()
}

// cacheLine is a size that keeps two fields on different cache lines on
// the common 64-byte-line processors (and adjacent-line prefetchers).
const cacheLine = 128
