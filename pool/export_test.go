package pool

// BlockedSubmitters returns how many submitters wait for room in p's backlog.
func BlockedSubmitters(p *Pool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.full.Len()
}

// ResultWaiters returns how many goroutines wait in Future.Result on p.
func ResultWaiters(p *Pool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.results.Len()
}

// BacklogEntries returns how many entries p's backlog holds.
func BacklogEntries(p *Pool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.backlog.Len()
}

// DoneChannels returns how many Done channels of unfinished futures p keeps.
func DoneChannels(p *Pool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.chans)
}
