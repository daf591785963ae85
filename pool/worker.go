package pool

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/syncprim/syncprim/internal/goid"
)

// worker runs jobs until the pool is closed and its backlog is empty. j is
// a job already started for it (accounted as running), or none.
func (p *Pool) worker(j job) {
	if p.ids != nil {
		id := goid.Get()
		p.mu.Lock()
		p.ids[id] = struct{}{}
		p.mu.Unlock()
		defer func() {
			p.mu.Lock()
			delete(p.ids, id)
			p.mu.Unlock()
		}()
	}
	initializing := p.init != nil
	calling := false // running callbacks, with j already ended
	defer func() {
		// Panics are recovered in runJob, initWorker and callback: only
		// runtime.Goexit gets here with work in hand.
		switch {
		case initializing:
			p.mu.Lock()
			p.brokenUnlock(&PanicError{Value: ErrGoexit, Stack: debug.Stack()})
		case j.r != nil || calling:
			// Account for the task (or the callback) and let a new
			// goroutine take this worker's place.
			err := &PanicError{Value: ErrGoexit, Stack: debug.Stack()}
			p.mu.Lock()
			if calling {
				p.errs = append(p.errs, err)
			} else {
				p.endLocked(j, err, true)
			}
			p.mu.Unlock()
			go p.worker(job{})
		}
	}()
	if initializing {
		err := p.initWorker()
		initializing = false
		if err != nil {
			p.mu.Lock()
			p.brokenUnlock(err)
			return
		}
	}
	ok := true
	if j.r == nil {
		p.mu.Lock()
		j, ok = p.nextLocked()
	}
	for ok {
		panicked, err := runJob(p, j)
		p.mu.Lock()
		due := p.endLocked(j, err, panicked)
		// Nothing of the finished task may stay reachable from an idle
		// worker: forget the job before parking.
		j = job{}
		if due != nil {
			p.mu.Unlock()
			calling = true
			due.notify()
			calling = false
			p.mu.Lock()
		}
		j, ok = p.nextLocked()
	}
}

// brokenUnlock handles a failed initializer, with p.mu held: the worker
// exits, and the pool closes and drops its backlog, as Python's
// BrokenThreadPool. It releases p.mu.
func (p *Pool) brokenUnlock(err error) {
	p.errs = append(p.errs, err)
	p.closeLocked()
	if due := p.dropLocked(); len(due) > 0 {
		p.mu.Unlock()
		for _, c := range due {
			c.notify()
		}
		p.mu.Lock()
	}
	p.workers--
	p.checkDoneLocked()
	p.mu.Unlock()
}

// runJob runs j, turning a panic into a *PanicError.
func runJob(p *Pool, j job) (panicked bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			panicked, err = true, &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return false, j.r.run(p, j.i)
}

func (p *Pool) initWorker() (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	if err := p.init(p.ctx); err != nil {
		return fmt.Errorf("pool: initializer: %w", err)
	}
	return nil
}

// endLocked accounts for the end of a running job. It returns a future
// whose callbacks are due, or nil.
func (p *Pool) endLocked(j job, err error, panicked bool) *core {
	p.running--
	switch {
	case panicked:
		p.panicked++
	case err == nil:
		p.completed++
	default:
		p.failed++
	}
	return j.r.end(p, j.i, err)
}

// nextLocked finds the next job for a worker, parking it while there is
// none. It is called with p.mu held and returns with p.mu released; ok is
// false when the worker must exit: the pool is closed and has no work, or
// it has more workers than Resize allows.
func (p *Pool) nextLocked() (j job, ok bool) {
	if p.activeLocked() > p.limit {
		return p.exitUnlock()
	}
	for p.backlog.Len() > 0 {
		e := p.backlog.PopFront()
		item, ok, more := e.r.take(e.i)
		if more {
			p.backlog.PushFront(e)
		}
		if ok {
			p.queued--
			p.running++
			p.admitLocked()
			p.mu.Unlock()
			return job{e.r, item}, true
		}
	}
	for w := p.submitters.PopFront(); w != nil; w = p.submitters.PopFront() {
		// A submitter waits for a worker (WithBacklog(0)): take its job.
		if w.Val.j.r.stopped() {
			w.Val.grant = refusedStopped
			w.Wake()
			continue
		}
		j = p.startLocked(w.Val.j)
		w.Val = submission{grant: admitted}
		w.Wake()
		p.mu.Unlock()
		return j, true
	}
	if p.closed {
		return p.exitUnlock()
	}
	j, _ = p.idle.Wait(context.Background(), &p.mu, job{}, nil)
	if j.r == nil {
		// Woken by Close or Resize.
		p.mu.Lock()
		p.leaving--
		return p.exitUnlock()
	}
	return j, true
}

// exitUnlock accounts for a worker's exit and releases p.mu.
func (p *Pool) exitUnlock() (job, bool) {
	p.workers--
	p.checkDoneLocked()
	p.mu.Unlock()
	return job{}, false
}
