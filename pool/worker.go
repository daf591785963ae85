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
	defer func() {
		// Panics are recovered in runJob and initWorker: only
		// runtime.Goexit gets here with work in hand.
		switch {
		case initializing:
			p.mu.Lock()
			p.brokenLocked(&PanicError{Value: ErrGoexit, Stack: debug.Stack()})
			p.mu.Unlock()
		case j.r != nil:
			// Account for the task and let a new goroutine take this
			// worker's place.
			p.mu.Lock()
			p.endLocked(j, &PanicError{Value: ErrGoexit, Stack: debug.Stack()}, true)
			p.mu.Unlock()
			go p.worker(job{})
		}
	}()
	if initializing {
		err := p.initWorker()
		initializing = false
		if err != nil {
			p.mu.Lock()
			p.brokenLocked(err)
			p.mu.Unlock()
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
		p.endLocked(j, err, panicked)
		j, ok = p.nextLocked()
	}
}

// brokenLocked handles a failed initializer: the worker exits, and the pool
// closes and drops its backlog, as Python's BrokenThreadPool.
func (p *Pool) brokenLocked(err error) {
	p.errs = append(p.errs, err)
	p.closeLocked()
	p.dropLocked()
	p.workers--
	p.checkDoneLocked()
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

// endLocked accounts for the end of a running job.
func (p *Pool) endLocked(j job, err error, panicked bool) {
	p.running--
	switch {
	case panicked:
		p.panicked++
	case err == nil:
		p.completed++
	default:
		p.failed++
	}
	j.r.end(p, j.i, err)
}

// nextLocked finds the next job for a worker, parking it while there is
// none. It is called with p.mu held and returns with p.mu released; ok is
// false when the worker must exit (the pool is closed and has no work).
func (p *Pool) nextLocked() (j job, ok bool) {
	for p.backlog.Len() > 0 {
		e := p.backlog.PopFront()
		item, ok, more := e.r.take(e.i)
		if more {
			p.backlog.PushFront(e)
		}
		if ok {
			p.queued--
			p.running++
			if p.full.Len() > 0 {
				p.admitLocked()
			}
			p.mu.Unlock()
			return job{e.r, item}, true
		}
	}
	for w := p.full.PopFront(); w != nil; w = p.full.PopFront() {
		// A submitter waits for a worker (WithBacklog(0)): take its job.
		if w.Val.r.stopped() {
			w.N = refusedStopped
			w.Wake()
			continue
		}
		j = p.startLocked(w.Val)
		w.N = admitted
		w.Wake()
		p.mu.Unlock()
		return j, true
	}
	if p.closed {
		p.workers--
		p.checkDoneLocked()
		p.mu.Unlock()
		return job{}, false
	}
	w := p.idle.Get()
	p.idle.PushBack(w)
	p.mu.Unlock()
	p.idle.Park(context.Background(), &p.mu, w)
	j = w.Val
	p.idle.Put(w)
	if j.r == nil {
		// Woken by Close.
		p.mu.Lock()
		p.workers--
		p.checkDoneLocked()
		p.mu.Unlock()
		return job{}, false
	}
	return j, true
}
