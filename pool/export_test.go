package pool

// BlockedSubmitters returns how many submitters wait for room in p's backlog.
func BlockedSubmitters(p *Pool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.submitters.Len()
}

// ResultWaiters returns how many goroutines wait in f's Result.
func ResultWaiters[R any](f *Future[R]) int {
	p := f.c.pool()
	p.mu.Lock()
	defer p.mu.Unlock()
	if f.c.w == nil {
		return 0
	}
	return f.c.w.waiters.Len()
}

// Watches returns how many Wait or AsCompleted calls watch f.
func Watches[R any](f *Future[R]) int {
	p := f.c.pool()
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	if f.c.w == nil {
		return 0
	}
	for w := f.c.w.watches; w != nil; w = w.next {
		n++
	}
	return n
}

// HasDoneChannel reports whether f keeps a Done channel.
func HasDoneChannel[R any](f *Future[R]) bool {
	p := f.c.pool()
	p.mu.Lock()
	defer p.mu.Unlock()
	return f.c.w != nil && f.c.w.done != nil
}

// BacklogEntries returns how many entries p's backlog holds.
func BacklogEntries(p *Pool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.backlog == nil {
		return 0
	}
	return p.backlog.Len()
}

// MinCompact is how many dead entries the backlog may keep whatever its length.
const MinCompact = minCompact
