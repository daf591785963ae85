package procpool

import (
	"context"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/syncprim/syncprim/pool"
)

// Pool runs registered tasks in a fixed number of worker processes, as
// Python's concurrent.futures.ProcessPoolExecutor and multiprocessing.Pool
// do. Create it with New; the zero value panics when used. A Pool must not
// be copied after first use.
//
// A Pool is a pool.Pool of as many worker goroutines as processes: each
// goroutine owns one worker process while it runs a task, starts it when
// it first needs one (processes start lazily, like the goroutines) and
// starts a new one when the last died, was killed or was recycled. Futures,
// Map, Close, Wait and Shutdown are pool's, with the same guarantees; no
// worker process and no goroutine outlives Close+Wait or Shutdown.
type Pool struct {
	inner *pool.Pool
	slots chan *child // one per worker goroutine: its process, or nil
	cfg   config
	path  string
	env   []string

	pathErr error // from os.Executable

	procs    atomic.Int64 // worker processes alive (not yet reaped)
	restarts atomic.Int64
	nextID   atomic.Uint64

	closed   atomic.Bool
	stopOnce sync.Once
}

// New returns a pool of at most workers worker processes; workers <= 0
// means runtime.GOMAXPROCS(0). No process starts until a task needs one.
// The worker program is os.Executable() unless WithCommand says otherwise;
// it must call Main first thing.
func New(workers int, opts ...Option) *Pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &Pool{cfg: defaultConfig(), slots: make(chan *child, workers)}
	for _, o := range opts {
		o.apply(&p.cfg)
	}
	for range workers {
		p.slots <- nil
	}
	p.path = p.cfg.path
	if p.path == "" {
		p.path, p.pathErr = os.Executable()
	}
	p.env = childEnv()
	p.inner = pool.New(workers)
	return p
}

func (p *Pool) check() {
	if p.inner == nil {
		panic(msgZero)
	}
}

// Close stops the pool accepting work, as pool.Pool.Close: later futures
// end with pool.ErrClosed; queued tasks still run. It does not wait.
func (p *Pool) Close() {
	p.check()
	p.closed.Store(true)
	p.inner.Close()
}

// Wait blocks until the pool is closed and every queued task has run, then
// stops the worker processes (each sees the end of its input and exits; one
// that does not within the grace period is killed) and waits until they
// are reaped and every goroutine of the pool has exited. It returns nil:
// tasks report their errors through their futures and Map.
//
// As pool.Pool.Wait, it must be called after Close (else it panics with
// "procpool: Wait before Close"), and not from a task of the pool.
func (p *Pool) Wait() error {
	p.check()
	if !p.closed.Load() {
		panic(msgWaitBeforeClose)
	}
	err := p.inner.Wait()
	p.stopChildren()
	return err
}

// Shutdown closes the pool and waits as Wait does. If ctx ends first, it
// drops the queued tasks (their futures end with pool.ErrCancelled),
// cancels the running ones (each worker gets the grace period to return,
// then is killed; their futures end with context.Canceled), stops the
// worker processes, and returns ctx.Err(). Like Wait, Shutdown must not be
// called from a task of the pool.
func (p *Pool) Shutdown(ctx context.Context) error {
	p.check()
	if ctx == nil {
		panic(msgNilContext)
	}
	p.closed.Store(true)
	err := p.inner.Shutdown(ctx)
	p.stopChildren()
	return err
}

// stopChildren stops every worker process; the pool's goroutines have all
// exited, so every slot is back.
func (p *Pool) stopChildren() {
	p.stopOnce.Do(func() {
		var live []*child
		for range cap(p.slots) {
			if c := <-p.slots; c != nil {
				c.close() // all at once: they exit in parallel
				live = append(live, c)
			}
		}
		for _, c := range live {
			c.stop(p.cfg.grace)
		}
		close(p.slots)
	})
}

// Stats is a snapshot of a Pool's counters: pool.Stats's, taken under the
// inner pool's lock, with Workers counting processes, and Restarts.
type Stats struct {
	Workers   int // worker processes alive now (started and not yet reaped)
	Running   int // tasks executing now
	Queued    int // tasks submitted and not started
	Completed int // tasks that returned nil
	Failed    int // tasks that returned an error, their worker's death included
	Panicked  int // tasks that panicked in their worker (not counted in Failed)
	Cancelled int // tasks cancelled or dropped before they started
	Restarts  int // worker processes discarded (died, killed, recycled) to be replaced
}

// Stats returns a snapshot of the pool's counters. It never blocks for
// long. Workers and Restarts are read apart from the others, so they may be
// a step ahead of or behind them.
func (p *Pool) Stats() Stats {
	p.check()
	s := p.inner.Stats()
	return Stats{
		Workers:   int(p.procs.Load()),
		Running:   s.Running,
		Queued:    s.Queued,
		Completed: s.Completed,
		Failed:    s.Failed,
		Panicked:  s.Panicked,
		Cancelled: s.Cancelled,
		Restarts:  int(p.restarts.Load()),
	}
}
