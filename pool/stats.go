package pool

// Stats is a snapshot of a pool's counters, taken under the pool's lock so
// that the fields are consistent with one another.
//
// Every task that entered the pool (through Go, Submit, Map or a Stream) is
// counted in exactly one of Queued, Running, Completed, Failed, Panicked and
// Cancelled, so their sum is the number of tasks submitted so far. Calls
// refused with an error (ErrClosed, ErrFull, a done context) submit nothing.
type Stats struct {
	Workers   int // worker goroutines alive now
	Running   int // tasks executing now
	Queued    int // tasks submitted and not started
	Completed int // tasks that returned nil
	Failed    int // tasks that returned an error
	Panicked  int // tasks that panicked (not counted in Failed)
	Cancelled int // tasks cancelled or dropped before they started
}

// Stats returns a consistent snapshot of the pool's counters.
func (p *Pool) Stats() Stats {
	p.check()
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{
		Workers:   p.workers,
		Running:   p.running,
		Queued:    p.queued,
		Completed: p.completed,
		Failed:    p.failed,
		Panicked:  p.panicked,
		Cancelled: p.cancelled,
	}
}
