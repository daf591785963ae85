//go:build race

package queue_test

// raceEnabled: the race detector makes sync.Pool drop a quarter of what is
// put in it, so pooled waiters are reallocated now and then.
const raceEnabled = true
