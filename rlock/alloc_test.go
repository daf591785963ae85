//go:build !race

// The race detector makes sync.Pool drop items at random, so allocation
// counts are only meaningful without it.

//lint:file-ignore SA2001 the tests count what locking itself allocates, so critical sections are empty

package rlock_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/rlock"
)

func TestUncontendedDoesNotAllocate(t *testing.T) {
	var l rlock.RLock
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.Zero(t, testing.AllocsPerRun(1000, func() {
		l.Lock()
		l.Unlock()
		if l.TryLock() {
			l.Unlock()
		}
		if l.LockContext(ctx) == nil {
			l.Unlock()
		}
		l.Lock()
		l.Lock() // a recursion level
		_ = l.Count()
		_ = l.Owned()
		l.Unlock()
		l.Unlock()
		_ = l.Locked()
	}))
}
