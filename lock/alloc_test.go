//go:build !race

// The race detector makes sync.Pool drop items at random, so allocation
// counts are only meaningful without it.

//lint:file-ignore SA2001 the tests count what locking itself allocates, so critical sections are empty

package lock_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncprim/syncprim/lock"
)

func TestUncontendedDoesNotAllocate(t *testing.T) {
	var l lock.Lock
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
		_ = l.Locked()
	}))
}

// TestParkingDoesNotAllocateInSteadyState parks a goroutine on a held Lock
// and releases it, over and over: the waiter list reuses its waiters.
func TestParkingDoesNotAllocateInSteadyState(t *testing.T) {
	var l lock.Lock
	ping, pong := make(chan struct{}), make(chan struct{})
	go func() {
		for range ping {
			l.Lock()
			l.Unlock()
			pong <- struct{}{}
		}
	}()
	defer close(ping)
	round := func() {
		l.Lock()
		ping <- struct{}{}
		for l.Waiters() == 0 {
			runtime.Gosched()
		}
		l.Unlock()
		<-pong
	}
	round() // allocates the slow path and the first waiter
	require.Zero(t, testing.AllocsPerRun(200, round))
}
