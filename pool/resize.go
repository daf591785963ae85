package pool

import "runtime"

// Resize changes the most workers p may run to workers; workers <= 0 means
// runtime.GOMAXPROCS(0), as in New. It takes effect at once and does not
// block: growing starts workers for the queued work now; shrinking wakes
// idle surplus workers so that they exit, and lets busy ones finish the
// task they are running and exit instead of taking another. No task is
// interrupted or lost, and Stats().Workers follows as they exit. After
// Close, Resize changes nothing.
//
// Python's pools have no such call; it is the one pond, ants (Tune) and
// errgroup (SetLimit, between uses) users ask for.
func (p *Pool) Resize(workers int) {
	p.check()
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.limit = workers
	// Surplus idle workers exit; busy ones do in nextLocked.
	for surplus := p.activeLocked() - p.limit; surplus > 0; surplus-- {
		w := p.idle.PopFront()
		if w == nil {
			break
		}
		w.Val = job{}
		p.leaving++
		w.Wake()
	}
	// Queued work (and submitters waiting for a worker) gets new workers.
	for n := min(p.limit-p.activeLocked(), p.queued+p.submitters.Len()); n > 0; n-- {
		p.workers++
		go p.worker(job{})
	}
}

// activeLocked is the number of workers that are not on their way out.
func (p *Pool) activeLocked() int { return p.workers - p.leaving }
