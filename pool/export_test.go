package pool

// BlockedSubmitters returns how many submitters wait for room in p's backlog.
func BlockedSubmitters(p *Pool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.full.Len()
}
